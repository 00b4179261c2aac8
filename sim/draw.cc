#include "sim/draw.h"

#include "base/check.h"

namespace laplace::sim {

namespace {

// Loop::Choose on `stream`, or on the running task's stream when null.
uint64_t ChooseOn(Loop& loop, uint64_t bound, ChoiceKind kind, const Stream* stream) {
  return stream != nullptr ? loop.Choose(bound, kind, *stream) : loop.Choose(bound, kind);
}

bool RollOn(Loop& loop, Ratio ratio, ChoiceKind kind, const Stream* stream) {
  LAPLACE_CHECK(ratio.denominator >= 1) << "a Ratio needs a positive denominator";
  LAPLACE_CHECK(ratio.numerator <= ratio.denominator)
      << "Ratio " << ratio.numerator << "/" << ratio.denominator << " is not a probability";
  if (ratio.numerator == 0) return false;
  if (ratio.numerator == ratio.denominator) return true;
  // Loop::Chance's rule: the top `numerator` values mean yes.
  return ChooseOn(loop, ratio.denominator, kind, stream) >= ratio.denominator - ratio.numerator;
}

Duration DrawDurationOn(Loop& loop, Duration min, Duration max, ChoiceKind kind,
                        const Stream* stream) {
  LAPLACE_CHECK(min >= Duration(0)) << "a negative minimum duration: " << min.count() << "ns";
  LAPLACE_CHECK(min <= max) << "duration range [" << min.count() << ", " << max.count()
                            << "]ns is empty";
  const auto span = static_cast<uint64_t>((max - min).count());
  if (span == 0) return min;
  return min + Duration(static_cast<int64_t>(ChooseOn(loop, span + 1, kind, stream)));
}

int64_t DrawSignedOn(Loop& loop, int64_t magnitude_max, ChoiceKind kind, const Stream* stream) {
  LAPLACE_CHECK(magnitude_max >= 0) << "a negative magnitude bound";
  LAPLACE_CHECK(magnitude_max < (int64_t{1} << 62)) << "magnitude bound too large";
  if (magnitude_max == 0) return 0;
  const uint64_t value = ChooseOn(loop, 2 * static_cast<uint64_t>(magnitude_max) + 1, kind, stream);
  const auto magnitude = static_cast<int64_t>((value + 1) / 2);
  return value % 2 == 1 ? magnitude : -magnitude;
}

}  // namespace

bool Roll(Loop& loop, Ratio ratio, ChoiceKind kind) { return RollOn(loop, ratio, kind, nullptr); }
bool Roll(Loop& loop, Ratio ratio, ChoiceKind kind, const Stream& stream) {
  return RollOn(loop, ratio, kind, &stream);
}

Duration DrawDuration(Loop& loop, Duration min, Duration max, ChoiceKind kind) {
  return DrawDurationOn(loop, min, max, kind, nullptr);
}
Duration DrawDuration(Loop& loop, Duration min, Duration max, ChoiceKind kind,
                      const Stream& stream) {
  return DrawDurationOn(loop, min, max, kind, &stream);
}

int64_t DrawSigned(Loop& loop, int64_t magnitude_max, ChoiceKind kind) {
  return DrawSignedOn(loop, magnitude_max, kind, nullptr);
}
int64_t DrawSigned(Loop& loop, int64_t magnitude_max, ChoiceKind kind, const Stream& stream) {
  return DrawSignedOn(loop, magnitude_max, kind, &stream);
}

}  // namespace laplace::sim
