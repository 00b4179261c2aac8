// Proves Task<T>'s contract: lazy start, values, errors and exceptions flowing
// to the awaiter, move-only results, frame lifetimes, and O(1) stack depth.
#include "loop/task.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::laplace::testing::Counted;
using ::laplace::testing::Counts;

Task<int> Constant(int value) { co_return value; }

Task<int> Doubled(Loop& loop, int value) {
  co_await loop.Yield();
  co_return 2 * co_await Constant(value);
}

TEST(Task, DoesNotStartUntilSpawned) {
  Loop loop;
  bool started = false;
  auto body = [](bool& started) -> Task<> {
    started = true;
    co_return;
  };
  Task<> task = body(started);
  EXPECT_FALSE(started);
  TaskHandle<> handle = loop.Spawn(std::move(task));
  EXPECT_FALSE(started) << "Spawn must not run the task inline";
  loop.Run();
  EXPECT_TRUE(started);
}

TEST(Task, ReturnsValuesThroughNestedAwaits) {
  Loop loop;
  TaskHandle<int> handle = loop.Spawn(Doubled(loop, 21));
  ASSERT_TRUE(loop.RunUntilComplete(handle).ok());
  EXPECT_EQ(handle.result().value(), 42);
}

TEST(Task, AwaitingATaskIsNotASchedulingPoint) {
  Loop loop;
  auto outer = []() -> Task<int> {
    int sum = 0;
    for (int i = 0; i < 100; ++i) sum += co_await Constant(i);
    co_return sum;
  };
  TaskHandle<int> handle = loop.Spawn(outer());
  loop.Run();
  EXPECT_EQ(handle.result().value(), 4950);
  EXPECT_EQ(loop.steps(), 1u) << "inline awaits must not suspend the task";
}

Task<int> Thrower() {
  throw std::runtime_error("boom");
  co_return 0;
}

TEST(Task, ExceptionsPropagateToTheAwaitingTask) {
  Loop loop;
  auto catcher = [](Loop& loop) -> Task<std::string> {
    co_await loop.Yield();
    try {
      co_await Thrower();
    } catch (const std::runtime_error& error) {
      co_return std::string("caught ") + error.what();
    }
    co_return "not caught";
  };
  TaskHandle<std::string> handle = loop.Spawn(catcher(loop));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(handle.result().value(), "caught boom");
}

TEST(Task, ExceptionsPropagateThroughAJoin) {
  Loop loop;
  auto joiner = [](Loop& loop) -> Task<std::string> {
    TaskHandle<int> child = loop.Spawn(Thrower(), "thrower");
    try {
      (void)co_await child;
    } catch (const std::runtime_error& error) {
      co_return std::string("joined ") + error.what();
    }
    co_return "not caught";
  };
  TaskHandle<std::string> handle = loop.Spawn(joiner(loop));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(handle.result().value(), "joined boom");
}

Task<absl::StatusOr<int>> Parse(std::string text) {
  if (text.empty()) co_return absl::InvalidArgumentError("empty");
  co_return static_cast<int>(text.size());
}

TEST(Task, StatusResultsFlattenInTheHandle) {
  Loop loop;
  TaskHandle<absl::StatusOr<int>> good = loop.Spawn(Parse("abc"));
  TaskHandle<absl::StatusOr<int>> bad = loop.Spawn(Parse(""));
  loop.Run();
  // Result<absl::StatusOr<int>> is absl::StatusOr<int>, not a nested StatusOr.
  const absl::StatusOr<int>& good_result = good.result();
  EXPECT_EQ(good_result.value(), 3);
  EXPECT_TRUE(absl::IsInvalidArgument(bad.result().status()));
}

TEST(Task, StatusErrorsPropagateByValueThroughInlineAwaits) {
  Loop loop;
  auto caller = []() -> Task<absl::Status> {
    absl::StatusOr<int> parsed = co_await Parse("");
    if (!parsed.ok()) co_return parsed.status();
    co_return absl::OkStatus();
  };
  TaskHandle<absl::Status> handle = loop.Spawn(caller());
  loop.Run();
  EXPECT_TRUE(absl::IsInvalidArgument(handle.result()));
}

Task<std::unique_ptr<int>> MakeBox(int value) { co_return std::make_unique<int>(value); }

TEST(Task, MoveOnlyResultsComeOutOfTasksAndHandles) {
  Loop loop;
  auto unbox = [](Loop& loop) -> Task<int> {
    std::unique_ptr<int> inline_box = co_await MakeBox(5);
    TaskHandle<std::unique_ptr<int>> spawned = loop.Spawn(MakeBox(6));
    absl::StatusOr<std::unique_ptr<int>> joined = co_await std::move(spawned);
    co_return *inline_box + **joined;
  };
  TaskHandle<int> handle = loop.Spawn(unbox(loop));
  loop.Run();
  EXPECT_EQ(handle.result().value(), 11);
}

Task<int> HoldCounted(Loop& loop, Counts& counts, [[maybe_unused]] Counted held, Duration nap) {
  Counted local(counts);
  co_await loop.Sleep(nap);
  co_return 0;
}

TEST(Task, FramesAreDestroyedExactlyOnceWhenTasksFinish) {
  Counts counts;
  {
    Loop loop;
    TaskHandle<int> handle = loop.Spawn(HoldCounted(loop, counts, Counted(counts), 1ms));
    loop.Run();
    EXPECT_EQ(counts.alive(), 0);
  }
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(counts.copied, 0) << "parameters should be moved into the frame";
}

TEST(Task, ATaskNeverStartedIsDestroyedWithoutRunning) {
  Counts counts;
  {
    Loop loop;
    Task<int> task = HoldCounted(loop, counts, Counted(counts), 1ms);
    EXPECT_EQ(counts.alive(), 1) << "the parameter lives in the unstarted frame";
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(Task, DestroyingTheLoopDestroysSuspendedFrames) {
  Counts counts;
  {
    Loop loop;
    for (int i = 0; i < 10; ++i) {
      TaskHandle<int> ignored = loop.Spawn(HoldCounted(loop, counts, Counted(counts), 1h));
    }
    ASSERT_TRUE(loop.RunFor(1ms).ok());
    EXPECT_EQ(counts.alive(), 20) << "each task holds a parameter and a local";
  }
  EXPECT_EQ(counts.alive(), 0);
}

Task<> Nothing() { co_return; }

// DESIGN.md: with textbook symmetric transfer, this overflows the stack under
// g++ -O0/-O1/-Og and under g++ ASan. The trampoline must keep it flat.
TEST(Task, AwaitingMillionsOfTasksThatCompleteAtOnceKeepsTheStackFlat) {
  Loop loop;
  auto chain = [](int count) -> Task<int> {
    int done = 0;
    for (int i = 0; i < count; ++i) {
      co_await Nothing();
      ++done;
    }
    co_return done;
  };
  constexpr int kAwaits = 5'000'000;
  TaskHandle<int> handle = loop.Spawn(chain(kAwaits));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(handle.result().value(), kAwaits);
}

Task<int> Recurse(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await Recurse(depth - 1);
}

TEST(Task, DeepRecursiveAwaitChainsKeepTheStackFlat) {
  Loop loop;
  constexpr int kDepth = 200'000;
  TaskHandle<int> handle = loop.Spawn(Recurse(kDepth));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(handle.result().value(), kDepth);
}

Task<int> RecurseThenSleep(Loop& loop, int depth) {
  if (depth == 0) {
    co_await loop.Sleep(1h);
    co_return 0;
  }
  co_return 1 + co_await RecurseThenSleep(loop, depth - 1);
}

TEST(Task, CancellingADeepAwaitChainKeepsTheStackFlat) {
  Loop loop;
  constexpr int kDepth = 200'000;
  TaskHandle<int> handle = loop.Spawn(RecurseThenSleep(loop, kDepth));
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_TRUE(handle.Cancel());
  EXPECT_TRUE(absl::IsCancelled(handle.result().status()));
}

TEST(Task, DestroyingTheLoopUnderADeepAwaitChainKeepsTheStackFlat) {
  Loop loop;
  TaskHandle<int> handle = loop.Spawn(RecurseThenSleep(loop, 200'000));
  ASSERT_TRUE(loop.RunFor(1ms).ok());
}  // ~Loop destroys the chain

TEST(TaskDeathTest, SuspendingOnAForeignAwaitableIsACheckFailure) {
  auto body = []() -> Task<> { co_await std::suspend_always{}; };
  EXPECT_DEATH(
      {
        Loop loop;
        TaskHandle<> handle = loop.Spawn(body(), "stray");
        loop.Run();
      },
      "task #1 'stray' suspended on something that is not a Laplace awaitable");
}

}  // namespace
}  // namespace laplace
