#include "sim/clock.h"

#include "base/check.h"
#include "base/strings.h"
#include "sim/draw.h"

namespace laplace::sim {
namespace {

constexpr int64_t kPartsPerMillion = 1'000'000;

}  // namespace

NodeClock::NodeClock(Loop& loop, Duration offset, int64_t drift_ppm)
    : loop_(&loop), offset_(offset), drift_ppm_(drift_ppm) {
  LAPLACE_CHECK(drift_ppm < kPartsPerMillion) << "drift " << drift_ppm << "ppm is too fast";
  LAPLACE_CHECK(drift_ppm > -kPartsPerMillion) << "drift " << drift_ppm << "ppm stops time";
}

namespace {

int64_t DrawSignedOn(Loop& loop, int64_t magnitude_max, const Stream* stream) {
  return stream != nullptr ? DrawSigned(loop, magnitude_max, ChoiceKind::kFault, *stream)
                           : DrawSigned(loop, magnitude_max, ChoiceKind::kFault);
}

}  // namespace

NodeClock NodeClock::Draw(Loop& loop, const ClockOptions& options) {
  return DrawOn(loop, options, nullptr);
}

NodeClock NodeClock::Draw(Loop& loop, const ClockOptions& options, const Stream& stream) {
  return DrawOn(loop, options, &stream);
}

NodeClock NodeClock::DrawOn(Loop& loop, const ClockOptions& options, const Stream* stream) {
  LAPLACE_CHECK(options.offset_max >= Duration(0)) << "negative offset_max";
  LAPLACE_CHECK(options.drift_ppm_max >= 0 && options.drift_ppm_max < kPartsPerMillion)
      << "drift_ppm_max must be in [0, 1000000)";
  Duration offset(DrawSignedOn(loop, options.offset_max.count(), stream));
  int64_t drift_ppm = DrawSignedOn(loop, options.drift_ppm_max, stream);
  if (offset != Duration(0) || drift_ppm != 0) loop.CountFault("clock.skew");
  return NodeClock(loop, offset, drift_ppm);
}

Time NodeClock::ToLocal(Time global) const {
  const int64_t t = global.time_since_epoch().count();
  LAPLACE_CHECK(t >= 0) << "ToLocal of a time before the start of the run";
  // 128-bit product: t * drift never overflows; division truncates toward 0,
  // which keeps local time non-decreasing for |drift| < 10^6.
  const auto skew = static_cast<int64_t>(static_cast<__int128>(t) * drift_ppm_ / kPartsPerMillion);
  return Time(Duration(t + skew) + offset_);
}

Time NodeClock::ToGlobal(Time local) const {
  const int64_t target = (local - offset_).time_since_epoch().count();
  if (ToLocal(Time()) >= local) return Time();
  // Solve t + t * drift / 10^6 = target, then step to the exact boundary
  // (the estimate is off by at most a couple of nanoseconds).
  const __int128 scaled = static_cast<__int128>(target) * kPartsPerMillion;
  auto t = static_cast<int64_t>(scaled / (kPartsPerMillion + drift_ppm_));
  if (t < 0) t = 0;
  for (int i = 0; i < 8 && ToLocal(Time(Duration(t))) < local; ++i) ++t;
  for (int i = 0; i < 8 && t > 0 && ToLocal(Time(Duration(t - 1))) >= local; ++i) --t;
  LAPLACE_CHECK(ToLocal(Time(Duration(t))) >= local) << "ToGlobal did not converge";
  return Time(Duration(t));
}

std::string NodeClock::Describe() const {
  return ::laplace::internal::Cat("offset ", offset_ >= Duration(0) ? "+" : "",
                                  FormatDuration(offset_), ", drift ", drift_ppm_ >= 0 ? "+" : "",
                                  drift_ppm_, "ppm");
}

}  // namespace laplace::sim
