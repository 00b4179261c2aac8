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

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"  // allowed: lookups only
#include "absl/container/node_hash_map.h"  // allowed: lookups only
#include "absl/status/status.h"
#include "base/intrusive_list.h"
#include "loop/choice.h"
#include "loop/internal/frame_ledger.h"
#include "loop/internal/loop_object.h"
#include "loop/internal/nth_remaining.h"
#include "loop/internal/ready_queue.h"
#include "loop/internal/task_record.h"
#include "loop/internal/task_table.h"
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
class LoopAccess;
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
  // Appended, so the earlier outcomes keep their numbers.
  kTaskBudgetExhausted,   // a Spawn would make more than LoopOptions::tasks_max live tasks
  kFrameBudgetExhausted,  // coroutine frames would take more than LoopOptions::frame_bytes_max
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
  // Live tasks (spawned and not ended, daemons included). The Spawn that would pass it throws
  // BudgetExceeded into the spawner and ends the run with kTaskBudgetExhausted.
  uint64_t tasks_max = 1'000'000;
  // Bytes of live coroutine frames made while this Loop is the newest on its thread, counted
  // through the promise's operator new (loop/internal/frame_ledger.h; the sizes are the
  // compiler's, so the count is the same on every run of one build). The call that would pass it
  // throws BudgetExceeded and ends the run with kFrameBudgetExhausted.
  uint64_t frame_bytes_max = uint64_t{1} << 30;
  // A replayed tape that no longer fits the program ends the run with
  // kDivergence; set false to continue best-effort (every later choice 0).
  bool stop_on_divergence = true;
  TraceOptions trace;
};

// Where a replay stopped fitting the program (Loop::divergence_point): the first choice that
// did not fit the tape, and when, in which task and at which step the program asked for it.
// A report made of it tells the user where in the run to look.
struct DivergencePoint {
  Divergence divergence;
  Time time;               // the virtual time of the choice
  uint64_t step = 0;       // scheduling steps taken by then
  TaskId task = 0;         // the running task; 0 outside any task (a timer callback)
  std::string task_label;  // its label, "" if it has none
  std::string stream;      // the choice's stream as files write it, "" for the unnamed one

  // "choice #34 at t=1.5ms, step 212, in task #3 'client', on stream 'net n1->n2 put#3': the
  // tape has delay 0/1500001 but the program asked for fault (bound 20)".
  std::string ToString() const;
};

// Thrown by Spawn, or by calling a coroutine, when a budget counted where it is spent
// (tasks_max, frame_bytes_max) would be passed. The Loop has already ended its run with
// `outcome()` (a later catch cannot hide the failure); the throw only stops the code that keeps
// spending, which may never suspend.
class BudgetExceeded : public std::exception {
 public:
  BudgetExceeded(RunOutcome outcome, std::string message)
      : outcome_(outcome), message_(std::move(message)) {}
  RunOutcome outcome() const { return outcome_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  RunOutcome outcome_;
  std::string message_;
};

class Loop {
 public:
  explicit Loop(LoopOptions options = {});
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  // Destroys every task frame the Loop still owns, newest task first, without
  // resuming any of them; then detaches every object bound to it.
  ~Loop();

  // Makes this Loop as a new Loop(options) would be, keeping its memory (task records, queues,
  // the trace's ring) for the next run: what a sweep does between seeds. First it ends the
  // current run as the destructor does (every task frame destroyed, newest first, every
  // callback and every object bound to it let go of); then every count, clock, id, label, hook
  // and budget starts again. Everything observable afterwards, the digest and the tape
  // included, equals a fresh Loop's with the same options (loop/reset_test.cc). Not from inside
  // a run. A field added to Loop must be reset in Loop::Reset (loop_reset.cc).
  void Reset(LoopOptions options = {});

  // The options the Loop was made (or last Reset) with.
  const LoopOptions& options() const { return options_; }

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
  // The same, naming what the task is about to touch (e.g. "balance"): traces show it, and a
  // strategy that reasons about conflicts (POS) knows that two tasks about to touch different
  // resources commute. A bare Yield() could touch anything.
  [[nodiscard]] internal::YieldAwaiter Yield(std::string_view resource);

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
  // How many live tasks belong to `group` (O(the group's live tasks); O(live tasks) for group 0).
  size_t live_tasks(uint32_t group) const;
  // A task's label ("" if it had none). After the task ended, for as long as the kept trace may
  // still show one of its events: always with TraceOptions::keep_all; else at least until its
  // last event leaves the tail, and then until the next label ends (a task's or an object's),
  // which forgets it. So a long run holds labels only for what is alive or in the tail.
  std::string_view label(TaskId task) const;

  // ---- Groups (simulated nodes) ----
  //
  // The words, here and throughout loop/: a group is *paused* and *resumed*; a task of a
  // paused group that is ready, or becomes ready, is *parked*: held off the ready queue
  // (TaskState::kParked) until its group resumes. Its blocked tasks stay blocked; timers still
  // fire and wake them, into parked. A parked task is not stuck work while a run has a horizon
  // (RunFor, RunUntil) or runs until quiet, since the group may be resumed after it returns.

  // Names `group` for trace tools (a node's name); not in the digest.
  void NameGroup(uint32_t group, std::string name);
  // The name given with NameGroup, or "" (group 0 and unnamed groups).
  std::string_view group_name(uint32_t group) const;
  // Every named group, by id.
  const absl::btree_map<uint32_t, std::string>& group_names() const { return group_names_; }
  // Every labelled task this Loop spawned that is alive or may be shown by the kept trace (see
  // label()), by id.
  const absl::btree_map<TaskId, std::string>& task_labels() const { return labels_; }

  // Cancels every live task of `group` at once, newest first (see Cancel).
  void CancelGroup(uint32_t group, absl::Status reason);
  // Parks the group's ready tasks, and every one that becomes ready, until ResumeGroup.
  void PauseGroup(uint32_t group);
  // Puts the group's parked tasks back at the end of the ready queue, in the order they were
  // parked.
  void ResumeGroup(uint32_t group);
  bool IsPaused(uint32_t group) const { return paused_groups_.contains(group); }

  // ---- Holding one task back ----
  //
  // Parks one task, whatever its group: while held it never runs (if it is ready it is parked;
  // if it is blocked it stays blocked, and parks when it wakes); UnparkTask puts it back at the
  // end of the ready queue (unless its group is paused). A test or a strategy uses it to force
  // an order ("the checker runs only after both writers are done"). Holding the running task
  // takes effect when it next suspends. A run that ends with only held tasks left is a deadlock
  // for Run() and RunUntilComplete(), as with a paused group. Return false if the task already
  // ended (ParkTask) or was not held (UnparkTask).
  bool ParkTask(TaskId task);
  bool UnparkTask(TaskId task);
  bool IsHeld(TaskId task) const;

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
    return RunLoop({.until = RunGoal::kResolved, .target = &target.internal_state()});
  }
  // Runs everything due up to Now() + duration, then sets the clock there
  // (kTimeReached). If work is left that can never run again (a deadlock),
  // returns kDeadlock at once instead, without moving the clock.
  RunResult RunFor(Duration duration) { return RunUntil(AddSaturating(now_, duration)); }
  RunResult RunUntil(Time horizon) {
    return RunLoop({.until = RunGoal::kHorizon, .horizon = horizon});
  }
  // Runs until nothing is ready and no timer is pending at all, daemons'
  // included (kIdle), or a deadlock. For worlds made only of servers.
  RunResult RunUntilQuiet() { return RunLoop({.until = RunGoal::kQuiet}); }

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
  // Callback timers run so far (they count toward steps_max with steps()).
  uint64_t callbacks_fired() const { return callbacks_fired_; }
  // Bytes of coroutine frames charged to this Loop and alive (what frame_bytes_max bounds).
  uint64_t frame_bytes() const { return frame_budget_.bytes(); }
  // Steps and callbacks taken so far, readable from another thread while the Loop runs (a
  // watchdog tells a run that progresses from one stuck in a task that never suspends).
  const std::atomic<uint64_t>& progress() const { return progress_; }
  // Promises destroyed without being set, so far (see future.h).
  uint64_t broken_promises() const { return broken_promises_; }

  // ---- Choices ----

  // A choice in [0, bound) from the choice source (see choice.h); bound 1
  // is answered 0 without asking or recording. Requires bound >= 1. Without
  // a stream it is drawn on kUnnamedStream, where a replay matches choices
  // of each kind in the order they come (scheduling picks and a test's own
  // draws live there); a site whose draws come and go with the world's
  // state (a message, a nemesis decision) names its own stream instead, so
  // that its draws appearing or vanishing moves nobody else's (choice.h,
  // docs/design.md "A tape of streams").
  uint64_t Choose(uint64_t bound, ChoiceKind kind = ChoiceKind::kDraw);
  uint64_t Choose(uint64_t bound, ChoiceKind kind, const Stream& stream);
  // True with probability numerator/denominator; 0 (the least surprising
  // outcome) means false. Certain outcomes draw no choice.
  bool Chance(uint64_t numerator, uint64_t denominator, ChoiceKind kind = ChoiceKind::kFault);
  bool Chance(uint64_t numerator, uint64_t denominator, ChoiceKind kind, const Stream& stream);
  // How a stream seen in this run is written ("task client#1", "net
  // n1:7->n2:1 put#3"); UnknownStreamText for one this Loop never saw.
  std::string StreamName(StreamId stream) const;
  // Scheduling picks so far that ran another task while the one that had
  // just yielded could have gone on (a non-zero pick with a yielder).
  uint64_t preemptions() const { return preemptions_; }
  ChoiceSource& source() { return *source_; }
  // The seed of a seeded run (the Loop's own source, or a SeededSource
  // given as `source`), for a strategy's own generator (strategy.h); 0 when
  // the source replays.
  uint64_t seed() const { return seed_; }
  // Every choice made so far (a copy; tape_size() counts without one).
  Tape tape() const { return source_->tape(); }
  size_t tape_size() const { return source_->tape_size(); }
  const Strategy& strategy() const { return *strategy_; }
  // Where a replayed tape first stopped fitting this program, with the time, step and task of
  // that choice; nullopt while it fits (and always for a source that does not replay).
  const std::optional<DivergencePoint>& divergence_point() const { return divergence_point_; }

  // ---- Fault tally: for reports; not in the trace or its digest ----

  // Counts one injected fault of kind `name` ("network.drop") that fired in
  // this run. sim/ calls it wherever a fault choice comes out non-zero, so a
  // summary can say which faults a sweep actually exercised.
  void CountFault(std::string_view name);
  // How often each kind fired so far, by name.
  const absl::btree_map<std::string, uint64_t, std::less<>>& fault_counts() const {
    return fault_counts_;
  }

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

 private:
  class CallbackTimer;
  // Laplace's own awaitables and sync objects reach the awaiter interface below through
  // internal::LoopAccess (loop/internal/loop_access.h), as Abseil's CondVar reaches Mutex.
  friend class internal::LoopAccess;
  // A strategy draws (or records) its pick on the tape through the point.
  friend class SchedulingPoint;

  // ---- The awaiter interface ----

  // The running task. Fails a check outside a task: Laplace awaitables can
  // only be awaited from tasks the Loop runs.
  internal::TaskRecord& CurrentRecord();
  // Hands `next` to the run loop to resume after the current resume returns
  // (a trampoline, so stack depth never grows with the number of awaits).
  void SetNext(std::coroutine_handle<> next) { next_ = next; }
  // Marks the running task blocked at `resume_point` waiting on `object`.
  void BlockCurrent(std::coroutine_handle<> resume_point, WaitKind kind,
                    const internal::LoopObject* object, uint64_t object_id);
  // Marks the running task ready again at `resume_point` (a yield), about to touch `resource`
  // (a named Yield's hash; 0 for a bare one).
  void YieldCurrent(std::coroutine_handle<> resume_point, uint64_t resource = 0);
  // The hash of a named Yield's resource (never 0), remembering its name for traces.
  uint64_t ResourceId(std::string_view resource);
  // Makes a blocked task ready; a no-op for any other state.
  void Wake(internal::TaskRecord& task);
  // Makes a ready (or parked) task that is not the yielder blocked again; see LoopAccess.
  void Unwake(internal::TaskRecord& task);
  void AddTimer(internal::TimerNode& node, Time deadline);
  void RemoveTimer(internal::TimerNode& node);
  // Records that a promise or task resolved (kind: 0 value, 1 error, 2 broken).
  void RecordResolve(uint64_t object_id, uint64_t how);
  uint64_t RegisterObject(internal::LoopObject& object);
  void UnregisterObject(internal::LoopObject& object);

  // ---- Lifetime (loop.cc, loop_reset.cc) ----

  // The constructor's work after its initializers: the choice source and the strategy.
  void ApplyOptions();
  // The destructor's work (and the first half of Reset).
  void TearDown();
  // A cleared record for a new task: a spare one if any (records are reused, not freed).
  std::unique_ptr<internal::TaskRecord> NewRecord();

  // ---- Tasks and runs ----

  // Tells the strategy (when it observes the run, see strategy.h) that the running task blocked.
  void ObserveBlock(const internal::TaskRecord& task);
  // Makes the record of a task Spawn starts.
  void NewTask(std::coroutine_handle<> root, internal::JoinTarget* join,
               const SpawnOptions& options);
  // Records a task's unobserved exception as this run's failure.
  void FailTask(TaskId task, std::exception_ptr exception);

  // What a Run* call runs until. Whatever the goal, a deadlock, a budget running out, Stop() or
  // a failure ends the run first.
  struct RunGoal {
    enum Until : uint8_t {
      kOnlyDaemons,  // Run(): no task but daemons is left and no callback is pending
      kResolved,     // RunUntilComplete(): `target` resolved
      kHorizon,      // RunFor() / RunUntil(): everything due by `horizon` ran
      kQuiet,        // RunUntilQuiet(): nothing ready or pending at all, daemons' included
    };
    Until until = kOnlyDaemons;
    const internal::SharedStateBase* target = nullptr;  // for kResolved
    Time horizon;                                       // for kHorizon
  };

  // The run loop behind every Run* call: fire due timers, run one step, repeat, until `goal`
  // is met or the run fails.
  RunResult RunLoop(const RunGoal& goal);
  // Nothing is ready: moves the clock to the next timer (and returns nothing), or returns how
  // the run ends (idle, deadlock, horizon reached, time budget exhausted).
  std::optional<RunResult> AdvanceToNextTimer(const RunGoal& goal);
  RunResult Finish(RunOutcome outcome, std::string message = {});
  // The sticky failure (Stop, a task failure, a divergence), stamped with the time and steps now.
  RunResult StickyFailure() const;
  RunResult IdleOrDeadlock(const RunGoal& goal);
  // True when a step or spin budget has run out (checked before every step,
  // so inline and cheap).
  LAPLACE_HOT_INLINE bool BudgetExhausted() const {
    return steps_ + callbacks_fired_ >= options_.steps_max ||
           steps_at_instant_ >= options_.steps_per_instant_max;
  }
  // The result for a budget that ran out (BudgetExhausted()), naming every
  // unfinished task.
  RunResult ExhaustedBudget();
  // Spawn's check of tasks_max; ExceedTaskBudget ends the run and throws BudgetExceeded.
  void CheckTaskBudget() {
    if (tasks_.size() >= options_.tasks_max) [[unlikely]]
      ExceedTaskBudget();
  }
  [[noreturn]] void ExceedTaskBudget();
  [[noreturn]] void ExceedFrameBudget(uint64_t live_bytes, size_t size);
  [[noreturn]] void ExceedBudget(RunOutcome outcome, std::string message);
  std::string DescribeSpender() const;  // the running task, or code outside any task
  void BumpProgress() {
    progress_.store(progress_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  std::vector<BlockedTask> UnfinishedTasks() const;
  // Moves the clock forward to `time` (never back).
  void AdvanceTo(Time time);
  void RunOneStep();
  // The index of the candidate to run next (see RunOneStep).
  // Picks are drawn on kUnnamedStream: the n-th scheduling point of a run is
  // the n-th kSchedule entry (docs/design.md says why not one per task).
  LAPLACE_HOT_INLINE size_t Pick(size_t candidates, const internal::TaskRecord* yielder) {
    if (random_walk_) return ChooseOn(candidates, ChoiceKind::kSchedule, kUnnamedStream);
    return PickWithStrategy(candidates, yielder);
  }
  size_t PickWithStrategy(size_t candidates, const internal::TaskRecord* yielder);
  // Choose on a stream whose name is already known (or needs none).
  uint64_t ChooseOn(uint64_t bound, ChoiceKind kind, StreamId stream);
  // Reports a replay's first divergence (once), keeps where it happened, and stops the run if
  // asked.
  void ReportDivergence();
  void AfterResume(internal::TaskRecord& task);
  // Calls every step hook (AddStepHook): after each step and each callback, so inline.
  LAPLACE_HOT_INLINE void RunStepHooks() {
    if (step_hooks_.empty()) return;
    for (const std::function<void()>& hook : step_hooks_) hook();
  }
  void FinishTask(internal::TaskRecord& task);
  bool Cancel(TaskId task, const absl::Status& reason, EventRef cause);
  // `cause`: the event that asked for it (the kCancel event's links).
  void DestroyTask(internal::TaskRecord& task, const absl::Status& reason, EventRef cause);
  // Takes a task that is about to be destroyed out of the ready queue (or the parked list).
  void Unschedule(internal::TaskRecord& task);
  // Destroys a task's coroutine frames, innermost first, the root last.
  void DestroyFrames(internal::TaskRecord& task);
  // Fires every timer due by Now(), one instant at a time (unless a budget runs out).
  void FireDueTimers();
  // Moves the timers due at the earliest instant into firing_, in firing order: the order they
  // were set in, permuted by kTimerTie choices.
  void TakeEarliestInstant();
  void FireTimer(internal::TimerNode& node);
  void FreeCallbackSlot(CallbackTimer& timer);
  // Queues a task to run, or parks it if its group is paused.
  void MakeReady(internal::TaskRecord& task);
  // Parks `task` if its group is paused or it is held (ParkTask); returns whether it did.
  LAPLACE_HOT_INLINE bool ParkIfPaused(internal::TaskRecord& task) {
    if (paused_groups_.empty() && held_tasks_ == 0) return false;
    if (!task.held && !paused_groups_.contains(task.group)) return false;
    task.state = internal::TaskState::kParked;
    parked_.push_back(&task);
    return true;
  }
  void EraseRecord(internal::TaskRecord& task);
  // A labelled task or object ended: forget its label once the kept trace cannot show it, and
  // forget those of earlier ones that it can no longer show.
  void EndLabel(bool task, uint64_t id);
  // The ids of the live tasks of `group`, oldest first.
  std::vector<TaskId> GroupMembers(uint32_t group) const;
  std::string DescribeTask(TaskId task) const;
  std::string DescribeWait(const internal::TaskRecord& task) const;
  std::string DescribeObject(WaitKind kind, uint64_t object_id) const;
  // FormatEvent's words for a resume or a suspension: "<who> started", "<who> yields",
  // "<who> waits on lock 'accounts'", ...
  void AppendWaitEvent(std::string& line, std::string_view who, const TraceEvent& event) const;
  // " (to touch 'balance')": what a named Yield named.
  void AppendResource(std::string& line, uint64_t resource) const;
  LAPLACE_HOT_INLINE void Record(EventKind kind, TaskId task, uint64_t a = 0, uint64_t b = 0,
                                 std::string_view text = {}, const EventLinks& links = {}) {
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
  uint64_t seed_ = 0;
  RandomWalk default_strategy_;
  Strategy* strategy_;
  // strategy_ is a RandomWalk, or the source replays: pick inline, call no hooks.
  bool random_walk_ = false;
  bool consult_single_ = false;  // strategy_->consults_single_candidate()

  Time now_;
  uint64_t steps_ = 0;
  uint64_t preemptions_ = 0;
  uint64_t steps_at_instant_ = 0;
  uint64_t broken_promises_ = 0;
  uint64_t callbacks_fired_ = 0;  // count toward steps_max with steps_
  // steps_ + callbacks_fired_, published for a watchdog thread (relaxed: a counter, not a fence).
  std::atomic<uint64_t> progress_{0};
  internal::FrameBudgetScope frame_budget_;
  size_t live_non_daemons_ = 0;
  bool running_ = false;
  bool in_callback_ = false;  // a callback timer is running
  bool shutting_down_ = false;
  bool divergence_reported_ = false;
  std::optional<DivergencePoint> divergence_point_;
  std::optional<RunResult> sticky_failure_;

  TaskId next_task_id_ = 1;
  uint64_t next_object_id_ = 1;
  uint64_t next_timer_sequence_ = 1;
  internal::TaskTable tasks_;  // live tasks, by id
  // Records of ended tasks, for the next spawns (at most kSpareRecordsMax kept).
  static constexpr size_t kSpareRecordsMax = 4096;
  std::vector<std::unique_ptr<internal::TaskRecord>> spare_records_;
  // The live tasks of each group but 0, in spawn order, so that a crash cancels a node's tasks
  // without a scan of every task. Node-based: a list never moves once made.
  using TaskList = internal::IntrusiveList<internal::TaskRecord>;
  absl::node_hash_map<uint32_t, TaskList> group_tasks_;  // allowed: lookups only
  // Labels of the tasks and objects alive, and of those that ended while the kept trace may
  // still show them (see label()).
  absl::btree_map<TaskId, std::string> labels_;
  absl::btree_map<uint64_t, std::string> object_labels_;
  // A label whose task or object ended, kept until event `shown_until` leaves the trace's tail.
  struct EndedLabel {
    uint64_t shown_until = 0;  // the trace's event count when it ended
    bool task = false;         // a task's label, else an object's
    uint64_t id = 0;
  };
  std::deque<EndedLabel> ended_labels_;  // in the order they ended
  absl::btree_map<uint32_t, std::string> group_names_;
  absl::btree_map<uint64_t, std::string> resource_names_;  // named Yields' resources, by hash
  // The names of the named streams seen (looked up, never iterated).
  absl::flat_hash_map<StreamId, std::string> stream_names_;  // allowed: lookups only

  internal::ReadyQueue ready_;
  internal::TaskRecord* yielder_ = nullptr;  // yielded, candidate 0 next step
  internal::TaskRecord* current_ = nullptr;
  std::coroutine_handle<> next_;
  absl::btree_set<uint32_t> paused_groups_;
  std::vector<internal::TaskRecord*> parked_;  // tasks of paused groups, in the order parked
  size_t held_tasks_ = 0;                      // tasks held by ParkTask

  internal::TimerHeap timers_;
  std::vector<internal::TimerNode*> firing_;  // due now, in firing order
  std::vector<internal::TimerNode*> due_;     // due now, in (deadline, sequence) order
  internal::NthRemaining tie_order_;          // which of due_ are not yet in firing_
  // Callback timers live in reusable slots, so a message delivery (sim/)
  // costs no allocation beyond its std::function. TimerId = generation << 32
  // | slot, so a stale id never cancels a newer timer in the same slot.
  std::vector<std::unique_ptr<CallbackTimer>> callback_slots_;
  std::vector<uint32_t> free_callback_slots_;
  size_t live_callbacks_ = 0;

  internal::IntrusiveList<internal::LoopObject> objects_;  // every live object bound to this Loop
  std::vector<std::function<void()>> step_hooks_;
  absl::btree_map<std::string, uint64_t, std::less<>> fault_counts_;
  Trace trace_;
};

}  // namespace laplace

// Implementation details follow: the access class to the awaiter interface, the hot-path inline
// functions, and the Sleep and Yield awaiters, which need the whole Loop above.
#include "loop/internal/loop_access.h"    // IWYU pragma: export
#include "loop/internal/loop_inline.h"    // IWYU pragma: export
#include "loop/internal/time_awaiters.h"  // IWYU pragma: export

#endif  // LAPLACE_LOOP_LOOP_H_
