// Intrusive FIFO lists of waiting tasks, one per synchronization object.
// Private to loop/.
//
// A Waiter lives inside an awaiter, which lives in the waiting coroutine's
// frame. When that frame is destroyed (the task is cancelled, or its node
// crashes), the awaiter's destructor unlinks the Waiter, so no list ever
// points into a dead frame. When the list's owner dies first, it orphans its
// waiters, so their later unlinking touches nothing.
#ifndef LAPLACE_LOOP_INTERNAL_WAIT_LIST_H_
#define LAPLACE_LOOP_INTERNAL_WAIT_LIST_H_

#include "base/check.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {

class WaitList;

struct Waiter {
  Waiter() = default;
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;
  inline ~Waiter();

  bool linked() const { return list != nullptr; }

  TaskRecord* task = nullptr;
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
  WaitList* list = nullptr;
};

class WaitList {
 public:
  WaitList() = default;
  WaitList(const WaitList&) = delete;
  WaitList& operator=(const WaitList&) = delete;
  ~WaitList() { OrphanAll(); }

  bool empty() const { return head_ == nullptr; }
  Waiter* front() const { return head_; }

  void PushBack(Waiter* waiter) {
    LAPLACE_CHECK(!waiter->linked()) << "a waiter can wait on one list at a time";
    waiter->list = this;
    waiter->prev = tail_;
    waiter->next = nullptr;
    if (tail_ != nullptr) {
      tail_->next = waiter;
    } else {
      head_ = waiter;
    }
    tail_ = waiter;
  }

  void Remove(Waiter* waiter) {
    LAPLACE_CHECK(waiter->list == this) << "waiter is on another list";
    (waiter->prev != nullptr ? waiter->prev->next : head_) = waiter->next;
    (waiter->next != nullptr ? waiter->next->prev : tail_) = waiter->prev;
    waiter->prev = waiter->next = nullptr;
    waiter->list = nullptr;
  }

  Waiter* PopFront() {
    Waiter* waiter = head_;
    if (waiter != nullptr) Remove(waiter);
    return waiter;
  }

  // Unlinks every waiter without waking it. The tasks stay blocked and a
  // deadlock report will say they wait on a destroyed object.
  void OrphanAll() {
    while (Waiter* waiter = PopFront()) {
      if (waiter->task != nullptr) waiter->task->wait_target = nullptr;
    }
  }

 private:
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
};

Waiter::~Waiter() {
  if (list != nullptr) list->Remove(this);
}

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_WAIT_LIST_H_
