// The ready set in the order tasks became ready. Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_
#define LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_

#include <cstddef>
#include <vector>

#include "loop/internal/check.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {

// A growable ring buffer of tasks. Index 0 is the oldest ready task, which is
// what choice 0 picks when no task is running, so an all-zero tape is a fair
// round robin. PopAt(i) keeps the order of the others, moving the shorter side.
class ReadyQueue {
 public:
  ReadyQueue() : slots_(16) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  TaskRecord* operator[](size_t index) const {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    return slots_[(head_ + index) & (slots_.size() - 1)];
  }

  void PushBack(TaskRecord* task) {
    if (size_ == slots_.size()) Grow();
    slots_[(head_ + size_) & (slots_.size() - 1)] = task;
    ++size_;
  }

  void PushFront(TaskRecord* task) {
    if (size_ == slots_.size()) Grow();
    head_ = (head_ - 1) & (slots_.size() - 1);
    slots_[head_] = task;
    ++size_;
  }

  TaskRecord* PopAt(size_t index) {
    TaskRecord* task = (*this)[index];
    size_t mask = slots_.size() - 1;
    if (index < size_ / 2) {
      // Shift the front part one slot toward the back.
      for (size_t i = index; i > 0; --i) {
        slots_[(head_ + i) & mask] = slots_[(head_ + i - 1) & mask];
      }
      head_ = (head_ + 1) & mask;
    } else {
      for (size_t i = index; i + 1 < size_; ++i) {
        slots_[(head_ + i) & mask] = slots_[(head_ + i + 1) & mask];
      }
    }
    --size_;
    return task;
  }

  // Removes `task` if present; returns whether it was.
  bool Remove(TaskRecord* task) {
    for (size_t i = 0; i < size_; ++i) {
      if ((*this)[i] == task) {
        PopAt(i);
        return true;
      }
    }
    return false;
  }

 private:
  void Grow() {
    std::vector<TaskRecord*> bigger(slots_.size() * 2);
    for (size_t i = 0; i < size_; ++i) bigger[i] = (*this)[i];
    slots_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<TaskRecord*> slots_;  // size is a power of two
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_
