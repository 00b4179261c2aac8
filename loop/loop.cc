// The Loop's lifetime, the objects bound to it, its tasks (spawn, cancel, finish, fail), groups,
// and choices and notes. Running is in loop_run.cc, timers in loop_timers.cc, and the text of
// reports and traces in loop_describe.cc.
#include "loop/loop.h"

#include <exception>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "loop/future.h"
#include "loop/internal/callback_timer.h"
#include "loop/internal/shared_state.h"
#include "loop/task.h"

namespace laplace {
namespace {

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

// ---- LoopObject and shared states ----

namespace internal {

LoopObject::LoopObject(Loop& loop, WaitKind kind, std::string_view label)
    : loop_(&loop), kind_(kind), label_(label) {
  id_ = LoopAccess::RegisterObject(loop, *this);
}

LoopObject::~LoopObject() {
  if (loop_ != nullptr) LoopAccess::UnregisterObject(*loop_, *this);
}

std::string LoopObject::Describe() const {
  std::string text = internal::Cat(WaitKindName(kind_), " #", id_);
  if (!label_.empty()) internal::Append(text, " '", label_, "'");
  return text;
}

void ThrowResolvedTwice(const SharedStateBase& state, SourceLocation first, SourceLocation again) {
  throw PromiseAlreadySet(Cat(state.Describe(), " was resolved twice: first at ", first.file_name(),
                              ":", first.line(), ", again at ", again.file_name(), ":",
                              again.line()));
}

}  // namespace internal

// ---- Construction and destruction ----

Loop::Loop(LoopOptions options)
    : options_(options), frame_budget_(this, options.frame_bytes_max), trace_(options.trace) {
  ApplyOptions();
}

void Loop::ApplyOptions() {
  if (options_.source != nullptr) {
    source_ = options_.source;
    seeded_source_ = nullptr;
  } else {
    owned_source_ = std::make_unique<SeededSource>(options_.seed);
    source_ = owned_source_.get();
    seeded_source_ = owned_source_.get();
  }
  if (auto* seeded = dynamic_cast<SeededSource*>(source_)) seed_ = seeded->seed();
  strategy_ = options_.strategy != nullptr ? options_.strategy : &default_strategy_;
  // A replay takes every pick from its tape, as the random walk does (strategy.h).
  random_walk_ = source_->replays() || dynamic_cast<RandomWalk*>(strategy_) != nullptr;
  consult_single_ = !random_walk_ && strategy_->consults_single_candidate();
  if (!random_walk_) strategy_->OnRunStart(*this);
}

Loop::~Loop() { TearDown(); }

void Loop::TearDown() {
  if (!random_walk_) strategy_->OnRunEnd(*this);
  random_walk_ = true;  // the run is over for the strategy: no more hooks
  consult_single_ = false;
  shutting_down_ = true;
  // None of the ready or parked tasks will run: forget them at once rather than one search per
  // task (a million never-run tasks tear down in linear time). Unschedule then finds nothing.
  ready_.Clear();
  yielder_ = nullptr;
  parked_.clear();
  // Newest first: later tasks usually depend on objects owned by earlier ones.
  while (!tasks_.empty()) {
    internal::TaskRecord& task = tasks_.newest();
    DestroyTask(task, absl::CancelledError("the Loop was destroyed"), last_event());
  }
  // Destroy the callbacks while their slots are intact: what they captured
  // may cancel or set timers as it dies (CancelTimer then finds nothing).
  std::vector<std::function<void()>> dying;
  for (size_t i = 0; i < callback_slots_.size(); ++i) {
    CallbackTimer& timer = *callback_slots_[i];
    if (timer.id == 0) continue;
    timer.id = 0;
    dying.push_back(std::move(timer.callback));
  }
  dying.clear();
  callback_slots_.clear();
  while (internal::LoopObject* object = objects_.PopFront()) object->loop_ = nullptr;
}

uint64_t Loop::RegisterObject(internal::LoopObject& object) {
  objects_.PushBack(&object);
  uint64_t id = next_object_id_++;
  if (!object.label().empty()) object_labels_.emplace(id, object.label());
  return id;
}

void Loop::UnregisterObject(internal::LoopObject& object) {
  objects_.Remove(&object);
  if (!object.label().empty()) EndLabel(/*task=*/false, object.id_);
}

void Loop::EndLabel(bool task, uint64_t id) {
  if (options_.trace.keep_all) return;  // every event stays, and may show any label
  const uint64_t events = trace_.event_count();
  ended_labels_.push_back(EndedLabel{.shown_until = events, .task = task, .id = id});
  // The tail keeps the newest tail_capacity events; a label whose last event is older than
  // all of them cannot be shown (the events 0 .. shown_until - 1 are the only ones that can).
  const uint64_t tail = options_.trace.tail_capacity;
  const uint64_t oldest_kept = events > tail ? events - tail : 0;
  while (!ended_labels_.empty() && ended_labels_.front().shown_until <= oldest_kept) {
    const EndedLabel& ended = ended_labels_.front();
    if (ended.task) {
      labels_.erase(ended.id);
    } else {
      object_labels_.erase(ended.id);
    }
    ended_labels_.pop_front();
  }
}

// ---- Tasks ----

void Loop::NewTask(std::coroutine_handle<> root, internal::JoinTarget* join,
                   const SpawnOptions& options) {
  std::unique_ptr<internal::TaskRecord> record = NewRecord();
  internal::TaskRecord& task = *record;
  task.id = next_task_id_++;
  task.root = root;
  task.resume_point = root;
  task.join = join;
  task.daemon = options.daemon;
  task.group = options.group.has_value() ? *options.group : current_group();
  join->Bind(task.id);
  if (!options.label.empty()) {
    labels_.emplace(task.id, std::string(options.label));
    task.labelled = true;
  }
  tasks_.emplace(task.id, std::move(record));
  if (task.group != 0) group_tasks_[task.group].PushBack(&task);
  if (!task.daemon) ++live_non_daemons_;
  Record(EventKind::kSpawn, task.id, current_task(),
         options.label.empty() ? 0 : HashString(options.label), {},
         EventLinks{.group = task.group, .context = Context()});
  task.woken_by = last_event();  // its first resume follows from the spawn
  if (shutting_down_) {
    // Spawned by a destructor while the Loop is being torn down: never runs.
    DestroyTask(task, absl::CancelledError("the Loop was destroyed"), last_event());
    return;
  }
  if (!random_walk_) strategy_->OnSpawn(*this, task.id);
  MakeReady(task);
}

TaskId Loop::current_task() const { return current_ != nullptr ? current_->id : 0; }
uint32_t Loop::current_group() const { return current_ != nullptr ? current_->group : 0; }

std::string_view Loop::label(TaskId task) const {
  auto it = labels_.find(task);
  return it == labels_.end() ? std::string_view() : std::string_view(it->second);
}

bool Loop::Cancel(TaskId id, absl::Status reason) { return Cancel(id, reason, last_event()); }

bool Loop::Cancel(TaskId id, const absl::Status& reason, EventRef cause) {
  auto it = tasks_.find(id);
  if (it == tasks_.end()) return false;
  internal::TaskRecord& task = *it->second;
  if (task.state == internal::TaskState::kDone) return false;
  if (&task == current_) {
    task.cancel_requested = true;  // destroyed when it next suspends
    return true;
  }
  DestroyTask(task, reason, cause);
  return true;
}

void Loop::DestroyTask(internal::TaskRecord& task, const absl::Status& reason, EventRef cause) {
  if (task.state == internal::TaskState::kDone) return;
  LAPLACE_CHECK(&task != current_) << "a running task cannot be destroyed";
  Unschedule(task);
  task.state = internal::TaskState::kDone;
  Record(EventKind::kCancel, task.id, current_task(), 0, {},
         EventLinks{.cause = cause, .group = task.group, .context = Context()});
  if (!random_walk_) strategy_->OnFinish(task.id);
  DestroyFrames(task);
  task.join->Abandon(reason);
  EraseRecord(task);
}

void Loop::Unschedule(internal::TaskRecord& task) {
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
}

void Loop::DestroyFrames(internal::TaskRecord& task) {
  // Destroying the frames runs destructors: awaiters leave their wait lists
  // and timers, RAII guards release locks, which may wake other tasks. The
  // chain of Tasks awaited inline goes innermost first, each frame released
  // by the Task object that owns it, so no destructor recurses into the next.
  for (internal::TaskPromiseBase* frame = task.innermost; frame != nullptr;) {
    internal::TaskPromiseBase* parent = frame->parent;
    if (parent == nullptr) break;  // the root, destroyed below
    frame->release_owner(frame->owner);
    frame->self.destroy();
    frame = parent;
  }
  task.root.destroy();
}

void Loop::FinishTask(internal::TaskRecord& task) {
  task.state = internal::TaskState::kDone;
  internal::Completion completion = task.join->Complete(task.root);
  Record(EventKind::kFinish, task.id, completion.exception != nullptr ? 1 : 0, 0, {},
         EventLinks{.group = task.group});
  if (!random_walk_) strategy_->OnFinish(task.id);
  if (completion.unobserved) FailTask(task.id, completion.exception);
  task.root.destroy();
  EraseRecord(task);
}

void Loop::EraseRecord(internal::TaskRecord& task) {
  internal::JoinTarget* join = task.join;
  if (!task.daemon) --live_non_daemons_;
  if (task.held) --held_tasks_;
  if (task.linked()) task.list()->Remove(&task);
  if (task.labelled) EndLabel(/*task=*/true, task.id);
  std::unique_ptr<internal::TaskRecord> record = tasks_.erase(tasks_.find(task.id));
  if (spare_records_.size() < kSpareRecordsMax) spare_records_.push_back(std::move(record));
  // `task` is now spare, or destroyed with `record`.
  join->ReleaseFromTask();
}

void Loop::ExceedTaskBudget() {
  ExceedBudget(RunOutcome::kTaskBudgetExhausted,
               internal::Cat("a spawn by ", DescribeSpender(), " would make ", tasks_.size() + 1,
                             " live tasks, past LoopOptions::tasks_max (", options_.tasks_max,
                             "); is a task spawning without bound?"));
}

void Loop::ExceedFrameBudget(uint64_t live_bytes, size_t size) {
  ExceedBudget(
      RunOutcome::kFrameBudgetExhausted,
      internal::Cat("a coroutine frame of ", size, " bytes called by ", DescribeSpender(),
                    " would make ", live_bytes + size,
                    " bytes of live frames, past LoopOptions::frame_bytes_max (",
                    options_.frame_bytes_max, "); is a task spawning or recursing without bound?"));
}

std::string Loop::DescribeSpender() const {
  return current_ != nullptr ? DescribeTask(current_task()) : std::string("code outside any task");
}

void Loop::ExceedBudget(RunOutcome outcome, std::string message) {
  if (!sticky_failure_.has_value()) {
    Record(EventKind::kFailure, current_task(), 0, 0, message, HereLinks());
    sticky_failure_ = RunResult{.outcome = outcome, .message = message};
  }
  throw BudgetExceeded(outcome, std::move(message));
}

void Loop::FailTask(TaskId task, std::exception_ptr exception) {
  std::string message = internal::Cat(DescribeTask(task), " threw ", ExceptionText(exception),
                                      " and no one awaits it");
  Record(EventKind::kFailure, task, 0, 0, message, HereLinks());
  if (!sticky_failure_.has_value()) {
    sticky_failure_ = RunResult{.outcome = RunOutcome::kTaskFailed,
                                .message = std::move(message),
                                .exception = std::move(exception)};
  }
}

size_t Loop::live_tasks(uint32_t group) const { return GroupMembers(group).size(); }

std::vector<TaskId> Loop::GroupMembers(uint32_t group) const {
  std::vector<TaskId> members;
  if (group == 0) {
    for (const auto& [id, task] : tasks_) {
      if (task->group == 0) members.push_back(id);
    }
    return members;
  }
  auto it = group_tasks_.find(group);
  if (it == group_tasks_.end()) return members;
  for (const internal::TaskRecord* task = it->second.front(); task != nullptr;
       task = it->second.next(task)) {
    members.push_back(task->id);
  }
  return members;
}

// ---- Groups ----

void Loop::CancelGroup(uint32_t group, absl::Status reason) {
  const std::vector<TaskId> members = GroupMembers(group);
  // Every cancellation follows from what asked for them all (a crash note,
  // say), not from the cancellation before it.
  const EventRef cause = last_event();
  for (auto it = members.rbegin(); it != members.rend(); ++it) Cancel(*it, reason, cause);
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
    if (task->group == group && !task->held) {
      task->state = internal::TaskState::kReady;
      ready_.PushBack(task);
    } else {
      still_parked.push_back(task);
    }
  }
  parked_ = std::move(still_parked);
}

// ---- Holding one task back ----

bool Loop::ParkTask(TaskId id) {
  auto it = tasks_.find(id);
  if (it == tasks_.end() || it->second->state == internal::TaskState::kDone) return false;
  internal::TaskRecord& task = *it->second;
  if (task.held) return true;
  task.held = true;
  ++held_tasks_;
  if (task.state != internal::TaskState::kReady) return true;  // parks when it is next ready
  if (yielder_ == &task) {
    yielder_ = nullptr;
  } else {
    LAPLACE_CHECK(ready_.Remove(&task)) << DescribeTask(id) << " is ready but not queued";
  }
  ParkIfPaused(task);
  return true;
}

bool Loop::UnparkTask(TaskId id) {
  auto it = tasks_.find(id);
  if (it == tasks_.end() || !it->second->held) return false;
  internal::TaskRecord& task = *it->second;
  task.held = false;
  --held_tasks_;
  if (task.state == internal::TaskState::kParked && !paused_groups_.contains(task.group)) {
    std::erase(parked_, &task);
    task.state = internal::TaskState::kReady;
    ready_.PushBack(&task);
  }
  return true;
}

bool Loop::IsHeld(TaskId id) const {
  auto it = tasks_.find(id);
  return it != tasks_.end() && it->second->held;
}

void Loop::Unwake(internal::TaskRecord& task) {
  LAPLACE_CHECK(&task != yielder_ && &task != current_)
      << DescribeTask(task.id) << " is running or has just yielded: it was never woken";
  if (task.state == internal::TaskState::kReady) {
    ready_.Remove(&task);
  } else if (task.state == internal::TaskState::kParked) {
    std::erase(parked_, &task);
  } else {
    return;
  }
  task.state = internal::TaskState::kBlocked;
  if (!random_walk_) ObserveBlock(task);
}

void Loop::ObserveBlock(const internal::TaskRecord& task) {
  strategy_->OnBlock(task.id, PendingOperation{task.wait_kind, task.wait_object});
}

// ---- Choices and notes ----

uint64_t Loop::ResourceId(std::string_view resource) {
  uint64_t id = HashString(resource) | 1;  // never 0, which means "a bare Yield()"
  if (!resource_names_.contains(id)) resource_names_.emplace(id, std::string(resource));
  return id;
}

void Loop::CountFault(std::string_view name) {
  LAPLACE_CHECK(!name.empty()) << "a fault kind needs a name";
  auto it = fault_counts_.find(name);
  if (it == fault_counts_.end()) it = fault_counts_.emplace(std::string(name), 0).first;
  ++it->second;
}

namespace {

// Whether a Chance draws at all; fails a check when it is no probability.
bool ChanceDraws(uint64_t numerator, uint64_t denominator) {
  LAPLACE_CHECK(denominator >= 1) << "Chance needs a positive denominator";
  LAPLACE_CHECK(numerator <= denominator)
      << "Chance(" << numerator << ", " << denominator << ") is not a probability";
  return numerator != 0 && numerator != denominator;
}

}  // namespace

bool Loop::Chance(uint64_t numerator, uint64_t denominator, ChoiceKind kind) {
  if (!ChanceDraws(numerator, denominator)) return numerator != 0;
  // The top `numerator` values mean yes, so 0 (and small values) mean no.
  return Choose(denominator, kind) >= denominator - numerator;
}

bool Loop::Chance(uint64_t numerator, uint64_t denominator, ChoiceKind kind, const Stream& stream) {
  if (!ChanceDraws(numerator, denominator)) return numerator != 0;
  return Choose(denominator, kind, stream) >= denominator - numerator;
}

uint64_t Loop::Choose(uint64_t bound, ChoiceKind kind, const Stream& stream) {
  if (bound >= 2 && stream.id != kUnnamedStream && !stream_names_.contains(stream.id)) {
    stream_names_.emplace(stream.id, StreamText(stream.name, stream.key));
  }
  return ChooseOn(bound, kind, stream.id);
}

std::string DivergencePoint::ToString() const {
  std::string text =
      internal::Cat("choice #", divergence.index, " at ", FormatTime(time), ", step ", step, ", ");
  if (task == 0) {
    internal::Append(text, "outside any task");
  } else {
    internal::Append(text, "in task #", task);
    if (!task_label.empty()) internal::Append(text, " '", task_label, "'");
  }
  if (!stream.empty()) internal::Append(text, ", on stream '", stream, "'");
  std::string what = divergence.ToString();
  internal::Append(text, what.substr(what.find(':')));
  return text;
}

void Loop::ReportDivergence() {
  divergence_reported_ = true;
  const Divergence& divergence = *source_->divergence();
  const TaskId task = current_task();
  divergence_point_ = DivergencePoint{.divergence = divergence,
                                      .time = now_,
                                      .step = steps_,
                                      .task = task,
                                      .task_label = std::string(label(task)),
                                      .stream = StreamName(divergence.expected.stream)};
  std::string message = internal::Cat("replay diverged at ", divergence.ToString(), " on stream '",
                                      StreamName(divergence.expected.stream), "'");
  Record(EventKind::kFailure, current_task(), 0, 0, message, HereLinks());
  if (options_.stop_on_divergence && !sticky_failure_.has_value()) {
    sticky_failure_ = RunResult{.outcome = RunOutcome::kDivergence, .message = message};
  }
}

std::string Loop::StreamName(StreamId stream) const {
  if (stream == kUnnamedStream) return "";
  if (auto it = stream_names_.find(stream); it != stream_names_.end()) return it->second;
  return UnknownStreamText(stream);
}

void Loop::Note(std::string_view text, const NoteLinks& links) {
  Record(EventKind::kNote, current_task(), 0, 0, text,
         EventLinks{.cause = links.cause,
                    .flow = links.flow,
                    .group = links.group.value_or(current_group()),
                    .note = links.kind,
                    .context = Context()});
}

void Loop::NameGroup(uint32_t group, std::string name) {
  LAPLACE_CHECK(group != 0) << "group 0 is 'no group' and has no name";
  group_names_[group] = std::move(name);
}

std::string_view Loop::group_name(uint32_t group) const {
  auto it = group_names_.find(group);
  return it == group_names_.end() ? std::string_view() : std::string_view(it->second);
}

void Loop::RecordResolve(uint64_t object_id, uint64_t how) {
  if (how == 2) ++broken_promises_;
  Record(EventKind::kResolve, current_task(), object_id, how, {}, HereLinks());
}

}  // namespace laplace
