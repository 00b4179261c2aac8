#include "loop/loop.h"

#include <algorithm>
#include <utility>

#include "loop/internal/shared_state.h"
#include "loop/internal/strings.h"

namespace laplace {
namespace {

constexpr std::string_view kOutcomeNames[] = {"idle",
                                              "completed",
                                              "time reached",
                                              "deadlock",
                                              "step budget exhausted",
                                              "time budget exhausted",
                                              "spin (no progress in virtual time)",
                                              "task failed",
                                              "replay divergence",
                                              "stopped"};

std::string ExceptionText(const std::exception_ptr& exception) {
  try {
    std::rethrow_exception(exception);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

}  // namespace

std::string_view RunOutcomeName(RunOutcome outcome) {
  auto index = static_cast<size_t>(outcome);
  LAPLACE_CHECK(index < std::size(kOutcomeNames)) << "unknown RunOutcome " << index;
  return kOutcomeNames[index];
}

std::string RunResult::ToString() const {
  std::string text =
      internal::Cat(RunOutcomeName(outcome), " at ", FormatTime(time), " after ", steps, " steps");
  if (!message.empty()) internal::Append(text, ": ", message);
  for (const BlockedTask& task : blocked) {
    internal::Append(text, "\n  task #", task.id);
    if (!task.label.empty()) internal::Append(text, " '", task.label, "'");
    if (task.daemon) internal::Append(text, " (daemon)");
    internal::Append(text, " waits on ", task.waiting_on);
  }
  return text;
}

// ---- SchedulingPoint ----

size_t SchedulingPoint::size() const { return ready_.size() + (yielder_ != nullptr ? 1 : 0); }
TaskId SchedulingPoint::candidate(size_t index) const {
  if (yielder_ == nullptr) return ready_[index]->id;
  return index == 0 ? yielder_->id : ready_[index - 1]->id;
}
uint64_t SchedulingPoint::Choose(uint64_t bound) {
  return loop_.Choose(bound, ChoiceKind::kSchedule);
}

// ---- LoopObject ----

namespace internal {

LoopObject::LoopObject(Loop& loop, WaitKind kind, std::string_view label)
    : loop_(&loop), kind_(kind), label_(label) {
  id_ = loop.RegisterObject(*this);
}

LoopObject::~LoopObject() {
  if (loop_ != nullptr) loop_->UnregisterObject(*this);
}

std::string LoopObject::Describe() const {
  std::string text = internal::Cat(WaitKindName(kind_), " #", id_);
  if (!label_.empty()) internal::Append(text, " '", label_, "'");
  return text;
}

}  // namespace internal

// ---- Callback timers ----

class Loop::CallbackTimer final : public internal::TimerNode {
 public:
  TimerId id = 0;
  std::function<void()> callback;

  void Fire(Loop& loop) override {
    // Take the callback out and free the slot first: the callback may
    // schedule or cancel timers, reusing this very slot.
    std::function<void()> run = std::move(callback);
    loop.FreeCallbackSlot(*this);
    run();
  }
};

void Loop::FreeCallbackSlot(CallbackTimer& timer) {
  timer.callback = nullptr;
  free_callback_slots_.push_back(static_cast<uint32_t>(timer.id & 0xffffffffu));
  timer.id = 0;
  --live_callbacks_;
}

// ---- Construction and destruction ----

Loop::Loop(LoopOptions options) : options_(options), trace_(options.trace) {
  if (options_.source != nullptr) {
    source_ = options_.source;
    seeded_source_ = nullptr;
  } else {
    owned_source_ = std::make_unique<SeededSource>(options_.seed);
    source_ = owned_source_.get();
    seeded_source_ = owned_source_.get();
  }
  strategy_ = options_.strategy != nullptr ? options_.strategy : &default_strategy_;
  random_walk_ = dynamic_cast<RandomWalk*>(strategy_) != nullptr;
}

Loop::~Loop() {
  shutting_down_ = true;
  // Newest first: later tasks usually depend on objects owned by earlier ones.
  while (!tasks_.empty()) {
    internal::TaskRecord& task = *std::prev(tasks_.end())->second;
    DestroyTask(task, absl::CancelledError("the Loop was destroyed"));
  }
  callback_slots_.clear();
  while (objects_ != nullptr) {
    internal::LoopObject* object = objects_;
    objects_ = object->next_;
    object->loop_ = nullptr;
    object->prev_ = object->next_ = nullptr;
  }
}

uint64_t Loop::RegisterObject(internal::LoopObject& object) {
  object.next_ = objects_;
  if (objects_ != nullptr) objects_->prev_ = &object;
  objects_ = &object;
  uint64_t id = next_object_id_++;
  if (!object.label().empty()) object_labels_.emplace(id, object.label());
  return id;
}

void Loop::UnregisterObject(internal::LoopObject& object) {
  (object.prev_ != nullptr ? object.prev_->next_ : objects_) = object.next_;
  if (object.next_ != nullptr) object.next_->prev_ = object.prev_;
  object.prev_ = object.next_ = nullptr;
}

// ---- Tasks ----

void Loop::NewTask(std::coroutine_handle<> root, internal::JoinTarget* join,
                   const SpawnOptions& options) {
  auto record = std::make_unique<internal::TaskRecord>();
  internal::TaskRecord& task = *record;
  task.id = next_task_id_++;
  task.root = root;
  task.resume_point = root;
  task.join = join;
  task.daemon = options.daemon;
  task.group = options.group.has_value() ? *options.group : current_group();
  join->Bind(task.id);
  if (!options.label.empty()) labels_.emplace(task.id, std::string(options.label));
  tasks_.emplace(task.id, std::move(record));
  if (!task.daemon) ++live_non_daemons_;
  Record(EventKind::kSpawn, task.id, current_task(),
         options.label.empty() ? 0 : HashString(options.label));
  if (shutting_down_) {
    // Spawned by a destructor while the Loop is being torn down: never runs.
    DestroyTask(task, absl::CancelledError("the Loop was destroyed"));
    return;
  }
  strategy_->OnSpawn(*this, task.id);
  MakeReady(task);
}

TaskId Loop::current_task() const { return current_ != nullptr ? current_->id : 0; }
uint32_t Loop::current_group() const { return current_ != nullptr ? current_->group : 0; }

std::string_view Loop::label(TaskId task) const {
  auto it = labels_.find(task);
  return it == labels_.end() ? std::string_view() : std::string_view(it->second);
}

bool Loop::Cancel(TaskId id, absl::Status reason) {
  auto it = tasks_.find(id);
  if (it == tasks_.end()) return false;
  internal::TaskRecord& task = *it->second;
  if (task.state == internal::TaskState::kDone) return false;
  if (&task == current_) {
    task.cancel_requested = true;  // destroyed when it next suspends
    return true;
  }
  DestroyTask(task, reason);
  return true;
}

void Loop::DestroyTask(internal::TaskRecord& task, const absl::Status& reason) {
  if (task.state == internal::TaskState::kDone) return;
  LAPLACE_CHECK(&task != current_) << "a running task cannot be destroyed";
  switch (task.state) {
    case internal::TaskState::kReady:
      if (yielder_ == &task) {
        yielder_ = nullptr;
      } else {
        ready_.Remove(&task);
      }
      break;
    case internal::TaskState::kParked:
      std::erase(parked_, &task);
      break;
    default:
      break;
  }
  task.state = internal::TaskState::kDone;
  Record(EventKind::kCancel, task.id, current_task());
  strategy_->OnFinish(task.id);
  // Destroying the frames runs destructors: awaiters leave their wait lists
  // and timers, RAII guards release locks, which may wake other tasks.
  task.root.destroy();
  task.join->Abandon(reason);
  EraseRecord(task);
}

void Loop::FinishTask(internal::TaskRecord& task) {
  task.state = internal::TaskState::kDone;
  internal::Completion completion = task.join->Complete(task.root);
  Record(EventKind::kFinish, task.id, completion.exception != nullptr ? 1 : 0);
  strategy_->OnFinish(task.id);
  if (completion.unobserved) FailTask(task.id, completion.exception);
  task.root.destroy();
  EraseRecord(task);
}

void Loop::EraseRecord(internal::TaskRecord& task) {
  internal::JoinTarget* join = task.join;
  if (!task.daemon) --live_non_daemons_;
  tasks_.erase(task.id);  // destroys `task`
  join->ReleaseFromTask();
}

void Loop::FailTask(TaskId task, std::exception_ptr exception) {
  std::string message = internal::Cat(DescribeTask(task), " threw ", ExceptionText(exception),
                                      " and no one awaits it");
  Record(EventKind::kFailure, task, 0, 0, message);
  if (!sticky_failure_.has_value()) {
    sticky_failure_ = RunResult{.outcome = RunOutcome::kTaskFailed,
                                .message = std::move(message),
                                .exception = std::move(exception)};
  }
}

// ---- Groups ----

void Loop::CancelGroup(uint32_t group, absl::Status reason) {
  std::vector<TaskId> members;
  for (const auto& [id, task] : tasks_) {
    if (task->group == group) members.push_back(id);
  }
  for (auto it = members.rbegin(); it != members.rend(); ++it) Cancel(*it, reason);
}

void Loop::PauseGroup(uint32_t group) {
  if (!paused_groups_.insert(group).second) return;
  std::vector<internal::TaskRecord*> keep;
  for (size_t i = 0; i < ready_.size(); ++i) keep.push_back(ready_[i]);
  while (!ready_.empty()) ready_.PopAt(ready_.size() - 1);
  for (internal::TaskRecord* task : keep) MakeReady(*task);  // parks this group's
  if (yielder_ != nullptr && yielder_->group == group) {
    internal::TaskRecord* task = std::exchange(yielder_, nullptr);
    MakeReady(*task);
  }
}

void Loop::ResumeGroup(uint32_t group) {
  if (paused_groups_.erase(group) == 0) return;
  std::vector<internal::TaskRecord*> still_parked;
  for (internal::TaskRecord* task : parked_) {
    if (task->group == group) {
      task->state = internal::TaskState::kReady;
      ready_.PushBack(task);
    } else {
      still_parked.push_back(task);
    }
  }
  parked_ = std::move(still_parked);
}

// ---- Timers ----

void Loop::AddTimer(internal::TimerNode& node, Time deadline) {
  node.deadline = deadline < now_ ? now_ : deadline;
  node.sequence = next_timer_sequence_++;
  timers_.Push(&node);
}

void Loop::RemoveTimer(internal::TimerNode& node) {
  if (node.queued()) {
    timers_.Remove(&node);
    return;
  }
  if (node.firing) {
    auto it = std::find(firing_.begin(), firing_.end(), &node);
    LAPLACE_CHECK(it != firing_.end()) << "a firing timer is missing from the firing list";
    *it = nullptr;
    node.firing = false;
  }
}

TimerId Loop::CallAt(Time when, std::function<void()> callback) {
  LAPLACE_CHECK(callback != nullptr) << "CallAt needs a callback";
  uint32_t slot;
  if (!free_callback_slots_.empty()) {
    slot = free_callback_slots_.back();
    free_callback_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(callback_slots_.size());
    callback_slots_.push_back(std::make_unique<CallbackTimer>());
  }
  CallbackTimer& timer = *callback_slots_[slot];
  timer.callback = std::move(callback);
  AddTimer(timer, when);
  // The timer's sequence number is unique, so it serves as the generation.
  timer.id = (timer.sequence << 32) | slot;
  ++live_callbacks_;
  return timer.id;
}

bool Loop::CancelTimer(TimerId id) {
  uint64_t slot = id & 0xffffffffu;
  if (id == 0 || slot >= callback_slots_.size()) return false;
  CallbackTimer& timer = *callback_slots_[slot];
  if (timer.id != id) return false;  // already ran or cancelled
  RemoveTimer(timer);
  FreeCallbackSlot(timer);
  return true;
}

size_t Loop::live_tasks(uint32_t group) const {
  size_t count = 0;
  for (const auto& [id, task] : tasks_) count += task->group == group ? 1 : 0;
  return count;
}

void Loop::FireDueTimers() {
  while (!timers_.empty() && timers_.top()->deadline <= now_) {
    Time instant = timers_.top()->deadline;
    firing_.clear();
    while (!timers_.empty() && timers_.top()->deadline == instant) {
      internal::TimerNode* node = timers_.Pop();
      node->firing = true;
      firing_.push_back(node);
    }
    // The order of simultaneous timers is a choice; 0 keeps the order they
    // were set in. Picking from the remainder keeps the others' order.
    for (size_t i = 0; i + 1 < firing_.size(); ++i) {
      uint64_t pick = Choose(firing_.size() - i, ChoiceKind::kTimerTie);
      std::rotate(firing_.begin() + i, firing_.begin() + i + pick, firing_.begin() + i + pick + 1);
    }
    for (size_t i = 0; i < firing_.size(); ++i) {
      internal::TimerNode* node = firing_[i];
      if (node == nullptr) continue;  // removed by an earlier timer's effects
      node->firing = false;
      firing_[i] = nullptr;
      ++steps_at_instant_;
      Record(EventKind::kTimerFire, node->sleeper, node->sequence);
      node->Fire(*this);
      // A callback changes state like a step does: let the hooks see it.
      if (node->sleeper == 0 && !step_hooks_.empty()) {
        for (const std::function<void()>& hook : step_hooks_) hook();
      }
    }
    firing_.clear();
  }
}

// ---- Running ----

RunResult Loop::Run() { return RunLoop(nullptr, std::nullopt); }

void Loop::Stop(std::string reason) {
  if (sticky_failure_.has_value()) return;
  Record(EventKind::kFailure, current_task(), 0, 0, reason);
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

RunResult Loop::RunLoop(const internal::SharedStateBase* target, std::optional<Time> horizon,
                        bool quiet) {
  LAPLACE_CHECK(!running_) << "Loop::Run* is not reentrant (called from inside a task?)";
  LAPLACE_CHECK(current_ == nullptr) << "Loop::Run* called from inside a task";
  running_ = true;
  struct ClearRunning {
    bool& running;
    ~ClearRunning() { running = false; }
  } clear_running{running_};

  const Time time_limit = Time() + options_.time_max;
  while (true) {
    if (sticky_failure_.has_value()) {
      RunResult result = *sticky_failure_;
      result.time = now_;
      result.steps = steps_;
      return result;
    }
    if (target != nullptr && target->resolved()) return Finish(RunOutcome::kCompleted);
    if (target == nullptr && !horizon.has_value() && !quiet && live_non_daemons_ == 0 &&
        live_callbacks_ == 0) {
      return Finish(RunOutcome::kIdle);  // only daemons are left
    }
    if (!timers_.empty() && timers_.top()->deadline <= now_) {
      FireDueTimers();
      if (sticky_failure_.has_value()) continue;
    }
    if (yielder_ == nullptr && ready_.empty()) {
      if (timers_.empty()) {
        RunResult result = IdleOrDeadlock(target, horizon.has_value() || quiet);
        if (result.outcome == RunOutcome::kIdle && horizon.has_value()) {
          now_ = std::max(now_, *horizon);
          return Finish(RunOutcome::kTimeReached);
        }
        return result;
      }
      Time next = timers_.top()->deadline;
      if (horizon.has_value() && next > *horizon) {
        now_ = std::max(now_, *horizon);
        return Finish(RunOutcome::kTimeReached);
      }
      if (next > time_limit) {
        return Finish(RunOutcome::kTimeBudgetExhausted,
                      internal::Cat("the next timer is at ", FormatTime(next),
                                    ", past LoopOptions::time_max (",
                                    FormatDuration(options_.time_max), ")"));
      }
      now_ = next;
      steps_at_instant_ = 0;
      continue;
    }
    if (steps_ >= options_.steps_max) {
      return Finish(RunOutcome::kStepBudgetExhausted,
                    internal::Cat("LoopOptions::steps_max (", options_.steps_max,
                                  ") scheduling steps taken"));
    }
    if (steps_at_instant_ >= options_.steps_per_instant_max) {
      return Finish(RunOutcome::kSpin,
                    internal::Cat(steps_at_instant_, " steps at ", FormatTime(now_),
                                  " without virtual time advancing; is a task polling with "
                                  "Yield() for something only a timer can bring?"));
    }
    RunOneStep();
    if (!step_hooks_.empty()) {
      for (const std::function<void()>& hook : step_hooks_) hook();
    }
  }
}

size_t Loop::PickWithStrategy(size_t candidates, const internal::TaskRecord* yielder) {
  SchedulingPoint point(*this, yielder, ready_);
  size_t pick = strategy_->Pick(point);
  LAPLACE_CHECK(pick < candidates)
      << strategy_->name() << " picked " << pick << " of " << candidates;
  return pick;
}

void Loop::RunOneStep() {
  // Candidates: the task that just yielded (if any) first, then the ready
  // queue. Picking 0 keeps the yielder running (no preemption).
  internal::TaskRecord* task;
  if (yielder_ != nullptr) {
    internal::TaskRecord* yielder = std::exchange(yielder_, nullptr);
    size_t pick = ready_.empty() ? 0 : Pick(ready_.size() + 1, yielder);
    // A preempted yielder takes the picked task's place in the queue.
    task = pick == 0 ? yielder : ready_.Exchange(pick - 1, yielder);
  } else {
    size_t pick = ready_.size() == 1 ? 0 : Pick(ready_.size(), nullptr);
    task = ready_.PopAt(pick);
  }

  ++steps_;
  ++steps_at_instant_;
  task->state = internal::TaskState::kRunning;
  current_ = task;
  Record(EventKind::kResume, task->id, static_cast<uint64_t>(task->wait_kind), task->wait_object);
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
      paused_groups_.empty() && !task->root.done()) {
    yielder_ = task;
    return;
  }
  AfterResume(*task);
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
    DestroyTask(task, absl::CancelledError("task cancelled"));
    return;
  }
  if (task.state == internal::TaskState::kReady) {
    if (!paused_groups_.empty() && paused_groups_.contains(task.group)) {
      task.state = internal::TaskState::kParked;
      parked_.push_back(&task);
    } else {
      yielder_ = &task;
    }
  }
}

RunResult Loop::IdleOrDeadlock(const internal::SharedStateBase* target, bool has_horizon) {
  std::vector<BlockedTask> blocked;
  bool stuck_work = target != nullptr;  // the target can no longer resolve
  for (const auto& [id, task] : tasks_) {
    blocked.push_back(BlockedTask{id, std::string(label(id)), DescribeWait(*task), task->daemon});
    // Running for a while, a paused node is just paused: whoever paused it
    // may resume it after RunFor returns. Running to the end, it never will.
    bool parked = task->state == internal::TaskState::kParked;
    if (!task->daemon && !(parked && has_horizon)) stuck_work = true;
  }
  if (!stuck_work) return Finish(RunOutcome::kIdle);
  Record(EventKind::kDeadlock, 0, blocked.size());
  std::string message = target != nullptr
                            ? internal::Cat("nothing can run and no timer is pending, but ",
                                            target->Describe(), " is unresolved")
                            : internal::Cat("nothing can run and no timer is pending, but ",
                                            blocked.size(), " task(s) are blocked");
  RunResult result = Finish(RunOutcome::kDeadlock, std::move(message));
  result.blocked = std::move(blocked);
  return result;
}

// ---- Choices and notes ----

bool Loop::Chance(uint64_t numerator, uint64_t denominator, ChoiceKind kind) {
  LAPLACE_CHECK(denominator >= 1) << "Chance needs a positive denominator";
  LAPLACE_CHECK(numerator <= denominator)
      << "Chance(" << numerator << ", " << denominator << ") is not a probability";
  if (numerator == 0) return false;
  if (numerator == denominator) return true;
  // The top `numerator` values mean yes, so 0 (and small values) mean no.
  return Choose(denominator, kind) >= denominator - numerator;
}

void Loop::Note(std::string_view text) { Record(EventKind::kNote, current_task(), 0, 0, text); }

void Loop::RecordResolve(uint64_t object_id, uint64_t how) {
  if (how == 2) ++broken_promises_;
  Record(EventKind::kResolve, current_task(), object_id, how);
}

// ---- Describing ----

std::string Loop::DescribeTask(TaskId task) const {
  std::string_view name = label(task);
  return name.empty() ? internal::Cat("task #", task)
                      : internal::Cat("task #", task, " '", name, "'");
}

std::string Loop::DescribeObject(WaitKind kind, uint64_t object_id) const {
  if (kind == WaitKind::kJoin) return DescribeTask(object_id);
  auto it = object_labels_.find(object_id);
  if (it != object_labels_.end()) return internal::Cat(WaitKindName(kind), " '", it->second, "'");
  return internal::Cat(WaitKindName(kind), " #", object_id);
}

std::string Loop::DescribeWait(const internal::TaskRecord& task) const {
  switch (task.state) {
    case internal::TaskState::kParked:
      return internal::Cat("its group ", task.group, " being resumed (paused)");
    case internal::TaskState::kReady:
      return "nothing (ready)";
    default:
      break;
  }
  if (task.wait_target != nullptr) return task.wait_target->Describe();
  if (task.wait_object != 0 && task.wait_kind != WaitKind::kSleep) {
    return DescribeObject(task.wait_kind, task.wait_object) + " (destroyed)";
  }
  return std::string(WaitKindName(task.wait_kind));
}

std::string Loop::FormatEvent(const TraceEvent& event) const {
  std::string who;
  if (event.task != 0) {
    std::string_view name = label(event.task);
    who = name.empty() ? internal::Cat("#", event.task) : std::string(name);
  }
  std::string line = FormatTime(event.time) + " ";
  auto wait = static_cast<WaitKind>(event.a);
  switch (event.kind) {
    case EventKind::kSpawn:
      internal::Append(line, who, " spawned");
      if (event.a != 0) internal::Append(line, " by ", DescribeTask(event.a));
      break;
    case EventKind::kResume:
      if (wait == WaitKind::kStart) {
        internal::Append(line, who, " started");
      } else if (wait == WaitKind::kYield || wait == WaitKind::kSleep) {
        internal::Append(line, who, " resumed after ", WaitKindName(wait));
      } else {
        internal::Append(line, who, " resumed after ", DescribeObject(wait, event.b));
      }
      break;
    case EventKind::kSuspend:
      if (wait == WaitKind::kYield) {
        internal::Append(line, who, " yields");
      } else if (wait == WaitKind::kSleep) {
        internal::Append(line, who, " sleeps until ",
                         FormatTime(Time(Duration(static_cast<int64_t>(event.b)))));
      } else {
        internal::Append(line, who, " waits on ", DescribeObject(wait, event.b));
      }
      break;
    case EventKind::kFinish:
      internal::Append(line, who, event.a == 0 ? " finished" : " finished by throwing");
      break;
    case EventKind::kCancel:
      internal::Append(line, who, " cancelled");
      if (event.a != 0) internal::Append(line, " by ", DescribeTask(event.a));
      break;
    case EventKind::kTimerFire:
      if (event.task != 0) {
        internal::Append(line, "timer wakes ", who);
      } else {
        internal::Append(line, "callback timer #", event.a, " fires");
      }
      break;
    case EventKind::kResolve: {
      static constexpr std::string_view kHow[] = {"with a value", "with an error", "broken"};
      internal::Append(line, DescribeObject(WaitKind::kFuture, event.a), " resolved ",
                       kHow[std::min<uint64_t>(event.b, 2)]);
      if (!who.empty()) internal::Append(line, " by ", who);
      break;
    }
    case EventKind::kDeadlock:
      internal::Append(line, "deadlock: ", event.a, " task(s) blocked");
      break;
    case EventKind::kNote:
      internal::Append(line, who.empty() ? "" : who + ": ", event.text);
      break;
    case EventKind::kFailure:
      internal::Append(line, "FAILURE: ", event.text);
      break;
  }
  return line;
}

std::string Loop::FormatTrace(const std::vector<TraceEvent>& events) const {
  std::string text;
  for (const TraceEvent& event : events) internal::Append(text, FormatEvent(event), "\n");
  return text;
}

}  // namespace laplace
