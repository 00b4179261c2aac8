#include "properties/simulation.h"

#include <exception>
#include <utility>

#include "base/strings.h"
#include "properties/assertions.h"

namespace laplace::properties {
namespace {

// The run in progress on this thread, for LAPLACE_ASSERT. Scoped to one
// Simulation's lifetime; no simulation state hides here.
thread_local Simulation* current_simulation = nullptr;

}  // namespace

Simulation::Simulation(LoopOptions loop_options)
    : owned_loop_(std::make_unique<Loop>(loop_options)),
      loop_(owned_loop_.get()),
      previous_current_(current_simulation) {
  current_simulation = this;
  loop_->AddStepHook([this] { CheckAfterStep(); });
}

Simulation::Simulation(Loop& loop, LoopOptions loop_options)
    : loop_(&loop), previous_current_(current_simulation) {
  loop_->Reset(loop_options);
  current_simulation = this;
  loop_->AddStepHook([this] { CheckAfterStep(); });
}

Simulation::~Simulation() {
  // Destroy the loop (and every task frame) while this is still current, so
  // assertions in destructors report here.
  if (owned_loop_ != nullptr) {
    owned_loop_.reset();
  } else {
    LoopOptions idle = loop_->options();
    idle.source = nullptr;  // the run's, about to go
    idle.strategy = nullptr;
    loop_->Reset(idle);
  }
  current_simulation = previous_current_;
}

Simulation* Simulation::Current() { return current_simulation; }

std::string Simulation::SiteName(std::string name, SourceLocation where) {
  if (!name.empty()) return name;
  return laplace::internal::Cat(where.file_name(), ":", where.line());
}

void Simulation::AddInvariant(std::string name, std::function<bool()> holds) {
  invariants_.push_back(Invariant{std::move(name), [holds = std::move(holds)] {
                                    return holds() ? absl::OkStatus()
                                                   : absl::InternalError("does not hold");
                                  }});
}

void Simulation::AddInvariantStatus(std::string name, std::function<absl::Status()> check) {
  invariants_.push_back(Invariant{std::move(name), std::move(check)});
}

void Simulation::AddWatch(Watch watch) { watches_.push_back(std::move(watch)); }

void Simulation::Deadline(std::string kind, std::string name, std::function<bool()> condition,
                          Duration within, std::string late,
                          std::function<std::string()> describe) {
  struct State {
    bool satisfied = false;
    TimerId timer = 0;
  };
  auto state = std::make_shared<State>();
  const Time deadline = AddSaturating(loop_->Now(), within);
  auto message = [late, describe] { return describe ? late + ": " + describe() : late; };
  state->timer = loop_->CallAt(deadline, [this, state, kind, name, condition, message] {
    if (state->satisfied || failure_.has_value()) return;
    if (condition()) {
      state->satisfied = true;
      return;
    }
    Fail(kind, name, message());
  });
  AddWatch(Watch{
      kind, name,
      [this, state, condition, message, deadline](bool at_end) -> std::optional<std::string> {
        if (state->satisfied) return std::nullopt;
        if (condition()) {
          state->satisfied = true;
          loop_->CancelTimer(state->timer);  // nothing left to wait for
          return std::nullopt;
        }
        if (!at_end) return std::nullopt;
        return laplace::internal::Cat(message(), " (the run ended at ", FormatTime(loop_->Now()),
                                      ", before the deadline ", FormatTime(deadline), ")");
      }});
}

void Simulation::Eventually(std::string name, std::function<bool()> condition, Duration within,
                            std::function<std::string()> describe) {
  Deadline(kLiveness, std::move(name), std::move(condition), within,
           "did not happen within " + FormatDuration(within), std::move(describe));
}

void Simulation::Fail(Failure failure) {
  if (failure_.has_value()) return;
  failure_ = std::move(failure);
  loop_->Stop(failure_->ToString());
  if (!loop_->running()) Snapshot();  // else when the running Run* returns
}

void Simulation::Snapshot() {
  if (final_.has_value()) return;
  final_ = Final{.digest = loop_->digest(),
                 .time = loop_->Now(),
                 .steps = loop_->steps(),
                 .preemptions = loop_->preemptions(),
                 .callbacks = loop_->callbacks_fired(),
                 .events = loop_->trace().events(),
                 .event_count = loop_->trace().event_count()};
}

void Simulation::Discard(std::string site) {
  if (discarded_ || failure_.has_value()) return;
  discarded_ = true;
  discard_site_ = std::move(site);
  loop_->Stop("case discarded: a precondition does not hold");
}

void Simulation::Fail(std::string kind, std::string site, std::string message) {
  Fail(Failure{.kind = std::move(kind),
               .site = std::move(site),
               .message = std::move(message),
               .time = loop_->Now(),
               .step = loop_->steps()});
}

void Simulation::CheckAfterStep() {
  if (failure_.has_value()) return;
  for (const Invariant& invariant : invariants_) {
    absl::Status status;
    try {
      status = invariant.check();
    } catch (const AssertionFailed&) {
      return;  // a LAPLACE_ASSERT in the invariant recorded its own failure
    } catch (...) {
      std::exception_ptr thrown = std::current_exception();
      Fail(kInvariant, invariant.name,
           laplace::internal::Cat("the invariant threw ", ExceptionTypeName(thrown), ": ",
                                  ExceptionMessage(thrown)));
      return;
    }
    if (!status.ok()) {
      Fail(kInvariant, invariant.name, std::string(status.message()));
      return;
    }
  }
  for (const Watch& watch : watches_) {
    if (std::optional<std::string> violation = watch.check(false)) {
      Fail(watch.kind, watch.name, *violation);
      return;
    }
  }
}

RunResult Simulation::Absorb(RunResult result) {
  if (discarded_) return result;
  if (result.outcome == RunOutcome::kTaskFailed && !failure_.has_value()) {
    ExceptionFailure thrown = ClassifyException(result.exception);
    if (thrown.discard) {
      Discard(thrown.site);  // RC_PRE in a task: this case does not count
      return result;
    }
  }
  if (!failure_.has_value() && !(result.outcome == RunOutcome::kDeadlock && allow_unfinished_)) {
    if (std::optional<Failure> failure = FailureFromRunResult(result)) Fail(std::move(*failure));
  }
  if (failure_.has_value()) Snapshot();
  return result;
}

RunResult Simulation::Run() { return Absorb(loop_->Run()); }

RunResult Simulation::RunFor(Duration duration) { return Absorb(loop_->RunFor(duration)); }

const std::optional<Failure>& Simulation::Finish() {
  if (discarded_ || failure_.has_value()) return failure_;
  for (const Watch& watch : watches_) {
    if (std::optional<std::string> violation = watch.check(true)) {
      Fail(watch.kind, watch.name, *violation);
      return failure_;
    }
  }
  if (!allow_unfinished_ && loop_->live_non_daemons() > 0) {
    Fail(kUnfinished, "tasks",
         loop_->steps() == 0
             ? laplace::internal::Cat(
                   "the property body returned without running its ", loop_->live_non_daemons(),
                   " task(s); end it with sim.Run() (the body's locals die when it "
                   "returns, so the tasks cannot run after it)")
             : laplace::internal::Cat(
                   loop_->live_non_daemons(),
                   " task(s) still unfinished when the body returned (run them to "
                   "the end with sim.Run(), or call sim.AllowUnfinishedTasks())"));
    return failure_;
  }
  if (!allow_broken_promises_ && loop_->broken_promises() > 0) {
    Fail(kUnfinished, "promises",
         laplace::internal::Cat(loop_->broken_promises(),
                                " promise(s) destroyed without being set (call "
                                "sim.AllowBrokenPromises() if that is intended)"));
  }
  return failure_;
}

}  // namespace laplace::properties
