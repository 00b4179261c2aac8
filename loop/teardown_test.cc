// Proves that destroying a Loop with a million never-run tasks costs time linear in their
// number, measured side by side against spawning them.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace {
namespace {

using Clock = std::chrono::steady_clock;  // allowed: the test's stated bound

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

// A million in optimized builds (`bazel test -c opt`: about a second to spawn them and less to
// end them); a fifth of that unoptimized, where -O0's btree and frames cost twenty times more.
#ifdef NDEBUG
constexpr int kTasks = 1'000'000;
#else
constexpr int kTasks = 200'000;
#endif

TEST(Teardown, DestroyingALoopWithAMillionNeverRunTasksIsLinear) {
  auto loop = std::make_unique<Loop>(LoopOptions{.seed = 1});
  Clock::time_point start = Clock::now();
  for (int i = 0; i < kTasks; ++i) (void)loop->Spawn(Idle(*loop));
  const double spawn_seconds = SecondsSince(start);
  ASSERT_EQ(loop->live_tasks(), static_cast<size_t>(kTasks));
  start = Clock::now();
  loop.reset();
  ExpectLinear(SecondsSince(start), spawn_seconds, "destroying the Loop");
}

}  // namespace
}  // namespace laplace
