// The ready set in the order tasks became ready. Private to loop/.
//
// A growable ring buffer of tasks. Tasks join at the back; index 0 is the front, which is what
// choice 0 picks when no task is running, so an all-zero tape is a fair round robin. PopAt(i)
// for i > 0 fills the hole with the back task, and a preempted yielder takes the slot of the
// task picked instead (Exchange), rather than shifting the others: a random walk over a thousand
// ready tasks must not cost a thousand moves per step. So after such picks the order is no
// longer strictly by readiness; it is still a pure function of the choices made.
//
// Remove (a ready task cancelled, parked or un-woken) keeps the order of the others, since the
// digest depends on it. Each task knows its slot (TaskRecord::ready_slot), so removing the
// front or the back is O(1) outright. Removing one from the middle leaves a tombstone and
// switches the queue to its ranked mode, where a TombstoneIndex maps an index to its slot in
// O(log n), for every operation, until the tombstones are gone: when the ends pass them, or by
// a compaction (O(n)) once they outnumber the live tasks or once the ranked operations have paid
// for one. Nothing in the unranked mode, the only one a run without removals sees, looks at the
// index: every operation there is today's O(1) ring-buffer step plus one store of the slot.
//
//   ReadyQueue ready;
//   ready.PushBack(&a);
//   ready.PushBack(&b);
//   ready.PushBack(&c);          // a b c
//   ready.Remove(&b);            // a c (a tombstone where b was)
//   ready.PopAt(0);              // a; c remains
#ifndef LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_
#define LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/check.h"
#include "loop/internal/task_record.h"
#include "loop/internal/tombstone_index.h"

namespace laplace::internal {

class ReadyQueue {
 public:
  ReadyQueue() : slots_(16) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  TaskRecord* operator[](size_t index) const {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    if (ranked_) [[unlikely]]
      return slots_[RankedSlot(index)];
    return slots_[(head_ + index) & mask_];
  }

  // Appends `task`, which must not be queued already (the Loop's task states see to that).
  LAPLACE_HOT_INLINE void PushBack(TaskRecord* task) {
    // In ranked mode push_limit_ is 0, so this one test also leaves the fast path.
    if (size_ >= push_limit_) [[unlikely]]
      return PushBackSlow(task);
    Place((head_ + size_) & mask_, task);
    ++size_;
  }

  // Puts `task` in slot `index` and returns the task that was there: how a
  // preempted yielder trades places with the task picked to run instead.
  LAPLACE_HOT_INLINE TaskRecord* Exchange(size_t index, TaskRecord* task) {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    if (ranked_) [[unlikely]]
      return ExchangeRanked(index, task);
    const size_t slot = (head_ + index) & mask_;
    TaskRecord* old = slots_[slot];
    Place(slot, task);
    return old;
  }

  // Removes and returns task `index`: the front in O(1), any other by moving
  // the back task into its slot.
  LAPLACE_HOT_INLINE TaskRecord* PopAt(size_t index) {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    if (ranked_) [[unlikely]]
      return PopAtRanked(index);
    const size_t slot = (head_ + index) & mask_;
    TaskRecord* task = slots_[slot];
    if (index == 0) {
      head_ = (head_ + 1) & mask_;
    } else {
      Place(slot, slots_[(head_ + size_ - 1) & mask_]);
    }
    --size_;
    return task;
  }

  // Removes `task` if present, keeping the order of the others (a ready task cancelled, parked
  // or un-woken). Returns whether it was there. O(1) for the front or the back (a teardown, a
  // group cancelled newest first), O(log n) amortized anywhere else.
  bool Remove(TaskRecord* task);

  // Forgets every task (the Loop's teardown: none of them will run).
  void Clear() {
    head_ = 0;
    size_ = 0;
    holes_ = 0;
    LeaveRankedMode();
  }

 private:
  LAPLACE_HOT_INLINE void Place(size_t slot, TaskRecord* task) {
    slots_[slot] = task;
    task->ready_slot = static_cast<uint32_t>(slot);
  }

  // Ranked mode. Positions count slots from base_, the front's slot when the mode began, and
  // never wrap while it lasts: the queue occupies positions [front, front + size_ + holes_), its
  // first and last slots hold tasks, and a tombstone is a null slot marked dead in index_.
  size_t PositionOf(size_t slot) const { return (slot - base_) & mask_; }
  size_t SlotAt(size_t position) const { return (base_ + position) & mask_; }
  size_t BackSlot() const { return SlotAt(PositionOf(head_) + size_ + holes_ - 1); }
  // The slot of the task at `index`, in O(log n).
  size_t RankedSlot(size_t index) const;

  void PushBackSlow(TaskRecord* task);
  TaskRecord* ExchangeRanked(size_t index, TaskRecord* task);
  TaskRecord* PopAtRanked(size_t index);
  void PopFront();
  void PopBack();
  void EnterRankedMode();
  void LeaveRankedMode();
  void AfterRankedOperation();
  void Compact();
  void Grow();

  std::vector<TaskRecord*> slots_;  // size is a power of two
  size_t mask_ = 15;                // slots_.size() - 1
  size_t head_ = 0;                 // the front's slot
  size_t size_ = 0;                 // tasks queued (tombstones not counted)
  size_t push_limit_ = 16;          // slots_.size(), or 0 in ranked mode

  // Ranked mode only (holes_ is 0 outside it).
  bool ranked_ = false;
  size_t holes_ = 0;            // tombstones between the front and the back
  size_t base_ = 0;             // the slot at position 0
  size_t front_rank_ = 0;       // live positions before the front's
  size_t ranked_ops_ = 0;       // operations since the mode began
  size_t ranked_ops_paid_ = 0;  // operations that pay for building index_
  TombstoneIndex index_;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_READY_QUEUE_H_
