#include "loop/ratio.h"

#include "base/strings.h"

namespace laplace {

std::string FormatRatio(Ratio ratio) {
  if (ratio.numerator == 0) return "0";
  if (ratio.numerator == ratio.denominator) return "1";
  return internal::Cat(ratio.numerator, "/", ratio.denominator);
}

}  // namespace laplace
