// The Loop's tasks: spawning, cancelling, finishing and failing them, their records, and groups
// (pause, resume, cancel a whole group). Every one of these costs O(1) or O(log n) in the
// number of live tasks, so a node crash or a Loop's teardown is linear in what it ends.
#include <algorithm>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "loop/future.h"
#include "loop/internal/shared_state.h"
#include "loop/loop.h"
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

// ---- Records ----

internal::TaskRecord& Loop::AllocateRecord() {
  if (free_records_.empty()) {
    records_.push_back(std::make_unique<internal::TaskRecord>());
    return *records_.back();
  }
  internal::TaskRecord* record = free_records_.back();
  free_records_.pop_back();
  return *record;
}

internal::TaskRecord* Loop::FindTask(TaskId id) const { return tasks_.Find(id); }

void Loop::NewTask(std::coroutine_handle<> root, internal::JoinTarget* join,
                   const SpawnOptions& options) {
  internal::TaskRecord& task = AllocateRecord();
  task.id = next_task_id_++;
  task.state = internal::TaskState::kReady;
  task.daemon = options.daemon;
  task.cancel_requested = false;
  task.group = options.group.has_value() ? *options.group : current_group();
  task.wait_kind = WaitKind::kStart;
  task.wait_object = 0;
  task.wait_target = nullptr;
  task.root = root;
  task.resume_point = root;
  task.innermost = nullptr;
  task.join = join;
  task.ready_slot = internal::TaskRecord::kNotQueued;
  task.pinned_label = 0;
  join->Bind(task.id);
  if (!options.label.empty()) labels_.emplace(task.id, std::string(options.label));
  tasks_.Add(task);
  Group& group = GroupOf(task.group);
  task.group_index = static_cast<uint32_t>(group.members.size());
  group.members.push_back(&task);
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

void Loop::EraseRecord(internal::TaskRecord& task) {
  internal::JoinTarget* join = task.join;
  if (!task.daemon) --live_non_daemons_;
  if (task.pinned_label != 0) UnpinObjectLabel(task.pinned_label);
  Group& group = GroupOf(task.group);
  internal::TaskRecord* last = group.members.back();
  group.members[task.group_index] = last;
  last->group_index = task.group_index;
  group.members.pop_back();
  tasks_.Remove(task);
  task.join = nullptr;
  task.root = nullptr;
  free_records_.push_back(&task);
  join->ReleaseFromTask();  // may forget the task's label (its JoinState is gone)
}

// ---- Tasks ----

TaskId Loop::current_task() const { return current_ != nullptr ? current_->id : 0; }
uint32_t Loop::current_group() const { return current_ != nullptr ? current_->group : 0; }

bool Loop::Cancel(TaskId id, absl::Status reason) {
  internal::TaskRecord* task = FindTask(id);
  if (task == nullptr || task->state == internal::TaskState::kDone) return false;
  if (task == current_) {
    task->cancel_requested = true;  // destroyed when it next suspends
    return true;
  }
  DestroyTask(*task, reason);
  return true;
}

void Loop::DestroyTask(internal::TaskRecord& task, const absl::Status& reason) {
  if (task.state == internal::TaskState::kDone) return;
  LAPLACE_CHECK(&task != current_) << "a running task cannot be destroyed";
  Unschedule(task);
  task.state = internal::TaskState::kDone;
  Record(EventKind::kCancel, task.id, current_task());
  strategy_->OnFinish(task.id);
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
    case internal::TaskState::kParked: {
      Group& group = GroupOf(task.group);
      group.parked[task.parked_index] = nullptr;
      if (--group.parked_count == 0) group.parked.clear();
      break;
    }
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
  Record(EventKind::kFinish, task.id, completion.exception != nullptr ? 1 : 0);
  strategy_->OnFinish(task.id);
  if (completion.unobserved) FailTask(task.id, completion.exception);
  task.root.destroy();
  EraseRecord(task);
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

size_t Loop::live_tasks(uint32_t group) const {
  if (group == 0) return group0_.members.size();
  auto it = groups_.find(group);
  return it == groups_.end() ? 0 : it->second.members.size();
}

// ---- Groups ----

void Loop::CancelGroup(uint32_t group, absl::Status reason) {
  // The members as they are now, newest first; a destructor may end some of them first (Cancel
  // then finds nothing), and tasks spawned meanwhile are not cancelled.
  std::vector<TaskId> members;
  for (const internal::TaskRecord* task : GroupOf(group).members) members.push_back(task->id);
  std::sort(members.begin(), members.end(), std::greater<TaskId>());
  for (TaskId id : members) Cancel(id, reason);
}

void Loop::Park(internal::TaskRecord& task) {
  task.state = internal::TaskState::kParked;
  Group& group = GroupOf(task.group);
  task.parked_index = static_cast<uint32_t>(group.parked.size());
  group.parked.push_back(&task);
  ++group.parked_count;
}

void Loop::PauseGroup(uint32_t group) {
  if (!paused_groups_.insert(group).second) return;
  std::vector<internal::TaskRecord*> keep;
  keep.reserve(ready_.size());
  for (size_t i = 0; i < ready_.size(); ++i) keep.push_back(ready_[i]);
  ready_.Clear();
  for (internal::TaskRecord* task : keep) MakeReady(*task);  // parks this group's
  if (yielder_ != nullptr && yielder_->group == group) {
    internal::TaskRecord* task = std::exchange(yielder_, nullptr);
    MakeReady(*task);
  }
}

void Loop::ResumeGroup(uint32_t group) {
  if (paused_groups_.erase(group) == 0) return;
  Group& resumed = GroupOf(group);
  for (internal::TaskRecord* task : resumed.parked) {
    if (task == nullptr) continue;  // cancelled while parked
    task->state = internal::TaskState::kReady;
    ready_.PushBack(task);
  }
  resumed.parked.clear();
  resumed.parked_count = 0;
}

}  // namespace laplace
