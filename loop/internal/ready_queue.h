// The ready set in the order tasks became ready. Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_
#define LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/check.h"
#include "loop/internal/rank_bitmap.h"
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
//
// Remove (a ready task cancelled, or its node crashing) keeps the others'
// order, since the order is part of what the choices mean. It leaves a hole
// instead of shifting: the queue then keeps a RankBitmap of its occupied
// slots, built once (O(slots / 64)) and kept until the queue empties or is
// compacted, and finds the i-th task in O(log n). Holes at either end are
// trimmed at once, and when the holes outnumber the tasks the ring is
// compacted (O(n), paid for by those removals). So cancelling k of n ready
// tasks costs O(k log n) and never O(k n); the queue stays as fast as before
// until the first hole.
class ReadyQueue {
 public:
  ReadyQueue() : slots_(16, nullptr) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  TaskRecord* operator[](size_t index) const {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    return slots_[Physical(index)];
  }

  LAPLACE_HOT_INLINE void PushBack(TaskRecord* task) {
    if (span_ == slots_.size()) Resize(slots_.size() * 2);
    const size_t slot = (head_ + span_) & mask_;
    Place(slot, task);
    ++span_;
    ++size_;
    if (indexed_) [[unlikely]] {
      occupied_.Set(slot);
    }
  }

  // Puts `task` in slot `index` and returns the task that was there: how a
  // preempted yielder trades places with the task picked to run instead.
  LAPLACE_HOT_INLINE TaskRecord* Exchange(size_t index, TaskRecord* task) {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    const size_t slot = Physical(index);
    TaskRecord* was = slots_[slot];
    Place(slot, task);
    was->ready_slot = TaskRecord::kNotQueued;
    return was;
  }

  // Removes and returns task `index`: the front in O(1), any other by moving
  // the back task into its slot.
  LAPLACE_HOT_INLINE TaskRecord* PopAt(size_t index) {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    if (index == 0) return TakeFront();
    const size_t slot = Physical(index);
    TaskRecord* task = slots_[slot];
    const size_t back = (head_ + span_ - 1) & mask_;
    if (slot != back) Place(slot, slots_[back]);
    TakeBack();
    task->ready_slot = TaskRecord::kNotQueued;
    return task;
  }

  // Removes `task` if it is queued, keeping the order of the others (see the
  // class comment). Returns whether it was there.
  bool Remove(TaskRecord* task) {
    const size_t slot = task->ready_slot;
    if (slot >= slots_.size() || slots_[slot] != task || ((slot - head_) & mask_) >= span_) {
      return false;
    }
    if (slot == head_) {
      TakeFront();
      return true;
    }
    if (slot == ((head_ + span_ - 1) & mask_)) {
      TakeBack();
      task->ready_slot = TaskRecord::kNotQueued;
      return true;
    }
    if (!indexed_) BuildIndex();
    slots_[slot] = nullptr;
    occupied_.Clear(slot);
    task->ready_slot = TaskRecord::kNotQueued;
    --size_;
    if (span_ - size_ > size_ && span_ - size_ >= kCompactHolesMin) Resize(slots_.size());
    return true;
  }

  // Forgets every task at once (a Loop being destroyed or reset), keeping the memory.
  void Clear() {
    for (size_t i = 0; i < span_; ++i) {
      TaskRecord*& slot = slots_[(head_ + i) & mask_];
      if (slot != nullptr) slot->ready_slot = TaskRecord::kNotQueued;
      slot = nullptr;
    }
    head_ = span_ = size_ = 0;
    indexed_ = false;
  }

 private:
  static constexpr size_t kCompactHolesMin = 32;

  LAPLACE_HOT_INLINE void Place(size_t slot, TaskRecord* task) {
    slots_[slot] = task;
    task->ready_slot = static_cast<uint32_t>(slot);
  }

  // The slot of the task at `index`: direct while the ring has no holes.
  LAPLACE_HOT_INLINE size_t Physical(size_t index) const {
    if (!indexed_) [[likely]] {
      return (head_ + index) & mask_;
    }
    return IndexedPhysical(index);
  }

  size_t IndexedPhysical(size_t index) const {
    // The occupied slots from head_ to the ring's end come first, then those from slot 0.
    const size_t before_head = occupied_.Rank(head_);
    const size_t from_head = occupied_.count() - before_head;
    if (index < from_head) return occupied_.Select(before_head + index);
    return occupied_.Select(index - from_head);
  }

  LAPLACE_HOT_INLINE TaskRecord* TakeFront() {
    TaskRecord* task = slots_[head_];
    task->ready_slot = TaskRecord::kNotQueued;
    if (indexed_) [[unlikely]] {
      slots_[head_] = nullptr;
      occupied_.Clear(head_);
    }
    head_ = (head_ + 1) & mask_;
    --span_;
    --size_;
    if (indexed_) [[unlikely]] {
      TrimHoles();
    }
    return task;
  }

  // Drops the back slot, whose task has moved or left.
  LAPLACE_HOT_INLINE void TakeBack() {
    const size_t back = (head_ + span_ - 1) & mask_;
    --span_;
    --size_;
    if (indexed_) [[unlikely]] {
      slots_[back] = nullptr;
      occupied_.Clear(back);
      TrimHoles();
    }
  }

  // Keeps a task at both ends of the span; leaves indexed mode when the queue empties.
  void TrimHoles() {
    while (span_ > 0 && slots_[head_] == nullptr) {
      head_ = (head_ + 1) & mask_;
      --span_;
    }
    while (span_ > 0 && slots_[(head_ + span_ - 1) & mask_] == nullptr) --span_;
    if (span_ == 0) {
      head_ = 0;
      indexed_ = false;  // every bit is clear again
    }
  }

  void BuildIndex() {
    occupied_.Build(slots_.size(), false);
    for (size_t i = 0; i < span_; ++i) occupied_.Set((head_ + i) & mask_);
    indexed_ = true;
  }

  // Moves the tasks, in order and without holes, to the front of a ring of `capacity` slots.
  void Resize(size_t capacity) {
    std::vector<TaskRecord*> tasks;
    tasks.reserve(size_);
    for (size_t i = 0; i < span_; ++i) {
      if (TaskRecord* task = slots_[(head_ + i) & mask_]) tasks.push_back(task);
    }
    while (capacity > 16 && capacity / 4 > tasks.size()) capacity /= 2;
    slots_.assign(capacity, nullptr);
    mask_ = capacity - 1;
    head_ = 0;
    span_ = size_ = tasks.size();
    for (size_t i = 0; i < tasks.size(); ++i) Place(i, tasks[i]);
    indexed_ = false;
  }

  std::vector<TaskRecord*> slots_;  // size is a power of two; holes are null
  size_t mask_ = 15;                // slots_.size() - 1
  size_t head_ = 0;                 // the front task's slot
  size_t span_ = 0;                 // slots from head_ to the back task, holes included
  size_t size_ = 0;                 // tasks queued
  bool indexed_ = false;            // occupied_ is valid (the ring has or had holes)
  RankBitmap occupied_;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_
