// Wait lists: the FIFO queues of tasks waiting on a synchronization object, and the two moves
// every such object makes with them. Private to loop/.
//
// A Waiter lives inside an awaiter, which lives in the waiting coroutine's frame. When that
// frame is destroyed (the task is cancelled, or its node crashes), the awaiter's destructor
// unlinks the Waiter, so no list ever points into a dead frame. When the list's owner dies
// first, it orphans its waiters, so their later unlinking touches nothing.
//
// Objects that hand what a task waits for straight to it (a lock, a permit, a queued item) keep
// a second list of HandedWaiters: handed, woken, but not yet resumed. A waiter resumes off that
// list (TakeHanded); a waiter destroyed while still on it hands the thing back
// (LeaveUnresumed), and its owner passes it on.
//
//   void await_suspend(std::coroutine_handle<> resume_point) {
//     internal::LinkAndBlock(event_->waiters_, waiter_, *event_, resume_point);
//   }
#ifndef LAPLACE_LOOP_INTERNAL_WAIT_LIST_H_
#define LAPLACE_LOOP_INTERNAL_WAIT_LIST_H_

#include <coroutine>
#include <cstdint>

#include "base/check.h"
#include "base/intrusive_list.h"
#include "loop/ids.h"
#include "loop/internal/loop_access.h"
#include "loop/internal/loop_object.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {

// One task waiting on one list (or, with a null task, any other membership that must end when
// either side dies first, such as a LockGuard on its lock's list of guards).
struct Waiter : IntrusiveLink<Waiter> {
  Waiter() = default;
  ~Waiter() {
    if (linked()) list()->Remove(this);
  }

  TaskRecord* task = nullptr;
};

class WaitList : public IntrusiveList<Waiter> {
 public:
  WaitList() = default;
  ~WaitList() { OrphanAll(); }

  // Unlinks every waiter without waking it. The tasks stay blocked and a
  // deadlock report will say they wait on a destroyed object.
  void OrphanAll() {
    while (Waiter* waiter = PopFront()) {
      if (waiter->task != nullptr) waiter->task->wait_target = nullptr;
    }
  }
};

// How every awaiter on a wait list suspends: links `waiter` for the running task at the back of
// `list`, then blocks the task at `resume_point` waiting on `object`, traced as `kind` and
// `wait_object` (by default the object's own kind and id).
inline void LinkAndBlock(WaitList& list, Waiter& waiter, const LoopObject& object,
                         std::coroutine_handle<> resume_point, WaitKind kind,
                         uint64_t wait_object) {
  Loop& loop = object.loop();
  waiter.task = &LoopAccess::CurrentRecord(loop);
  list.PushBack(&waiter);
  LoopAccess::BlockCurrent(loop, resume_point, kind, &object, wait_object);
}
inline void LinkAndBlock(WaitList& list, Waiter& waiter, const LoopObject& object,
                         std::coroutine_handle<> resume_point) {
  LinkAndBlock(list, waiter, object, resume_point, object.kind(), object.object_id());
}

// Wakes every waiter on `owner`'s `list`, oldest first (the Loop resumes them at later
// scheduling points, in that order), and empties it. An empty list needs no Loop.
inline void WakeAll(WaitList& list, const LoopObject& owner) {
  while (Waiter* waiter = list.PopFront()) LoopAccess::Wake(owner.loop(), *waiter->task);
}

// A waiter its object can hand what it waits for before it runs.
struct HandedWaiter : Waiter {
  bool handed = false;  // on its object's handed list, not on its waiting list
};

// Hands `waiter`, just taken off its waiting list, what it waits for: it joins `handed` and its
// task wakes (the Loop resumes it at a later scheduling point).
inline void Hand(WaitList& handed, HandedWaiter& waiter, Loop& loop) {
  waiter.handed = true;
  handed.PushBack(&waiter);
  LoopAccess::Wake(loop, *waiter.task);
}

// As a handed waiter resumes: takes it off `handed`. Returns false if it was not handed
// anything. Fails a check saying `owner_gone` if the object died before the task could run
// (its handed list orphaned the waiter).
inline bool TakeHanded(WaitList& handed, HandedWaiter& waiter, const char* owner_gone) {
  if (!waiter.handed) return false;
  LAPLACE_CHECK(waiter.linked()) << owner_gone;
  handed.Remove(&waiter);
  waiter.handed = false;
  return true;
}

// As an awaiter is destroyed: whether its waiter was handed something and never resumed to take
// it (its task was cancelled in between) while the object still lives. If so the waiter leaves
// `handed`, and the caller passes on what it was handed.
inline bool LeaveUnresumed(WaitList& handed, HandedWaiter& waiter) {
  if (!waiter.handed || !waiter.linked()) return false;
  handed.Remove(&waiter);
  waiter.handed = false;
  return true;
}

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_WAIT_LIST_H_
