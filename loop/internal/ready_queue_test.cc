// Proves ReadyQueue::Remove keeps the order of the other tasks wherever the removed one is (the
// front, the back, the middle, across the ring's wrap), against a vector on random operations.
#include "loop/internal/ready_queue.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {
namespace {

std::vector<TaskRecord*> Contents(const ReadyQueue& queue) {
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

TEST(ReadyQueue, MatchesAVectorOnRandomOperations) {
  std::vector<TaskRecord> records(300);
  ReadyQueue queue;
  std::vector<TaskRecord*> reference;
  uint64_t state = 99;
  auto below = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  size_t next = 0;
  for (int step = 0; step < 20000; ++step) {
    const uint64_t what = below(4);
    if (what == 0 || reference.empty()) {
      TaskRecord* task = &records[next++ % records.size()];
      if (std::find(reference.begin(), reference.end(), task) != reference.end()) continue;
      queue.PushBack(task);
      reference.push_back(task);
    } else if (what == 1) {
      const size_t index = below(reference.size());
      ASSERT_EQ(queue.PopAt(index), reference[index]);
      if (index == 0) {
        reference.erase(reference.begin());
      } else {
        reference[index] = reference.back();
        reference.pop_back();
      }
    } else {
      TaskRecord* task = &records[below(records.size())];
      auto it = std::find(reference.begin(), reference.end(), task);
      ASSERT_EQ(queue.Remove(task), it != reference.end());
      if (it != reference.end()) reference.erase(it);
    }
    ASSERT_EQ(Contents(queue), reference) << "step " << step;
  }
}

}  // namespace
}  // namespace laplace::internal
