// Proves the ready queue keeps exactly the order of the plain vector it replaced (pops from the
// front, the back task filling a picked slot, order-keeping removal) through long random mixes
// of every operation, holes and compactions included, and that RankBitmap ranks and selects.
#include "loop/internal/ready_queue.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "loop/internal/rank_bitmap.h"
#include "loop/prng.h"

namespace laplace::internal {
namespace {

// The queue's specification: a vector, with the operations as the Loop has always meant them.
class ReferenceQueue {
 public:
  void PushBack(TaskRecord* task) { tasks_.push_back(task); }
  TaskRecord* PopAt(size_t index) {
    TaskRecord* task = tasks_[index];
    if (index == 0) {
      tasks_.erase(tasks_.begin());
    } else {
      tasks_[index] = tasks_.back();
      tasks_.pop_back();
    }
    return task;
  }
  TaskRecord* Exchange(size_t index, TaskRecord* task) {
    return std::exchange(tasks_[index], task);
  }
  bool Remove(TaskRecord* task) {
    auto it = std::find(tasks_.begin(), tasks_.end(), task);
    if (it == tasks_.end()) return false;
    tasks_.erase(it);
    return true;
  }
  const std::vector<TaskRecord*>& tasks() const { return tasks_; }

 private:
  std::vector<TaskRecord*> tasks_;
};

void ExpectSame(const ReadyQueue& queue, const ReferenceQueue& reference) {
  ASSERT_EQ(queue.size(), reference.tasks().size());
  for (size_t i = 0; i < queue.size(); ++i) ASSERT_EQ(queue[i], reference.tasks()[i]) << i;
}

// Random mixes weighted by `remove_weight` (out of 16) toward cancellations.
void RunMix(uint64_t seed, int operations, uint64_t remove_weight) {
  std::vector<std::unique_ptr<TaskRecord>> records;
  std::vector<TaskRecord*> outside;  // not queued
  for (int i = 0; i < 600; ++i) {
    records.push_back(std::make_unique<TaskRecord>());
    outside.push_back(records.back().get());
  }
  ReadyQueue queue;
  ReferenceQueue reference;
  Prng random(seed);
  for (int step = 0; step < operations; ++step) {
    const uint64_t roll = random.Below(16);
    const size_t size = reference.tasks().size();
    if (roll < 5 && !outside.empty()) {
      size_t pick = random.Below(outside.size());
      TaskRecord* task = outside[pick];
      outside[pick] = outside.back();
      outside.pop_back();
      queue.PushBack(task);
      reference.PushBack(task);
    } else if (roll < 5 + remove_weight && size > 0) {
      TaskRecord* task = reference.tasks()[random.Below(size)];
      ASSERT_TRUE(queue.Remove(task));
      ASSERT_TRUE(reference.Remove(task));
      outside.push_back(task);
    } else if (roll < 14 && size > 0) {
      size_t index = random.Below(4) == 0 ? 0 : random.Below(size);
      TaskRecord* task = queue.PopAt(index);
      ASSERT_EQ(task, reference.PopAt(index));
      outside.push_back(task);
    } else if (size > 0 && !outside.empty()) {
      size_t index = random.Below(size);
      TaskRecord* yielder = outside.back();
      outside.pop_back();
      TaskRecord* picked = queue.Exchange(index, yielder);
      ASSERT_EQ(picked, reference.Exchange(index, yielder));
      outside.push_back(picked);
    }
    if (step % 97 == 0) ExpectSame(queue, reference);
  }
  ExpectSame(queue, reference);
  for (TaskRecord* task : outside) EXPECT_FALSE(queue.Remove(task)) << "not queued";
}

TEST(ReadyQueue, KeepsTheVectorsOrderThroughRandomPushesPicksAndExchanges) {
  for (uint64_t seed = 0; seed < 5; ++seed) RunMix(seed, 20'000, 0);
}

TEST(ReadyQueue, KeepsTheVectorsOrderWhenCancellationsLeaveHoles) {
  for (uint64_t seed = 0; seed < 5; ++seed) RunMix(seed, 20'000, 4);
}

TEST(ReadyQueue, KeepsTheVectorsOrderWhenMostOperationsAreCancellations) {
  for (uint64_t seed = 10; seed < 15; ++seed) RunMix(seed, 20'000, 8);
}

TEST(ReadyQueue, ClearForgetsEveryTaskAndTheQueueWorksAfterwards) {
  TaskRecord a, b, c;
  ReadyQueue queue;
  queue.PushBack(&a);
  queue.PushBack(&b);
  queue.PushBack(&c);
  EXPECT_TRUE(queue.Remove(&b));  // a hole: the queue is indexed now
  queue.Clear();
  EXPECT_TRUE(queue.empty());
  EXPECT_FALSE(queue.Remove(&a));
  queue.PushBack(&c);
  queue.PushBack(&a);
  EXPECT_EQ(queue[0], &c);
  EXPECT_EQ(queue.PopAt(1), &a);
  EXPECT_EQ(queue.PopAt(0), &c);
}

TEST(RankBitmap, RanksAndSelectsAgainstACountOfTheBits) {
  Prng random(7);
  for (size_t size : {1u, 63u, 64u, 65u, 1000u, 4097u}) {
    RankBitmap bits;
    bits.Build(size, true);
    std::vector<bool> model(size, true);
    for (size_t i = 0; i < size; ++i) {
      if (random.Below(3) == 0) {
        bits.Clear(i);
        model[i] = false;
      }
    }
    size_t rank = 0;
    for (size_t i = 0; i <= size; ++i) {
      ASSERT_EQ(bits.Rank(i), rank) << size << " " << i;
      if (i < size && model[i]) {
        ASSERT_EQ(bits.Select(rank), i);
        ++rank;
      }
    }
    EXPECT_EQ(bits.count(), rank);
  }
}

}  // namespace
}  // namespace laplace::internal
