// Simulation: one run of a property, and the invariants it must keep.
//
// The harness makes a Simulation for every run (a seed, a shrink candidate, a
// replay) and hands it to the property's body as `sim`. The body builds the
// system under test on sim.loop(), spawns tasks and states what must hold:
// invariants over the whole state checked after every scheduling step,
// liveness ("eventually X within D"), and expectations on futures. The first
// violation stops the run and becomes the run's Failure, whose signature
// (kind:site) shrinking preserves.
//
//   LAPLACE_PROPERTY(Bank, TransfersKeepTheTotal, ()) {
//     Bank bank(sim.loop(), {.fixed = true});
//     sim.AddInvariant("total-preserved", [&] { return bank.total() == 300; });
//     auto done = sim.loop().Spawn(Client(sim.loop(), bank), "client");
//     sim.ExpectResolvesWithin(done, std::chrono::seconds(1));
//     sim.Run();  // run to the end here: `bank` dies when the body returns
//   }
//
// The body runs the loop itself (Run, RunFor, RunUntilComplete, in phases if
// it likes), because the tasks it spawns refer to its locals. When it
// returns, the end-of-run rules apply: unless the body said otherwise
// (AllowUnfinishedTasks, AllowBrokenPromises), a run fails if non-daemon
// tasks are left unfinished or a promise was destroyed unset.
#ifndef LAPLACE_PROPERTIES_SIMULATION_H_
#define LAPLACE_PROPERTIES_SIMULATION_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "loop/loop.h"
#include "loop/source_location.h"
#include "loop/task.h"
#include "loop/wait_for.h"
#include "properties/failure.h"

namespace laplace::properties {

class Simulation {
 public:
  explicit Simulation(LoopOptions loop_options);
  // Runs on `loop`, Reset to `loop_options` first (loop.h), instead of on a Loop of its own: what
  // RunOnce does to keep one Loop's memory from run to run. When the Simulation ends, `loop` is
  // reset again (every task frame destroyed, as ~Loop would) to options without source or
  // strategy, so it holds nothing of this run; it stays the caller's.
  Simulation(Loop& loop, LoopOptions loop_options);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;
  ~Simulation();

  Loop& loop() { return *loop_; }

  // The Simulation whose run is in progress on this thread (what
  // LAPLACE_ASSERT reports to), or null.
  static Simulation* Current();

  // ---- Invariants: checked after every scheduling step ----

  // `holds` must stay true. Its name is the failure's site. An invariant
  // that throws fails the run as that invariant ("threw ..."), since it could
  // not be checked.
  void AddInvariant(std::string name, std::function<bool()> holds);
  // `check` must stay OK; its message explains a violation.
  void AddInvariantStatus(std::string name, std::function<absl::Status()> check);

  // ---- Liveness ----

  // From now on, `condition` must become true within `within` of virtual
  // time, else a liveness failure named `name`, whose message adds
  // `describe()` (the state that did not get there) when given. Checked after
  // every step and callback, and at the deadline (a callback timer, which
  // keeps Run() going until then); the run also fails if it ends before the
  // deadline without the condition having held.
  void Eventually(std::string name, std::function<bool()> condition, Duration within,
                  std::function<std::string()> describe = {});

  // ---- Expectations on futures (Future<T> or TaskHandle<T>) ----
  // An empty name is replaced by the caller's file:line.

  // Must resolve within `within` from now (liveness).
  template <typename Target>
  void ExpectResolvesWithin(const Target& target, Duration within, std::string name = {},
                            SourceLocation where = SourceLocation::current());
  // Must still be unresolved when the run ends.
  template <typename Target>
  void ExpectNeverResolves(const Target& target, std::string name = {},
                           SourceLocation where = SourceLocation::current());
  // Must resolve, and `check(result)` must return true, where result is the
  // target's Result<T> (a value or an error status).
  template <typename Target, typename Check>
  void ExpectResolvesTo(const Target& target, Check check, std::string name = {},
                        SourceLocation where = SourceLocation::current());
  // `first` must resolve no later than `second`.
  template <typename First, typename Second>
  void ExpectResolvesBefore(const First& first, const Second& second, std::string name = {},
                            SourceLocation where = SourceLocation::current());

  // ---- End-of-run rules ----

  // Non-daemon tasks may be left blocked when the run ends (no deadlock
  // failure, no "unfinished" failure).
  void AllowUnfinishedTasks() { allow_unfinished_ = true; }
  // Promises may be destroyed unset (e.g. by crashed nodes).
  void AllowBrokenPromises() { allow_broken_promises_ = true; }

  // ---- Failing ----

  // Records `failure` (the first one wins) and stops the loop.
  void Fail(Failure failure);
  // Fail() with the current time and step filled in.
  void Fail(std::string kind, std::string site, std::string message);
  const std::optional<Failure>& failure() const { return failure_; }
  bool failed() const { return failure_.has_value(); }

  // Rejects this case (a RapidCheck precondition did not hold): the run
  // stops and counts as neither a pass nor a failure. `site` ("file:line" of
  // the RC_PRE) is where a report of discarded cases points.
  void Discard(std::string site = {});
  bool discarded() const { return discarded_; }
  const std::string& discard_site() const { return discard_site_; }

  // ---- Running ----

  // Run the loop (see Loop::Run/RunFor/RunUntilComplete) and turn a
  // deadlock or an exhausted budget into the run's failure.
  RunResult Run();
  RunResult RunFor(Duration duration);
  template <typename Target>
  RunResult RunUntilComplete(const Target& target) {
    return Absorb(loop_->RunUntilComplete(target));
  }

  // The run as it stood when it failed (taken when the failing Run* call
  // returned, or at Fail() outside a run), so that what the body's locals do
  // as they are destroyed afterwards is not part of the failure's digest and
  // trace. Empty while the run has not failed.
  struct Final {
    uint64_t digest = 0;
    Time time;
    uint64_t steps = 0;
    uint64_t preemptions = 0;
    uint64_t callbacks = 0;
    std::vector<TraceEvent> events;
    uint64_t event_count = 0;  // events recorded in all (`events` may be the last ones)
  };
  const std::optional<Final>& final() const { return final_; }

  // Called by the harness after the body returns: applies the end-of-run
  // rules (it does not run the loop). Returns the run's failure, if any.
  const std::optional<Failure>& Finish();

 private:
  struct Watch {
    std::string kind;
    std::string name;
    // Returns a failure message when violated; `at_end` is true once the run
    // has ended.
    std::function<std::optional<std::string>(bool at_end)> check;
  };

  RunResult Absorb(RunResult result);
  // Keeps the trace as it is now as the run's final record (see final()).
  void Snapshot();
  // Requires `condition` to hold within `within`: the shared machinery of
  // Eventually and ExpectResolvesWithin.
  void Deadline(std::string kind, std::string name, std::function<bool()> condition,
                Duration within, std::string late, std::function<std::string()> describe);
  void CheckAfterStep();
  void AddWatch(Watch watch);
  static std::string SiteName(std::string name, SourceLocation where);

  std::unique_ptr<Loop> owned_loop_;  // null when running on a caller's Loop
  Loop* loop_;
  std::optional<Failure> failure_;
  std::optional<Final> final_;
  struct Invariant {
    std::string name;
    std::function<absl::Status()> check;
  };
  std::vector<Invariant> invariants_;
  std::vector<Watch> watches_;
  bool allow_unfinished_ = false;
  bool discarded_ = false;
  std::string discard_site_;
  bool allow_broken_promises_ = false;
  Simulation* previous_current_ = nullptr;
};

// Implementation details follow.

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}

template <typename Target>
void Simulation::ExpectResolvesWithin(const Target& target, Duration within, std::string name,
                                      SourceLocation where) {
  Deadline(kLiveness, SiteName(std::move(name), where), [target] { return target.done(); }, within,
           "did not resolve within " + FormatDuration(within), {});
}

template <typename Target>
void Simulation::ExpectNeverResolves(const Target& target, std::string name, SourceLocation where) {
  AddWatch(Watch{kExpectation, SiteName(std::move(name), where),
                 [target](bool) -> std::optional<std::string> {
                   if (!target.done()) return std::nullopt;
                   return std::string("resolved, but was expected never to");
                 }});
}

template <typename Target, typename Check>
void Simulation::ExpectResolvesTo(const Target& target, Check check, std::string name,
                                  SourceLocation where) {
  AddWatch(Watch{kExpectation, SiteName(std::move(name), where),
                 [target, check](bool at_end) -> std::optional<std::string> {
                   if (!target.done()) {
                     if (at_end) return std::string("never resolved");
                     return std::nullopt;
                   }
                   if (check(target.result())) return std::nullopt;
                   return std::string("resolved to a result the check rejects");
                 }});
}

template <typename First, typename Second>
void Simulation::ExpectResolvesBefore(const First& first, const Second& second, std::string name,
                                      SourceLocation where) {
  AddWatch(Watch{kExpectation, SiteName(std::move(name), where),
                 [first, second](bool at_end) -> std::optional<std::string> {
                   if (second.done() && !first.done()) {
                     return std::string("the second resolved before the first");
                   }
                   if (at_end && !first.done()) return std::string("the first never resolved");
                   return std::nullopt;
                 }});
}

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_SIMULATION_H_
