// NodeClock: a node's own clock, offset from and drifting against the Loop's
// virtual time.
//
// Real nodes never agree on the time: each clock starts off by some offset
// and runs a little fast or slow. A NodeClock maps the Loop's virtual time t
// (time since the start of the run) to the node's local time
//
//   local(t) = t + offset + t * drift_ppm / 1'000'000      (integer math)
//
// with offset in [-offset_max, +offset_max] and drift_ppm in
// [-drift_ppm_max, +drift_ppm_max], each drawn once when the node is made
// (kFault choices, zigzag-mapped so that value 0 is no skew). Local time never
// goes backwards (|drift_ppm| < 10^6 is required). Code that runs on a node
// reads its node's clock and sleeps in local time, so lease and timeout logic
// meets skew.
//
//   laplace::sim::NodeClock clock = laplace::sim::NodeClock::Draw(
//       loop, {.offset_max = std::chrono::milliseconds(50), .drift_ppm_max = 200});
//   laplace::Time local = clock.Now();
//   co_await clock.Sleep(std::chrono::seconds(1));  // one second of *local* time
//   laplace::Time global = clock.ToGlobal(local);    // back to Loop time
#ifndef LAPLACE_SIM_CLOCK_H_
#define LAPLACE_SIM_CLOCK_H_

#include <cstdint>
#include <string>

#include "loop/loop.h"
#include "loop/time.h"

namespace laplace::sim {

// Bounds of clock skew. The defaults: every node's clock is the Loop's.
struct ClockOptions {
  // Each node's offset is drawn in [-offset_max, +offset_max].
  Duration offset_max = Duration(0);
  // Each node's drift is drawn in [-drift_ppm_max, +drift_ppm_max] parts per
  // million. Requires 0 <= drift_ppm_max < 1'000'000.
  int64_t drift_ppm_max = 0;
};

// One node's skewed view of the Loop's virtual time. Cheap to copy.
class NodeClock {
 public:
  // A clock with the given skew. Requires |drift_ppm| < 1'000'000.
  NodeClock(Loop& loop, Duration offset, int64_t drift_ppm);
  // Draws offset, then drift, within `options` (two kFault choices, or
  // none for zero bounds).
  static NodeClock Draw(Loop& loop, const ClockOptions& options);
  // The same on `stream` (a node's clock draws on "clock <node>").
  static NodeClock Draw(Loop& loop, const ClockOptions& options, const Stream& stream);

  // The node's local time now.
  Time Now() const { return ToLocal(loop_->Now()); }
  // Local time at Loop time `global` (which must be >= Time{}).
  Time ToLocal(Time global) const;
  // The earliest Loop time whose local time is >= `local`; Time{} if that
  // local time is already reached at the start.
  Time ToGlobal(Time local) const;

  // Suspends the awaiting task until the node's clock reads `local_deadline`
  // (or for `local_duration` of node time). The Loop resumes it when the
  // corresponding virtual-time timer fires; cancelling removes the timer.
  [[nodiscard]] auto SleepUntil(Time local_deadline) const {
    return loop_->SleepUntil(ToGlobal(local_deadline));
  }
  [[nodiscard]] auto Sleep(Duration local_duration) const {
    return loop_->SleepUntil(ToGlobal(Now() + local_duration));
  }

  // The skew this clock was made with.
  Duration offset() const { return offset_; }
  int64_t drift_ppm() const { return drift_ppm_; }
  // "offset +3ms, drift -120ppm".
  std::string Describe() const;

 private:
  static NodeClock DrawOn(Loop& loop, const ClockOptions& options, const Stream* stream);
  Loop* loop_;
  Duration offset_;
  int64_t drift_ppm_;
};

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_CLOCK_H_
