// The ready set in the order tasks became ready. Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_
#define LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "base/check.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {

// A growable ring buffer of tasks, in O(1) for every operation the scheduler
// uses. Tasks join at the back; index 0 is the front, which is what choice 0
// picks when no task is running, so an all-zero tape is a fair round robin.
// PopAt(i) for i > 0 fills the hole with the back task, and a preempted
// yielder takes the slot of the task picked instead (Exchange), rather than
// shifting the others: a random walk over a thousand ready tasks must not
// cost a thousand moves per step. So after such picks the order is no longer
// strictly by readiness; it is still a pure function of the choices made.
class ReadyQueue {
 public:
  ReadyQueue() : slots_(16) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  TaskRecord* operator[](size_t index) const {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    return slots_[(head_ + index) & mask_];
  }

  LAPLACE_HOT_INLINE void PushBack(TaskRecord* task) {
    if (size_ == slots_.size()) Grow();
    slots_[(head_ + size_) & mask_] = task;
    ++size_;
  }

  // Puts `task` in slot `index` and returns the task that was there: how a
  // preempted yielder trades places with the task picked to run instead.
  LAPLACE_HOT_INLINE TaskRecord* Exchange(size_t index, TaskRecord* task) {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    return std::exchange(slots_[(head_ + index) & mask_], task);
  }

  // Removes and returns task `index`: the front in O(1), any other by moving
  // the back task into its slot.
  LAPLACE_HOT_INLINE TaskRecord* PopAt(size_t index) {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    TaskRecord*& slot = slots_[(head_ + index) & mask_];
    TaskRecord* task = slot;
    if (index == 0) {
      head_ = (head_ + 1) & mask_;
    } else {
      slot = slots_[(head_ + size_ - 1) & mask_];
    }
    --size_;
    return task;
  }

  // Removes `task` if present, keeping the order of the others (rare: used
  // when a ready task is cancelled). Returns whether it was there. Scans from
  // both ends at once and closes the gap from the nearer end, so removing a
  // task near either end (the oldest, or the newest: a teardown or a group
  // cancelled newest first) is O(1); one in the middle is O(size).
  bool Remove(TaskRecord* task) {
    for (size_t front = 0, back = size_; front < back; ++front) {
      --back;
      if (slots_[(head_ + back) & mask_] == task) {
        ShiftDownAfter(back);
        return true;
      }
      if (slots_[(head_ + front) & mask_] == task) {
        ShiftUpBefore(front);
        return true;
      }
    }
    return false;
  }

  // Forgets every task (the Loop's teardown: none of them will run).
  void Clear() {
    head_ = 0;
    size_ = 0;
  }

 private:
  // Closes the gap at `index` by moving the tasks after it one slot toward the front.
  void ShiftDownAfter(size_t index) {
    for (size_t j = index; j + 1 < size_; ++j) {
      slots_[(head_ + j) & mask_] = slots_[(head_ + j + 1) & mask_];
    }
    --size_;
  }

  // Closes the gap at `index` by moving the tasks before it one slot toward the back.
  void ShiftUpBefore(size_t index) {
    for (size_t j = index; j > 0; --j) {
      slots_[(head_ + j) & mask_] = slots_[(head_ + j - 1) & mask_];
    }
    head_ = (head_ + 1) & mask_;
    --size_;
  }

  void Grow() {
    std::vector<TaskRecord*> bigger(slots_.size() * 2);
    for (size_t i = 0; i < size_; ++i) bigger[i] = (*this)[i];
    slots_ = std::move(bigger);
    mask_ = slots_.size() - 1;
    head_ = 0;
  }

  std::vector<TaskRecord*> slots_;  // size is a power of two
  size_t mask_ = 15;                // slots_.size() - 1
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_
