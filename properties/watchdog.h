// Watchdog: turns a run that never yields back to the loop into a clear error.
//
// Virtual time cannot stop a task stuck in a synchronous infinite loop: the
// loop never gets control back. While a Watchdog is armed, a wall-clock alarm
// (SIGALRM) that goes off prints what was running (the test, the seed or
// replay, the task) and how to reproduce it, then exits the process with
// status 3. The wall clock is used only for this timeout, outside any
// simulation state.
//
//   Watchdog watchdog(std::chrono::seconds(60), "Bank.Transfers seed 7", &loop);
//   ... run ...  // disarmed when `watchdog` is destroyed
#ifndef LAPLACE_PROPERTIES_WATCHDOG_H_
#define LAPLACE_PROPERTIES_WATCHDOG_H_

#include <chrono>
#include <string>

#include "loop/loop.h"

namespace laplace::properties {

class Watchdog {
 public:
  // Arms the alarm; a timeout of zero or less disarms nothing and arms
  // nothing. `what` says how to reproduce (e.g. "rerun with LAPLACE_SEED=7").
  // `loop` (may be null) names the running task when the alarm fires.
  Watchdog(std::chrono::seconds timeout, const std::string& what, const Loop* loop);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog();

  // Points the alarm at a different loop (a new run of the same case).
  void Watch(const Loop* loop);

 private:
  bool armed_ = false;
};

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_WATCHDOG_H_
