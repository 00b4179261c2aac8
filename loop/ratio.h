// Ratio: an exact probability, numerator over denominator, for fault rates.
//
// Fault rates are never doubles, so a run draws the same choices on every machine: a Ratio
// becomes one Loop::Chance(numerator, denominator) (sim::Roll does that), whose choice value 0
// means "no" (the least surprising outcome). Zero and one draw no choice at all.
//
//   laplace::Ratio drop_ratio{1, 100};  // one message in a hundred
//   bool drop = loop.Chance(drop_ratio.numerator, drop_ratio.denominator);
//   std::string text = laplace::FormatRatio(drop_ratio);  // "1/100"
#ifndef LAPLACE_LOOP_RATIO_H_
#define LAPLACE_LOOP_RATIO_H_

#include <cstdint>
#include <string>

namespace laplace {

// An exact probability numerator/denominator. The default, 0/1, is "never".
// Requires denominator >= 1 and numerator <= denominator.
struct Ratio {
  uint64_t numerator = 0;
  uint64_t denominator = 1;

  // True for a zero ratio: it never draws a choice and never fires.
  bool never() const { return numerator == 0; }
  friend bool operator==(const Ratio&, const Ratio&) = default;
};

// "0", "1/100" or "1".
std::string FormatRatio(Ratio ratio);

}  // namespace laplace

#endif  // LAPLACE_LOOP_RATIO_H_
