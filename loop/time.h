// Virtual time: integer nanoseconds, never a double and never the wall clock.
//
// A simulation's clock starts at zero and only moves when the Loop jumps to
// the next timer, so `Duration` and `Time` are std::chrono types over int64
// nanoseconds on a clock that cannot be read from outside a Loop.
//
//   using namespace std::chrono_literals;
//   laplace::Duration rtt = 2ms + 500us;
//   laplace::Time deadline = loop.Now() + rtt;
//   std::string s = laplace::FormatDuration(rtt);   // "2.5ms"
//   std::string t = laplace::FormatTime(deadline);  // "t=2.5ms"
#ifndef LAPLACE_LOOP_TIME_H_
#define LAPLACE_LOOP_TIME_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace laplace {

// The simulated clock. It has no now(): only a Loop knows the time.
struct VirtualClock {
  using rep = int64_t;
  using period = std::nano;
  using duration = std::chrono::duration<rep, period>;
  using time_point = std::chrono::time_point<VirtualClock, duration>;
  static constexpr bool is_steady = true;
};

// A span of virtual time in nanoseconds.
using Duration = VirtualClock::duration;

// An instant of virtual time; `Time{}` is the start of every simulation.
using Time = VirtualClock::time_point;

// The latest representable instant; used as "no deadline".
inline constexpr Time kTimeMax = Time(Duration(INT64_MAX));

// `time + duration`, saturating at kTimeMax (and at the start of time for
// negative durations) instead of overflowing: "sleep for Duration::max()"
// means forever, not a negative deadline.
constexpr Time AddSaturating(Time time, Duration duration) {
  int64_t base = time.time_since_epoch().count();
  int64_t delta = duration.count();
  if (delta > 0 && base > INT64_MAX - delta) return kTimeMax;
  if (delta < 0 && base < INT64_MIN - delta) return Time(Duration(INT64_MIN));
  return Time(Duration(base + delta));
}

// Renders a duration with the largest unit that keeps it short and exact to
// three decimals: "0", "750ns", "12us", "2.5ms", "3s", "-1ms".
std::string FormatDuration(Duration duration);

// Renders an instant as "t=<duration since start>", e.g. "t=2.5ms".
std::string FormatTime(Time time);

}  // namespace laplace

#endif  // LAPLACE_LOOP_TIME_H_
