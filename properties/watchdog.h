// Watchdog: turns a run that stops making progress into a replay file and a clear error.
//
// Virtual time cannot stop a task stuck in a synchronous infinite loop: the loop never gets
// control back. A watchdog thread reads the watched Loop's progress counter (steps and callbacks,
// Loop::progress()) about every second of wall time; a run whose counter moves is never ended
// here, whatever its length (the step and time budgets end it, with a replay). When the counter
// has not moved for the timeout, the watchdog freezes the running thread (a signal whose handler
// waits), calls the hang handler on its own thread to write what it can (the replay of the run up
// to the stuck step: RunOptions::on_hang), prints what was running (the test, how to reproduce
// it, the task and step) and exits the process with status 3. The whole case is covered, the
// Loop's teardown too (Watch(nullptr): no counter moves then). The wall clock is used only here,
// outside any simulation state.
//
//   Watchdog watchdog(std::chrono::seconds(60), "Bank.Transfers seed 7");
//   watchdog.Watch(&loop, [&] { return WriteHangReplay(); });
//   ... run ...
//   watchdog.Watch(nullptr, {});  // the Loop is about to be destroyed: still timed
//   ... teardown ...              // disarmed when `watchdog` is destroyed
#ifndef LAPLACE_PROPERTIES_WATCHDOG_H_
#define LAPLACE_PROPERTIES_WATCHDOG_H_

#include <chrono>
#include <functional>
#include <string>

#include "loop/loop.h"

namespace laplace::properties {

class Watchdog {
 public:
  // Called on the watchdog's thread while the stuck thread is frozen; returns lines to print
  // (where the replay went, or why it could not be written).
  using HangHandler = std::function<std::string()>;

  // Arms the watchdog for the calling thread; a timeout of zero or less arms nothing. `what`
  // says how to reproduce (e.g. "rerun with LAPLACE_SEED=7"). One Watchdog is armed at a time
  // per process (a second one waits for nothing: it is not armed).
  Watchdog(std::chrono::seconds timeout, const std::string& what);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog();

  // Reads `loop`'s progress from now on (null: none, the time since the last progress still
  // counts) and calls `on_hang` if it fires. The Loop must outlive the next Watch call.
  void Watch(const Loop* loop, HangHandler on_hang);

  // How often the watchdog's thread looks (wall time).
  static constexpr std::chrono::milliseconds kCheckInterval{250};

 private:
  bool armed_ = false;
};

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_WATCHDOG_H_
