#include "sim/draw.h"

#include "base/check.h"

namespace laplace::sim {

bool Roll(Loop& loop, Ratio ratio, ChoiceKind kind) {
  LAPLACE_CHECK(ratio.denominator >= 1) << "a Ratio needs a positive denominator";
  LAPLACE_CHECK(ratio.numerator <= ratio.denominator)
      << "Ratio " << ratio.numerator << "/" << ratio.denominator << " is not a probability";
  return loop.Chance(ratio.numerator, ratio.denominator, kind);
}

Duration DrawDuration(Loop& loop, Duration min, Duration max, ChoiceKind kind) {
  LAPLACE_CHECK(min >= Duration(0)) << "a negative minimum duration: " << min.count() << "ns";
  LAPLACE_CHECK(min <= max) << "duration range [" << min.count() << ", " << max.count()
                            << "]ns is empty";
  const auto span = static_cast<uint64_t>((max - min).count());
  if (span == 0) return min;
  return min + Duration(static_cast<int64_t>(loop.Choose(span + 1, kind)));
}

int64_t DrawSigned(Loop& loop, int64_t magnitude_max, ChoiceKind kind) {
  LAPLACE_CHECK(magnitude_max >= 0) << "a negative magnitude bound";
  LAPLACE_CHECK(magnitude_max < (int64_t{1} << 62)) << "magnitude bound too large";
  if (magnitude_max == 0) return 0;
  const uint64_t value = loop.Choose(2 * static_cast<uint64_t>(magnitude_max) + 1, kind);
  const auto magnitude = static_cast<int64_t>((value + 1) / 2);
  return value % 2 == 1 ? magnitude : -magnitude;
}

}  // namespace laplace::sim
