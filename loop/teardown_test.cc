// Proves that ending many tasks costs time linear in their number: destroying a Loop with a
// million never-run tasks, cancelling ready tasks scattered through a long ready queue, and
// crashing one group among many, each measured side by side against spawning the same tasks.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/prng.h"
#include "loop/task.h"

namespace laplace {
namespace {

using Clock = std::chrono::steady_clock;

Task<> Idle(Loop& loop) { co_await loop.Yield(); }

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The bound the tests here use: ending the tasks may cost at most `factor` times what spawning
// them did (plus a little for a noisy machine), whatever the build mode. The quadratic code this
// replaced took minutes for a million tasks against a fraction of a second to spawn them.
void ExpectLinear(double end_seconds, double spawn_seconds, const char* what, double factor = 3) {
  std::printf("%s: %.3f s to end, %.3f s to spawn\n", what, end_seconds, spawn_seconds);
  EXPECT_LT(end_seconds, factor * spawn_seconds + 0.25)
      << what << " took " << end_seconds << " s against " << spawn_seconds << " s to spawn";
}

TEST(Teardown, DestroyingALoopWithAMillionNeverRunTasksIsLinear) {
  constexpr int kTasks = 1'000'000;
  auto loop = std::make_unique<Loop>(LoopOptions{.seed = 1});
  Clock::time_point start = Clock::now();
  for (int i = 0; i < kTasks; ++i) (void)loop->Spawn(Idle(*loop));
  const double spawn_seconds = SecondsSince(start);
  ASSERT_EQ(loop->live_tasks(), static_cast<size_t>(kTasks));
  start = Clock::now();
  loop.reset();
  ExpectLinear(SecondsSince(start), spawn_seconds, "destroying the Loop");
}

TEST(Teardown, CancellingReadyTasksScatteredThroughTheQueueIsLinear) {
  constexpr int kTasks = 300'000;
  Loop loop({.seed = 2});
  std::vector<TaskHandle<>> handles;
  handles.reserve(kTasks);
  Clock::time_point start = Clock::now();
  for (int i = 0; i < kTasks; ++i) handles.push_back(loop.Spawn(Idle(loop)));
  const double spawn_seconds = SecondsSince(start);
  // Every other task, in a random order: each leaves a hole in the middle of the queue.
  Prng random(3);
  std::vector<int> order;
  for (int i = 0; i < kTasks; i += 2) order.push_back(i);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[random.Below(i)]);
  start = Clock::now();
  for (int i : order) ASSERT_TRUE(handles[i].Cancel());
  // Spawning walks the task tree and the queue in order; cancelling at random positions misses
  // the cache on both, hence a looser factor (the quadratic queue took about 150,000 shifts per
  // cancel here).
  ExpectLinear(SecondsSince(start), spawn_seconds, "cancelling half of them", 10);
  // The survivors still run in the order they were spawned (round robin on an all-zero tape
  // would show it; here, every one of them runs and finishes).
  EXPECT_EQ(loop.live_tasks(), static_cast<size_t>(kTasks / 2));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(loop.live_tasks(), 0u);
}

TEST(Teardown, CancellingOneGroupCostsItsOwnTasksNotEveryTask) {
  // Group 7 has 1,000 tasks among 500,000 of group 0: its cancellation touches only its own.
  Loop loop({.seed = 4});
  Clock::time_point start = Clock::now();
  for (int i = 0; i < 500'000; ++i) (void)loop.Spawn(Idle(loop));
  const double spawn_seconds = SecondsSince(start);
  for (int i = 0; i < 1'000; ++i) (void)loop.Spawn(Idle(loop), SpawnOptions{.group = 7});
  EXPECT_EQ(loop.live_tasks(7), 1'000u);
  start = Clock::now();
  for (int round = 0; round < 100; ++round) {
    loop.CancelGroup(7, absl::UnavailableError("crashed"));
    for (int i = 0; i < 1'000; ++i) (void)loop.Spawn(Idle(loop), SpawnOptions{.group = 7});
  }
  // 100 crashes of 1,000 tasks and as many spawns: 100,000 tasks ended and respawned, a fifth of
  // what was spawned above. (Scanning every task per crash, as before, was 500,000 visits each.)
  ExpectLinear(SecondsSince(start), spawn_seconds / 5, "100 crashes of a 1,000-task group", 10);
  EXPECT_EQ(loop.live_tasks(7), 1'000u);
  EXPECT_EQ(loop.live_tasks(0), 500'000u);
}

}  // namespace
}  // namespace laplace
