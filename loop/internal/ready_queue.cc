// ReadyQueue's rare paths: removal, the ranked mode it may switch to, compaction and growth.
// The hot ones are inline in ready_queue.h.
#include "loop/internal/ready_queue.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/check.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {

bool ReadyQueue::Remove(TaskRecord* task) {
  // The task's slot is stale once it has left (the Loop asks about tasks that were never queued,
  // or were cleared): the slot may still hold its pointer outside the occupied range, so check
  // both. Within the range the slot's pointer is the truth, and a tombstone is null.
  const size_t slot = task->ready_slot;
  if (slot >= slots_.size() || slots_[slot] != task) return false;
  const size_t offset = (slot - head_) & mask_;  // positions never wrap in ranked mode
  const size_t span = size_ + holes_;
  if (offset >= span) return false;
  if (offset == 0) {
    PopFront();
  } else if (offset + 1 == span) {
    PopBack();
  } else {
    if (!ranked_) EnterRankedMode();
    slots_[slot] = nullptr;
    index_.Kill(PositionOf(slot));
    --size_;
    ++holes_;
    // More tombstones than tasks: compact, paid for by the removals that made them.
    if (holes_ > size_) {
      Compact();
      return true;
    }
  }
  if (ranked_) AfterRankedOperation();
  return true;
}

size_t ReadyQueue::RankedSlot(size_t index) const {
  if (index == 0) return head_;
  if (index + 1 == size_) return BackSlot();
  // index_ ranks every live position from base_, including the front_rank_ before the front.
  return SlotAt(index_.NthLive(front_rank_ + index));
}

void ReadyQueue::PushBackSlow(TaskRecord* task) {
  if (ranked_) {
    const size_t position = PositionOf(head_) + size_ + holes_;
    if (position < slots_.size()) {
      // A tombstone trimmed off the back earlier is still marked dead.
      if (index_.IsDead(position)) index_.Revive(position);
      Place(SlotAt(position), task);
      ++size_;
      AfterRankedOperation();
      return;
    }
    Compact();  // the positions would wrap: back to the plain ring, which may wrap
  }
  if (size_ == slots_.size()) Grow();
  Place((head_ + size_) & mask_, task);
  ++size_;
}

TaskRecord* ReadyQueue::ExchangeRanked(size_t index, TaskRecord* task) {
  const size_t slot = RankedSlot(index);
  TaskRecord* old = slots_[slot];
  Place(slot, task);
  AfterRankedOperation();
  return old;
}

TaskRecord* ReadyQueue::PopAtRanked(size_t index) {
  const size_t slot = RankedSlot(index);
  TaskRecord* task = slots_[slot];
  if (index == 0) {
    PopFront();
  } else {
    const size_t back = BackSlot();
    if (slot != back) Place(slot, slots_[back]);
    PopBack();
  }
  AfterRankedOperation();
  return task;
}

void ReadyQueue::PopFront() {
  LAPLACE_CHECK(size_ > 0) << "pop from an empty ready queue";
  head_ = (head_ + 1) & mask_;
  --size_;
  if (!ranked_) return;
  ++front_rank_;
  // The front holds a task again; the tombstones passed stay marked dead before it.
  while (holes_ > 0 && slots_[head_] == nullptr) {
    head_ = (head_ + 1) & mask_;
    --holes_;
  }
}

void ReadyQueue::PopBack() {
  LAPLACE_CHECK(size_ > 0) << "pop from an empty ready queue";
  --size_;
  // The back holds a task again; the tombstones trimmed stay marked dead until a push revives them.
  while (holes_ > 0 && slots_[BackSlot()] == nullptr) --holes_;
}

void ReadyQueue::EnterRankedMode() {
  LAPLACE_CHECK(!ranked_) << "the ready queue is in ranked mode already";
  LAPLACE_CHECK(holes_ == 0) << holes_ << " tombstones outside ranked mode";
  ranked_ = true;
  push_limit_ = 0;
  base_ = head_;
  front_rank_ = 0;
  ranked_ops_ = 0;
  index_.Reset(slots_.size());
  // Building the index cost O(slots / 64); stay ranked at least that many operations, so that a
  // tombstone made and passed at once, again and again, does not pay for a build each time.
  ranked_ops_paid_ = index_.blocks();
}

void ReadyQueue::LeaveRankedMode() {
  LAPLACE_CHECK(holes_ == 0) << holes_ << " tombstones left in the ready queue";
  ranked_ = false;
  push_limit_ = slots_.size();
}

void ReadyQueue::AfterRankedOperation() {
  ++ranked_ops_;
  if (ranked_ops_ < ranked_ops_paid_) return;
  if (holes_ == 0) {
    LeaveRankedMode();
  } else if (ranked_ops_ >= size_ + holes_) {
    // Tombstones that linger would keep every step at O(log n); the operations since the mode
    // began pay for the O(n) compaction that ends it.
    Compact();
  }
}

void ReadyQueue::Compact() {
  LAPLACE_CHECK(ranked_) << "compacting a ready queue without tombstones";
  const size_t front = PositionOf(head_);
  const size_t span = size_ + holes_;
  size_t kept = 0;
  for (size_t i = 0; i < span; ++i) {
    TaskRecord* task = slots_[SlotAt(front + i)];
    if (task == nullptr) continue;
    if (kept != i) Place(SlotAt(front + kept), task);  // the tasks before the first hole stay
    ++kept;
  }
  LAPLACE_CHECK(kept == size_) << kept << " tasks kept of " << size_;
  holes_ = 0;
  LeaveRankedMode();
}

void ReadyQueue::Grow() {
  LAPLACE_CHECK(!ranked_) << "growing a ready queue in ranked mode";
  // TaskRecord::ready_slot is 32 bits.
  LAPLACE_CHECK(slots_.size() <= (size_t{1} << 31)) << "ready queue of " << size_ << " tasks";
  std::vector<TaskRecord*> bigger(slots_.size() * 2);
  for (size_t i = 0; i < size_; ++i) {
    bigger[i] = slots_[(head_ + i) & mask_];
    bigger[i]->ready_slot = static_cast<uint32_t>(i);
  }
  slots_ = std::move(bigger);
  mask_ = slots_.size() - 1;
  head_ = 0;
  push_limit_ = slots_.size();
}

}  // namespace laplace::internal
