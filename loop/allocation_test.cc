// Proves that a Loop reused across runs (Loop::Reset) spawns, runs and finishes tasks without
// allocating once warm: task records are spare ones, join states and coroutine frames come from
// the per-thread block pool, and the queues and the trace keep their memory. Counts every
// operator new in this binary.
#include <atomic>
#include <cstdlib>
#include <new>

#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
  throw std::bad_alloc();
}
void operator delete(void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }

namespace laplace {
namespace {

Task<> Worker(Loop& loop, Lock& lock, int& total) {
  LockGuard guard = co_await lock.Acquire();
  const int read = total;
  co_await loop.Yield();
  total = read + 1;
}

Task<> Parent(Loop& loop, Lock& lock, int& total) {
  TaskHandle<> child = loop.Spawn(Worker(loop, lock, total));
  co_await Worker(loop, lock, total);  // awaited inline: a frame, no task
  (void)co_await child;
}

// One run: four tasks (one spawned by a task), a lock, yields, joins. No labels: a label is kept
// for the whole run in a map of its own.
void OneRun(Loop& loop, SeededSource& source) {
  loop.Reset({.source = &source});
  Lock lock(loop);
  int total = 0;
  loop.Spawn(Parent(loop, lock, total));
  loop.Spawn(Worker(loop, lock, total));
  loop.Spawn(Worker(loop, lock, total));
  ASSERT_TRUE(loop.Run().ok());
  ASSERT_EQ(total, 4);
}

TEST(Allocation, AWarmResetLoopSpawnsRunsAndFinishesTasksWithoutAllocating) {
  SeededSource source(1);  // outlives the runs; a Loop's own source is made anew by Reset
  Loop loop({.source = &source});
  for (int run = 0; run < 100; ++run) OneRun(loop, source);  // warm up
  const long before = allocations.load();
  for (int run = 0; run < 1000; ++run) OneRun(loop, source);
  EXPECT_EQ(allocations.load() - before, 0) << "allocations in 1,000 warm runs";
}

TEST(Allocation, TheCounterSeesAFreshLoopAllocate) {
  const long before = allocations.load();
  { Loop loop({.seed = 1}); }
  EXPECT_GT(allocations.load() - before, 0) << "the count would miss allocations";
}

}  // namespace
}  // namespace laplace
