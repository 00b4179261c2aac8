// The Loop's bookkeeping for one spawned task. Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_TASK_RECORD_H_
#define LAPLACE_LOOP_INTERNAL_TASK_RECORD_H_

#include <coroutine>
#include <cstdint>

#include "base/intrusive_list.h"
#include "loop/ids.h"

namespace laplace::internal {

class JoinTarget;
class LoopObject;
struct TaskPromiseBase;

enum class TaskState : uint8_t {
  kReady,    // in the ready queue (or the pending yielder)
  kRunning,  // the current task
  kBlocked,  // suspended on a wait list or a timer
  kParked,   // ready, but its group is paused (see "Groups" in loop.h)
  kDone,     // finished or cancelled; the record is about to be freed
};

// One spawned task: the root coroutine frame it owns, where to resume it, and
// what it waits on. Awaiting a Task<T> inside a task runs in the same record;
// only Loop::Spawn creates records. A task of a group other than 0 is linked on its group's list
// (Loop::CancelGroup), in spawn order.
struct TaskRecord : IntrusiveLink<TaskRecord> {
  TaskId id = 0;
  TaskState state = TaskState::kReady;
  // A daemon (a server loop, say) may stay blocked forever without that
  // counting as a deadlock.
  bool daemon = false;
  // Cancel() was called while the task was running; it is destroyed at its
  // next suspension.
  bool cancel_requested = false;
  // Held back by Loop::ParkTask: parked whenever it would be ready, until UnparkTask.
  bool held = false;
  // Spawned with a label (which the Loop keeps, by id, until no kept trace event can show it).
  bool labelled = false;
  WaitKind wait_kind = WaitKind::kStart;
  uint32_t group = 0;
  // Where ReadyQueue holds the task while it is queued (it keeps this up to date; stale once
  // the task leaves), so that removing a ready task needs no search. Beside `group` it fills
  // what was padding.
  uint32_t ready_slot = 0;
  uint64_t wait_object = 0;                 // object id (task id for kJoin)
  const LoopObject* wait_target = nullptr;  // for describing a deadlock
  std::coroutine_handle<> root;             // owned; destroyed with the task
  std::coroutine_handle<> resume_point;     // innermost suspended coroutine
  // The innermost Task being awaited inline, null while that is the root;
  // lets cancellation destroy the chain innermost first (see task.h).
  TaskPromiseBase* innermost = nullptr;
  JoinTarget* join = nullptr;  // holds one reference
  // The event that last made the task ready (its spawn, or whatever woke
  // it), for the links of its next resume; 0 after a yield.
  EventRef woken_by = 0;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_TASK_RECORD_H_
