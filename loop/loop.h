// Loop: the deterministic, single-threaded, virtual-time event loop.
//
// A Loop runs coroutine tasks (Task<T>, see task.h) one at a time. Whenever the
// running task suspends on a Laplace awaitable, the Loop's Strategy picks the
// next ready task using the Loop's choice source; when no task is ready, the
// virtual clock jumps to the earliest timer. Nothing depends on the wall
// clock, on addresses or on hashing, so a seed (or a tape) determines the
// whole run, and the trace digest proves it.
//
// The concepts follow Python's asyncio: an event loop, tasks you spawn and
// await or cancel, futures, sleep, gather (gather.h), wait_for (wait_for.h),
// Lock, Semaphore, Event and Queue (sync/).
//
//   laplace::Loop loop({.seed = 42});
//   laplace::Task<int> Ping(laplace::Loop& loop) {
//     co_await loop.Sleep(std::chrono::milliseconds(5));
//     co_return 7;
//   }
//   laplace::TaskHandle<int> ping = loop.Spawn(Ping(loop), "ping");
//   laplace::RunResult result = loop.RunUntilComplete(ping);
//   assert(result.ok() && ping.result().value() == 7);
//   assert(loop.Now() == laplace::Time(std::chrono::milliseconds(5)));
#ifndef LAPLACE_LOOP_LOOP_H_
#define LAPLACE_LOOP_LOOP_H_

#include <coroutine>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/status/status.h"
#include "loop/choice.h"
#include "loop/internal/loop_object.h"
#include "loop/internal/ready_queue.h"
#include "loop/internal/task_record.h"
#include "loop/internal/timer_heap.h"
#include "loop/result.h"
#include "loop/strategy.h"
#include "loop/time.h"
#include "loop/trace.h"

namespace laplace {

template <typename T>
class Task;
template <typename T>
class TaskHandle;

namespace internal {
class SharedStateBase;
class SleepAwaiter;
class YieldAwaiter;
}  // namespace internal

// Identifies a callback scheduled with Loop::CallAt / CallLater.
using TimerId = uint64_t;

// What a higher layer knows about a note it records (see EventLinks): none
// of it is folded into the digest.
struct NoteLinks {
  NoteKind kind = NoteKind::kPlain;
  // The node the note is about; default: the running task's group (0
  // outside tasks).
  std::optional<uint32_t> group;
  EventRef cause = 0;  // an earlier event this one follows from
  uint64_t flow = 0;   // the message it is about
};

struct SpawnOptions {
  // Shown in traces and deadlock reports. Need not be unique, but traces are
  // easier to read when it is.
  std::string_view label;
  // A daemon (a server's accept loop, say) may stay blocked when the run
  // ends without that being a deadlock.
  bool daemon = false;
  // The task's group, e.g. a simulated node; the whole group can be paused,
  // resumed or cancelled at once. Default: the spawning task's group, or 0.
  std::optional<uint32_t> group;
};

// How a Run call ended. The first three are normal; the rest are failures.
enum class RunOutcome : uint8_t {
  kIdle,                 // nothing left to run and nothing blocked (but daemons)
  kCompleted,            // RunUntilComplete's target resolved
  kTimeReached,          // RunFor / RunUntil reached its horizon
  kDeadlock,             // nothing can ever run again, yet work is unfinished
  kStepBudgetExhausted,  // LoopOptions::steps_max scheduling steps taken
  kTimeBudgetExhausted,  // the clock would pass LoopOptions::time_max
  kSpin,                 // steps_per_instant_max steps without time advancing
  kTaskFailed,           // an exception escaped a task nobody awaits
  kDivergence,           // the replayed tape does not fit this program
  kStopped,              // Loop::Stop() was called (e.g. an invariant failed)
};

// "idle", "completed", "deadlock", ...
std::string_view RunOutcomeName(RunOutcome outcome);

// A task that could not run when a run deadlocked.
struct BlockedTask {
  TaskId id = 0;
  std::string label;
  std::string waiting_on;  // e.g. "lock #3 'accounts' held by #2 'alice'"
  bool daemon = false;
};

struct RunResult {
  RunOutcome outcome = RunOutcome::kIdle;
  Time time;                         // the virtual time when the run ended
  uint64_t steps = 0;                // scheduling steps taken since the Loop was made
  std::string message;               // for failures: what happened
  std::vector<BlockedTask> blocked;  // for kDeadlock: who waits on what
  std::exception_ptr exception;      // for kTaskFailed: what was thrown

  // True for kIdle, kCompleted and kTimeReached.
  bool ok() const {
    return outcome == RunOutcome::kIdle || outcome == RunOutcome::kCompleted ||
           outcome == RunOutcome::kTimeReached;
  }
  // A multi-line report: outcome, time, steps, message, blocked tasks.
  std::string ToString() const;
};

struct LoopOptions {
  // Seeds the default choice source (a SeededSource) when `source` is null.
  uint64_t seed = 0;
  // Where choices come from (replay, shrinking, fuzzing). Not owned; must
  // outlive the Loop.
  ChoiceSource* source = nullptr;
  // Which ready task runs next. Not owned. Null means random walk.
  Strategy* strategy = nullptr;
  // Budgets: exceeding one ends the run with a failure outcome, never a hang.
  uint64_t steps_max = 10'000'000;
  Duration time_max = std::chrono::hours(24 * 365);
  uint64_t steps_per_instant_max = 1'000'000;
  // A replayed tape that no longer fits the program ends the run with
  // kDivergence; set false to continue best-effort (every later choice 0).
  bool stop_on_divergence = true;
  TraceOptions trace;
};

class Loop {
 public:
  explicit Loop(LoopOptions options = {});
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  // Destroys every task frame the Loop still owns, newest task first, without
  // resuming any of them; then detaches every object bound to it.
  ~Loop();

  // ---- Time ----

  // The current virtual time; Time{} when the Loop is made.
  Time Now() const { return now_; }

  // Suspends the awaiting task until Now() + duration (at least one
  // scheduling point). A duration <= 0 is Yield(). The Loop resumes the task
  // when the timer fires; timers due at the same instant fire in an order
  // that is a kTimerTie choice. Cancelling the task removes the timer.
  [[nodiscard]] internal::SleepAwaiter Sleep(Duration duration);
  [[nodiscard]] internal::SleepAwaiter SleepUntil(Time deadline);

  // A scheduling point: the task stays ready and the strategy may run
  // another task first (choice 0 keeps running this one).
  [[nodiscard]] internal::YieldAwaiter Yield();

  // ---- Tasks ----

  // Starts `task` as a new concurrent task. It runs at a later scheduling
  // point, never inside Spawn. The handle may be awaited (see task.h), used
  // to cancel the task, or dropped: the task keeps running either way.
  template <typename T>
  TaskHandle<T> Spawn(Task<T> task, SpawnOptions options = {});
  template <typename T>
  TaskHandle<T> Spawn(Task<T> task, std::string_view label) {
    return Spawn(std::move(task), SpawnOptions{.label = label});
  }

  // Cancels a task: if it is suspended, its coroutine frames are destroyed
  // now (running destructors, so RAII guards release what they hold) and its
  // awaiters wake with `reason`; if it is the running task, that happens at
  // its next suspension (if it returns first, its result stands, as in
  // asyncio). Returns false if the task already ended.
  bool Cancel(TaskId task, absl::Status reason = absl::CancelledError("task cancelled"));

  // The running task's id, or 0 outside any task.
  TaskId current_task() const;
  // The running task's group, or 0 outside any task.
  uint32_t current_group() const;
  // How many tasks have been spawned and not yet ended.
  size_t live_tasks() const { return tasks_.size(); }
  // How many of those are not daemons.
  size_t live_non_daemons() const { return live_non_daemons_; }
  // How many live tasks belong to `group` (O(live tasks)).
  size_t live_tasks(uint32_t group) const;
  // A task's label ("" if it had none); works after the task ended.
  std::string_view label(TaskId task) const;

  // ---- Groups (simulated nodes) ----

  // Names `group` for trace tools (a node's name); not in the digest.
  void NameGroup(uint32_t group, std::string name);
  // The name given with NameGroup, or "" (group 0 and unnamed groups).
  std::string_view group_name(uint32_t group) const;
  // Every named group, by id.
  const absl::btree_map<uint32_t, std::string>& group_names() const { return group_names_; }
  // Every labelled task this Loop spawned, by id.
  const absl::btree_map<TaskId, std::string>& task_labels() const { return labels_; }

  // Cancels every live task of `group` at once, newest first (see Cancel).
  void CancelGroup(uint32_t group, absl::Status reason);
  // While paused, the group's ready tasks are held back; timers still fire
  // and wake them, but they run only after ResumeGroup.
  void PauseGroup(uint32_t group);
  void ResumeGroup(uint32_t group);
  bool IsPaused(uint32_t group) const { return paused_groups_.contains(group); }

  // ---- Callbacks ----

  // Runs `callback` at `when` (clamped to Now()), outside any task. Timers
  // due at the same instant fire in an order that is a kTimerTie choice.
  TimerId CallAt(Time when, std::function<void()> callback);
  TimerId CallLater(Duration delay, std::function<void()> callback) {
    return CallAt(AddSaturating(now_, delay), std::move(callback));
  }
  // Returns false if the callback already ran or was cancelled.
  bool CancelTimer(TimerId timer);

  // ---- Running ----

  // Runs until every task that is not a daemon has ended and no callback
  // timer is pending (daemons may still be ready or asleep: they are the
  // servers, and they never end on their own). Like asyncio.run(main).
  RunResult Run();
  // Runs until `target` (a TaskHandle or a Future) resolves.
  template <typename Target>
  RunResult RunUntilComplete(const Target& target) {
    return RunLoop(&target.internal_state(), std::nullopt);
  }
  // Runs everything due up to Now() + duration, then sets the clock there
  // (kTimeReached). If work is left that can never run again (a deadlock),
  // returns kDeadlock at once instead, without moving the clock.
  RunResult RunFor(Duration duration) { return RunUntil(AddSaturating(now_, duration)); }
  RunResult RunUntil(Time horizon) { return RunLoop(nullptr, horizon); }
  // Runs until nothing is ready and no timer is pending at all, daemons'
  // included (kIdle), or a deadlock. For worlds made only of servers.
  RunResult RunUntilQuiet() { return RunLoop(nullptr, std::nullopt, /*quiet=*/true); }

  // Ends the current (or next) Run call with kStopped once the running task
  // suspends. The first reason given wins; later Run calls return it again.
  void Stop(std::string reason);
  // Whether Stop, a task failure or a divergence has ended this Loop's runs.
  bool stopped() const { return sticky_failure_.has_value(); }
  // Whether a Run* call is in progress.
  bool running() const { return running_; }

  // Calls `hook` after every scheduling step and every callback timer,
  // outside any task; hooks check invariants and call Stop() when one fails.
  void AddStepHook(std::function<void()> hook) { step_hooks_.push_back(std::move(hook)); }

  // Scheduling steps taken so far (one per task resumption).
  uint64_t steps() const { return steps_; }
  // Promises destroyed without being set, so far (see future.h).
  uint64_t broken_promises() const { return broken_promises_; }

  // ---- Choices ----

  // A choice in [0, bound) from the choice source (see choice.h); bound 1
  // is answered 0 without asking or recording. Requires bound >= 1.
  uint64_t Choose(uint64_t bound, ChoiceKind kind = ChoiceKind::kDraw);
  // True with probability numerator/denominator; 0 (the least surprising
  // outcome) means false. Certain outcomes draw no choice.
  bool Chance(uint64_t numerator, uint64_t denominator, ChoiceKind kind = ChoiceKind::kFault);
  ChoiceSource& source() { return *source_; }
  // Every choice made so far (a copy; tape_size() counts without one).
  Tape tape() const { return source_->tape(); }
  size_t tape_size() const { return source_->tape_size(); }
  const Strategy& strategy() const { return *strategy_; }

  // ---- Trace ----

  const Trace& trace() const { return trace_; }
  uint64_t digest() const { return trace_.digest(); }
  // Records a free-text event (a message sent, a node crashed, ...), with
  // what the caller knows of its links (not in the digest).
  void Note(std::string_view text, const NoteLinks& links = {});
  // The latest event recorded so far (0 before the first), for a layer that
  // wants to name it as a later note's cause.
  EventRef last_event() const { return trace_.last_event(); }
  // One readable line, e.g. "t=5ms client-2 resumed after sleep".
  std::string FormatEvent(const TraceEvent& event) const;
  // Every line of FormatEvent, each ending in '\n'.
  std::string FormatTrace(const std::vector<TraceEvent>& events) const;

  // ---- The awaiter interface: for Laplace's own awaitables ----

  // The running task. Fails a check outside a task: Laplace awaitables can
  // only be awaited from tasks the Loop runs.
  internal::TaskRecord& CurrentRecord();
  // Hands `next` to the run loop to resume after the current resume returns
  // (a trampoline, so stack depth never grows with the number of awaits).
  void SetNext(std::coroutine_handle<> next) { next_ = next; }
  // Marks the running task blocked at `resume_point` waiting on `object`.
  void BlockCurrent(std::coroutine_handle<> resume_point, WaitKind kind,
                    const internal::LoopObject* object, uint64_t object_id);
  // Marks the running task ready again at `resume_point` (a yield).
  void YieldCurrent(std::coroutine_handle<> resume_point);
  // Makes a blocked task ready; a no-op for any other state.
  void Wake(internal::TaskRecord& task);
  void AddTimer(internal::TimerNode& node, Time deadline);
  void RemoveTimer(internal::TimerNode& node);
  // Records that a promise or task resolved (kind: 0 value, 1 error, 2 broken).
  void RecordResolve(uint64_t object_id, uint64_t how);
  // Records a task's unobserved exception as this run's failure.
  void FailTask(TaskId task, std::exception_ptr exception);
  uint64_t RegisterObject(internal::LoopObject& object);
  void UnregisterObject(internal::LoopObject& object);
  void NewTask(std::coroutine_handle<> root, internal::JoinTarget* join,
               const SpawnOptions& options);
  bool shutting_down() const { return shutting_down_; }

 private:
  class CallbackTimer;
  friend class SchedulingPoint;

  // Until `target` resolves, or the clock would pass `horizon`, or (with
  // neither) until only daemons remain; `quiet` runs until nothing at all
  // is ready or pending, daemons included.
  RunResult RunLoop(const internal::SharedStateBase* target, std::optional<Time> horizon,
                    bool quiet = false);
  RunResult Finish(RunOutcome outcome, std::string message = {});
  RunResult IdleOrDeadlock(const internal::SharedStateBase* target, bool has_horizon);
  // True when a step or spin budget has run out (checked before every step,
  // so inline and cheap).
  LAPLACE_HOT_INLINE bool BudgetExhausted() const {
    return steps_ + callbacks_fired_ >= options_.steps_max ||
           steps_at_instant_ >= options_.steps_per_instant_max;
  }
  // The result for a budget that ran out (BudgetExhausted()), naming every
  // unfinished task.
  RunResult ExhaustedBudget();
  std::vector<BlockedTask> UnfinishedTasks() const;
  // Moves the clock forward to `time` (never back).
  void AdvanceTo(Time time);
  void RunOneStep();
  // The index of the candidate to run next (see RunOneStep).
  LAPLACE_HOT_INLINE size_t Pick(size_t candidates, const internal::TaskRecord* yielder) {
    if (random_walk_) return Choose(candidates, ChoiceKind::kSchedule);
    return PickWithStrategy(candidates, yielder);
  }
  size_t PickWithStrategy(size_t candidates, const internal::TaskRecord* yielder);
  void AfterResume(internal::TaskRecord& task);
  bool Cancel(TaskId task, const absl::Status& reason, EventRef cause);
  void FinishTask(internal::TaskRecord& task);
  // `cause`: the event that asked for it (the kCancel event's links).
  void DestroyTask(internal::TaskRecord& task, const absl::Status& reason, EventRef cause);
  void FireDueTimers();
  void FreeCallbackSlot(CallbackTimer& timer);
  void MakeReady(internal::TaskRecord& task);
  void EraseRecord(internal::TaskRecord& task);
  std::string DescribeTask(TaskId task) const;
  std::string DescribeWait(const internal::TaskRecord& task) const;
  std::string DescribeObject(WaitKind kind, uint64_t object_id) const;
  LAPLACE_HOT_INLINE void Record(EventKind kind, TaskId task, uint64_t a, uint64_t b,
                                 std::string_view text, const EventLinks& links) {
    trace_.Record(steps_, now_, kind, task, a, b, text, links);
  }
  // Where code running now is (for EventLinks::context).
  EventContext Context() const {
    if (current_ != nullptr) return EventContext::kTask;
    if (in_callback_) return EventContext::kCallback;
    return running_ ? EventContext::kLoop : EventContext::kOutside;
  }
  // Links for an event recorded by the code running now.
  EventLinks HereLinks(EventRef cause = 0) const {
    return EventLinks{.cause = cause, .group = current_group(), .context = Context()};
  }

  LoopOptions options_;
  std::unique_ptr<SeededSource> owned_source_;
  ChoiceSource* source_;
  SeededSource* seeded_source_;  // == owned_source_ when choosing is cheap
  RandomWalk default_strategy_;
  Strategy* strategy_;
  bool random_walk_ = false;  // strategy_ is a RandomWalk: pick inline

  Time now_;
  uint64_t steps_ = 0;
  uint64_t steps_at_instant_ = 0;
  uint64_t broken_promises_ = 0;
  uint64_t callbacks_fired_ = 0;  // count toward steps_max with steps_
  size_t live_non_daemons_ = 0;
  bool running_ = false;
  bool in_callback_ = false;  // a callback timer is running
  bool shutting_down_ = false;
  bool divergence_reported_ = false;
  std::optional<RunResult> sticky_failure_;

  TaskId next_task_id_ = 1;
  uint64_t next_object_id_ = 1;
  uint64_t next_timer_sequence_ = 1;
  absl::btree_map<TaskId, std::unique_ptr<internal::TaskRecord>> tasks_;
  absl::btree_map<TaskId, std::string> labels_;  // every labelled task ever
  absl::btree_map<uint64_t, std::string> object_labels_;
  absl::btree_map<uint32_t, std::string> group_names_;

  internal::ReadyQueue ready_;
  internal::TaskRecord* yielder_ = nullptr;  // yielded, candidate 0 next step
  internal::TaskRecord* current_ = nullptr;
  std::coroutine_handle<> next_;
  absl::btree_set<uint32_t> paused_groups_;
  std::vector<internal::TaskRecord*> parked_;

  internal::TimerHeap timers_;
  std::vector<internal::TimerNode*> firing_;  // due now, in firing order
  // Callback timers live in reusable slots, so a message delivery (sim/)
  // costs no allocation beyond its std::function. TimerId = generation << 32
  // | slot, so a stale id never cancels a newer timer in the same slot.
  std::vector<std::unique_ptr<CallbackTimer>> callback_slots_;
  std::vector<uint32_t> free_callback_slots_;
  size_t live_callbacks_ = 0;

  internal::LoopObject* objects_ = nullptr;  // intrusive list of live objects
  std::vector<std::function<void()>> step_hooks_;
  Trace trace_;
};

}  // namespace laplace

// Implementation details follow: the Sleep and Yield awaiters and the hot-path inline functions,
// which need the whole Loop above.
#include "loop/internal/loop_inline.h"    // IWYU pragma: export
#include "loop/internal/time_awaiters.h"  // IWYU pragma: export

#endif  // LAPLACE_LOOP_LOOP_H_
