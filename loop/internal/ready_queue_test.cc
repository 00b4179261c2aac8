// Proves ReadyQueue keeps exactly the order of the queue it replaced, whose Remove shifted the
// others (copied below as ReferenceQueue): the same task at every index after every operation,
// over thousands of random sequences of pushes, pops, exchanges, removals and clears.
#include "loop/internal/ready_queue.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/check.h"
#include "gtest/gtest.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {
namespace {

// ReadyQueue as it was before removals became O(log n) (git show 77a77d4:loop/internal/
// ready_queue.h), verbatim but for its name: the order every digest and golden trace depends on.
class ReferenceQueue {
 public:
  ReferenceQueue() : slots_(16) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  TaskRecord* operator[](size_t index) const {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    return slots_[(head_ + index) & mask_];
  }

  void PushBack(TaskRecord* task) {
    if (size_ == slots_.size()) Grow();
    slots_[(head_ + size_) & mask_] = task;
    ++size_;
  }

  // Puts `task` in slot `index` and returns the task that was there: how a
  // preempted yielder trades places with the task picked to run instead.
  TaskRecord* Exchange(size_t index, TaskRecord* task) {
    LAPLACE_CHECK(index < size_) << "ready index " << index << " of " << size_;
    return std::exchange(slots_[(head_ + index) & mask_], task);
  }

  // Removes and returns task `index`: the front in O(1), any other by moving
  // the back task into its slot.
  TaskRecord* PopAt(size_t index) {
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

std::vector<TaskRecord*> Contents(const ReadyQueue& queue) {
  std::vector<TaskRecord*> tasks;
  for (size_t i = 0; i < queue.size(); ++i) tasks.push_back(queue[i]);
  return tasks;
}

std::vector<TaskRecord*> Contents(const ReferenceQueue& queue) {
  std::vector<TaskRecord*> tasks;
  for (size_t i = 0; i < queue.size(); ++i) tasks.push_back(queue[i]);
  return tasks;
}

TEST(ReadyQueue, RemoveKeepsTheOthersInOrderWhereverTheTaskIs) {
  std::vector<TaskRecord> records(5);
  ReadyQueue queue;
  for (TaskRecord& record : records) queue.PushBack(&record);
  EXPECT_TRUE(queue.Remove(&records[1]));  // near the front
  EXPECT_TRUE(queue.Remove(&records[3]));  // near the back
  EXPECT_FALSE(queue.Remove(&records[3]));
  EXPECT_EQ(Contents(queue), (std::vector<TaskRecord*>{&records[0], &records[2], &records[4]}));
}

TEST(ReadyQueue, RemoveFindsNothingForATaskThatLeftOrWasCleared) {
  std::vector<TaskRecord> records(4);
  ReadyQueue queue;
  for (TaskRecord& record : records) queue.PushBack(&record);
  EXPECT_EQ(queue.PopAt(0), &records[0]);  // its slot still holds its pointer, before the front
  EXPECT_EQ(queue.PopAt(1), &records[2]);  // records[3] moved; its old slot, past the back, too
  EXPECT_FALSE(queue.Remove(&records[0]));
  EXPECT_FALSE(queue.Remove(&records[2]));
  queue.Clear();
  EXPECT_FALSE(queue.Remove(&records[1]));
  EXPECT_TRUE(queue.empty());
}

// A random sequence's mix of operations, in relative weights.
struct Mix {
  uint64_t push, pop, exchange, remove, clear;
};

class RandomOperations {
 public:
  explicit RandomOperations(uint64_t seed) : state_(seed * 2 + 1) {}
  uint64_t Below(uint64_t bound) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state_ >> 33) % bound;
  }
  // An index that is often an end (where the fast paths are) and otherwise anywhere.
  size_t Index(size_t size) {
    switch (Below(4)) {
      case 0:
        return 0;
      case 1:
        return size - 1;
      default:
        return Below(size);
    }
  }

 private:
  uint64_t state_;
};

// Runs `steps` random operations on both queues over `pool` records, comparing every index (and
// every return value) after each. Returns the number of removals that found their task.
size_t RunSequence(uint64_t seed, size_t pool, int steps, Mix mix) {
  RandomOperations random(seed);
  std::vector<TaskRecord> records(pool);
  std::vector<bool> queued(pool, false);
  ReadyQueue queue;
  ReferenceQueue reference;
  size_t removed = 0;
  const uint64_t total = mix.push + mix.pop + mix.exchange + mix.remove + mix.clear;
  auto index_of = [&records](TaskRecord* task) { return static_cast<size_t>(task - &records[0]); };
  for (int step = 0; step < steps; ++step) {
    uint64_t what = random.Below(total);
    if (what < mix.push || reference.empty()) {
      // A task not queued: the next free one after a random start, as a woken task would be.
      const size_t start = random.Below(pool);
      for (size_t k = 0; k < pool; ++k) {
        const size_t i = (start + k) % pool;
        if (queued[i]) continue;
        queue.PushBack(&records[i]);
        reference.PushBack(&records[i]);
        queued[i] = true;
        break;
      }
    } else if ((what -= mix.push) < mix.pop) {
      const size_t index = random.Index(reference.size());
      TaskRecord* expected = reference.PopAt(index);
      EXPECT_EQ(queue.PopAt(index), expected) << "seed " << seed << " step " << step;
      queued[index_of(expected)] = false;
    } else if ((what -= mix.pop) < mix.exchange) {
      // The yielder: a task not queued takes the place of the one picked.
      const size_t start = random.Below(pool);
      for (size_t k = 0; k < pool; ++k) {
        const size_t i = (start + k) % pool;
        if (queued[i]) continue;
        const size_t index = random.Index(reference.size());
        TaskRecord* expected = reference.Exchange(index, &records[i]);
        EXPECT_EQ(queue.Exchange(index, &records[i]), expected) << "seed " << seed;
        queued[i] = true;
        queued[index_of(expected)] = false;
        break;
      }
    } else if ((what -= mix.exchange) < mix.remove) {
      // Mostly queued tasks, sometimes one that is not (whose slot is stale).
      TaskRecord* task = &records[random.Below(pool)];
      if (random.Below(4) != 0 && !reference.empty()) {
        task = reference[random.Below(reference.size())];
      }
      const bool expected = reference.Remove(task);
      EXPECT_EQ(queue.Remove(task), expected) << "seed " << seed << " step " << step;
      if (expected) ++removed;
      queued[index_of(task)] = false;
    } else {
      queue.Clear();
      reference.Clear();
      std::fill(queued.begin(), queued.end(), false);
    }
    if (Contents(queue) != Contents(reference)) {
      ADD_FAILURE() << "seed " << seed << " step " << step << ": the orders differ";
      return removed;
    }
  }
  return removed;
}

TEST(ReadyQueue, MatchesTheShiftingQueueOnThousandsOfRandomSequences) {
  const Mix mixes[] = {
      {.push = 4, .pop = 2, .exchange = 2, .remove = 2, .clear = 0},  // steady state
      {.push = 6, .pop = 1, .exchange = 1, .remove = 4, .clear = 0},  // heavy removal, growing
      {.push = 3, .pop = 3, .exchange = 1, .remove = 3, .clear = 0},  // churn: ends pass tombstones
      {.push = 1, .pop = 3, .exchange = 3, .remove = 1, .clear = 0},  // draining
      {.push = 5, .pop = 3, .exchange = 3, .remove = 1, .clear = 1},  // with clears
  };
  const size_t pools[] = {3, 17, 70, 300};
  size_t removed = 0;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    const Mix& mix = mixes[seed % std::size(mixes)];
    const size_t pool = pools[(seed / std::size(mixes)) % std::size(pools)];
    removed += RunSequence(seed, pool, 300, mix);
    if (HasFailure()) return;
  }
  EXPECT_GT(removed, 50'000u);  // the sequences did remove, not only push and pop
}

TEST(ReadyQueue, MatchesTheShiftingQueueOnLongSequencesOfManyTasks) {
  // Thousands of tasks: many index blocks, several growths, the ring wrapping, and long enough
  // in ranked mode for the compaction that the operations pay for.
  for (uint64_t seed = 0; seed < 4; ++seed) {
    RunSequence(
        1000 + seed, 1500, 6000,
        {.push = 5, .pop = 3, .exchange = 3, .remove = seed % 2 == 0 ? 1u : 3u, .clear = 0});
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace laplace::internal
