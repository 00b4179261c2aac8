// Running the Loop: the Run* calls, one scheduling step, and how a run ends (idle, deadlock,
// budgets, Stop).
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "loop/internal/shared_state.h"
#include "loop/loop.h"

namespace laplace {

// ---- Running ----

RunResult Loop::Run() { return RunLoop({.until = RunGoal::kOnlyDaemons}); }

void Loop::Stop(std::string reason) {
  if (sticky_failure_.has_value()) return;
  Record(EventKind::kFailure, current_task(), 0, 0, reason, HereLinks());
  sticky_failure_ = RunResult{.outcome = RunOutcome::kStopped, .message = std::move(reason)};
}

RunResult Loop::Finish(RunOutcome outcome, std::string message) {
  RunResult result;
  result.outcome = outcome;
  result.message = std::move(message);
  result.time = now_;
  result.steps = steps_;
  return result;
}

// Inlined into RunLoop, its only caller: this is the hottest code there is.
LAPLACE_HOT_INLINE void Loop::RunOneStep() {
  // Candidates: the task that just yielded (if any) first, then the ready
  // queue. Picking 0 keeps the yielder running (no preemption).
  internal::TaskRecord* task;
  if (yielder_ != nullptr) {
    internal::TaskRecord* yielder = std::exchange(yielder_, nullptr);
    size_t pick = ready_.empty() && !consult_single_ ? 0 : Pick(ready_.size() + 1, yielder);
    // A preempted yielder takes the picked task's place in the queue.
    if (pick == 0) {
      task = yielder;
    } else {
      ++preemptions_;
      task = ready_.Exchange(pick - 1, yielder);
    }
  } else {
    size_t pick = ready_.size() == 1 && !consult_single_ ? 0 : Pick(ready_.size(), nullptr);
    task = ready_.PopAt(pick);
  }
  if (!random_walk_) {
    strategy_->OnStep(task->id, PendingOperation{task->wait_kind, task->wait_object});
  }

  ++steps_;
  ++steps_at_instant_;
  BumpProgress();
  task->state = internal::TaskState::kRunning;
  current_ = task;
  Record(EventKind::kResume, task->id, static_cast<uint64_t>(task->wait_kind), task->wait_object,
         {}, EventLinks{.cause = task->woken_by, .group = task->group});
  std::coroutine_handle<> handle = task->resume_point;
  while (true) {
    next_ = nullptr;
    handle.resume();
    if (!next_) break;
    handle = next_;
  }
  current_ = nullptr;
  // The common case inline: the task yielded and may keep running next.
  if (task->state == internal::TaskState::kReady && !task->cancel_requested &&
      paused_groups_.empty() && held_tasks_ == 0 && !task->root.done()) {
    yielder_ = task;
    return;
  }
  AfterResume(*task);
}

RunResult Loop::RunLoop(const RunGoal& goal) {
  LAPLACE_CHECK(!running_) << "Loop::Run* is not reentrant (called from inside a task?)";
  LAPLACE_CHECK(current_ == nullptr) << "Loop::Run* called from inside a task";
  LAPLACE_CHECK(goal.until != RunGoal::kResolved || goal.target != nullptr)
      << "running until a target resolves needs a target";
  running_ = true;
  struct ClearRunning {
    bool& running;
    ~ClearRunning() { running = false; }
  } clear_running{running_};

  // The goal's checks made before every step, kept to a load and a compare each.
  const internal::SharedStateBase* const target =
      goal.until == RunGoal::kResolved ? goal.target : nullptr;
  const bool stop_when_only_daemons = goal.until == RunGoal::kOnlyDaemons;
  while (true) {
    if (sticky_failure_.has_value()) return StickyFailure();
    if (target != nullptr && target->resolved()) return Finish(RunOutcome::kCompleted);
    if (stop_when_only_daemons && live_non_daemons_ == 0 && live_callbacks_ == 0) {
      return Finish(RunOutcome::kIdle);  // only daemons are left
    }
    if (!timers_.empty() && timers_.top_deadline() <= now_) {
      FireDueTimers();
      if (sticky_failure_.has_value()) continue;
      // Callbacks that keep re-arming themselves spend the budgets too.
      if (BudgetExhausted()) return ExhaustedBudget();
    }
    if (yielder_ == nullptr && ready_.empty()) {
      if (std::optional<RunResult> end = AdvanceToNextTimer(goal)) return *std::move(end);
      continue;
    }
    if (BudgetExhausted()) [[unlikely]] {
      return ExhaustedBudget();
    }
    RunOneStep();
    RunStepHooks();
  }
}

std::optional<RunResult> Loop::AdvanceToNextTimer(const RunGoal& goal) {
  const bool has_horizon = goal.until == RunGoal::kHorizon;
  if (timers_.empty()) {
    RunResult result = IdleOrDeadlock(goal);
    if (result.outcome == RunOutcome::kIdle && has_horizon) {
      AdvanceTo(goal.horizon);
      return Finish(RunOutcome::kTimeReached);
    }
    return result;
  }
  const Time next = timers_.top_deadline();
  if (has_horizon && next > goal.horizon) {
    AdvanceTo(goal.horizon);
    return Finish(RunOutcome::kTimeReached);
  }
  if (next > Time() + options_.time_max) {
    return Finish(
        RunOutcome::kTimeBudgetExhausted,
        internal::Cat("the next timer is at ", FormatTime(next), ", past LoopOptions::time_max (",
                      FormatDuration(options_.time_max), ")"));
  }
  AdvanceTo(next);
  return std::nullopt;
}

RunResult Loop::StickyFailure() const {
  RunResult result = *sticky_failure_;
  result.time = now_;
  result.steps = steps_;
  return result;
}

void Loop::AdvanceTo(Time time) {
  if (time <= now_) return;
  now_ = time;
  steps_at_instant_ = 0;
}

RunResult Loop::ExhaustedBudget() {
  RunResult result;
  if (steps_ + callbacks_fired_ >= options_.steps_max) {
    result = Finish(RunOutcome::kStepBudgetExhausted,
                    internal::Cat("LoopOptions::steps_max (", options_.steps_max,
                                  ") scheduling steps and callbacks taken (", steps_, " steps, ",
                                  callbacks_fired_, " callbacks)"));
  } else if (steps_at_instant_ >= options_.steps_per_instant_max) {
    result = Finish(RunOutcome::kSpin,
                    internal::Cat(steps_at_instant_, " steps and callbacks at ", FormatTime(now_),
                                  " without virtual time advancing; is a task polling with "
                                  "Yield(), or a callback re-arming itself with no delay?"));
  } else {
    LAPLACE_CHECK(false) << "ExhaustedBudget() called with budget left";
  }
  // Whatever is unfinished is the likely culprit (a task blocked forever
  // while a daemon keeps time moving shows up here).
  result.blocked = UnfinishedTasks();
  return result;
}

std::vector<BlockedTask> Loop::UnfinishedTasks() const {
  std::vector<BlockedTask> tasks;
  for (const auto& [id, task] : tasks_) {
    tasks.push_back(BlockedTask{id, std::string(label(id)), DescribeWait(*task), task->daemon});
  }
  return tasks;
}

size_t Loop::PickWithStrategy(size_t candidates, const internal::TaskRecord* yielder) {
  // A replay's tape already holds every pick, as the random walk's
  // (strategy.h): no strategy state is needed to rerun it.
  if (source_->replays()) return ChooseOn(candidates, ChoiceKind::kSchedule, kUnnamedStream);
  SchedulingPoint point(*this, yielder, ready_);
  size_t pick = strategy_->Pick(point);
  LAPLACE_CHECK(pick < candidates)
      << strategy_->name() << " picked " << pick << " of " << candidates;
  if (point.drawn_.has_value()) {
    LAPLACE_CHECK(pick == *point.drawn_) << strategy_->name() << " drew " << *point.drawn_
                                         << " but picked " << pick << " (strategy.h)";
  } else if (candidates >= 2) {
    // Decided, not drawn: on the tape as the random walk's pick, so a replay needs no strategy.
    source_->RecordDecided(ChoiceKind::kSchedule, candidates, pick, kUnnamedStream);
    trace_.RecordChoice(ChoiceKind::kSchedule, candidates, pick);
  }
  return pick;
}

void Loop::AfterResume(internal::TaskRecord& task) {
  if (task.root.done()) {
    FinishTask(task);
    return;
  }
  LAPLACE_CHECK(task.state != internal::TaskState::kRunning)
      << DescribeTask(task.id)
      << " suspended on something that is not a Laplace awaitable, so nothing will ever "
         "resume it; await only Laplace tasks, futures, timers and sync objects";
  if (task.cancel_requested) {
    DestroyTask(task, absl::CancelledError("task cancelled"), last_event());
    return;
  }
  if (task.state == internal::TaskState::kReady && !ParkIfPaused(task)) yielder_ = &task;
}

RunResult Loop::IdleOrDeadlock(const RunGoal& goal) {
  const internal::SharedStateBase* target =
      goal.until == RunGoal::kResolved ? goal.target : nullptr;
  // Running for a while (or until quiet), a paused group may be resumed after the call returns,
  // so its parked tasks are not stuck. Running to the end, it never will be.
  const bool paused_may_resume = goal.until == RunGoal::kHorizon || goal.until == RunGoal::kQuiet;
  bool stuck_work = target != nullptr;  // the target can no longer resolve
  for (const auto& [id, task] : tasks_) {
    bool parked = task->state == internal::TaskState::kParked;
    if (!task->daemon && !(parked && paused_may_resume)) stuck_work = true;
  }
  if (!stuck_work) return Finish(RunOutcome::kIdle);
  // Described only now: an idle run that leaves daemons blocked does not pay for their words.
  std::vector<BlockedTask> blocked = UnfinishedTasks();
  Record(EventKind::kDeadlock, 0, blocked.size(), 0, {},
         EventLinks{.context = EventContext::kLoop});
  std::string message = target != nullptr
                            ? internal::Cat("nothing can run and no timer is pending, but ",
                                            target->Describe(), " is unresolved")
                            : internal::Cat("nothing can run and no timer is pending, but ",
                                            blocked.size(), " task(s) are blocked");
  RunResult result = Finish(RunOutcome::kDeadlock, std::move(message));
  result.blocked = std::move(blocked);
  return result;
}

}  // namespace laplace
