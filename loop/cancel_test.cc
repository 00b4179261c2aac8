// Proves cancellation: frames are destroyed at a safe point, awaiters wake
// with the cancel status, timers and waits are withdrawn, and nothing leaks.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/future.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::laplace::testing::Counted;
using ::laplace::testing::Counts;

Task<int> NapWithCounted(Loop& loop, Counts& counts, Duration nap, int& finished) {
  Counted local(counts);
  co_await loop.Sleep(nap);
  ++finished;
  co_return 1;
}

TEST(Cancel, ASleepingTaskIsDestroyedAndItsTimerWithdrawn) {
  Counts counts;
  Loop loop;
  int finished = 0;
  TaskHandle<int> sleeper = loop.Spawn(NapWithCounted(loop, counts, 1h, finished), "sleeper");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(counts.alive(), 1);
  EXPECT_TRUE(sleeper.Cancel());
  EXPECT_EQ(counts.alive(), 0) << "the frame is destroyed at once";
  EXPECT_TRUE(sleeper.done());
  EXPECT_TRUE(absl::IsCancelled(sleeper.result().status()));
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kIdle);
  EXPECT_EQ(loop.Now(), Time(1ms)) << "the withdrawn timer must not advance the clock";
  EXPECT_EQ(finished, 0);
  EXPECT_FALSE(sleeper.Cancel()) << "already ended";
}

TEST(Cancel, AwaitersOfACancelledTaskWakeWithTheReason) {
  Counts counts;
  Loop loop;
  int finished = 0;
  TaskHandle<int> victim = loop.Spawn(NapWithCounted(loop, counts, 1h, finished), "victim");
  auto joiner = [](TaskHandle<int> victim) -> Task<absl::Status> {
    absl::StatusOr<int> result = co_await victim;
    co_return result.status();
  };
  TaskHandle<absl::Status> join = loop.Spawn(joiner(victim), "joiner");
  auto canceller = [](Loop& loop, TaskHandle<int> victim) -> Task<> {
    co_await loop.Sleep(1ms);
    victim.Cancel(absl::UnavailableError("node crashed"));
  };
  TaskHandle<> cancel = loop.Spawn(canceller(loop, victim), "canceller");
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_TRUE(absl::IsUnavailable(join.result()));
  EXPECT_EQ(join.result().message(), "node crashed");
}

TEST(Cancel, ATaskCancellingItselfStopsAtItsNextSuspension) {
  Loop loop;
  std::vector<std::string> log;
  auto self = [](Loop& loop, std::vector<std::string>& log) -> Task<> {
    log.push_back("before");
    loop.Cancel(loop.current_task());
    log.push_back("still running until it suspends");
    co_await loop.Yield();
    log.push_back("never");
  };
  TaskHandle<> handle = loop.Spawn(self(loop, log));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"before", "still running until it suspends"}));
  EXPECT_TRUE(absl::IsCancelled(handle.result()));
}

TEST(Cancel, ACancelledLockHolderReleasesTheLockThroughItsGuard) {
  Loop loop;
  Lock lock(loop, "l");
  auto holder = [](Loop& loop, Lock& lock) -> Task<> {
    LockGuard guard = co_await lock.Acquire();
    co_await loop.Sleep(1h);
  };
  auto waiter = [](Loop& loop, Lock& lock) -> Task<Time> {
    LockGuard guard = co_await lock.Acquire();
    co_return loop.Now();
  };
  TaskHandle<> held = loop.Spawn(holder(loop, lock), "holder");
  TaskHandle<Time> wait = loop.Spawn(waiter(loop, lock), "waiter");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_TRUE(lock.locked());
  held.Cancel();
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(wait.result().value(), Time(1ms));
  EXPECT_FALSE(lock.locked());
}

Task<> Nested(Loop& loop, Counts& counts, int depth) {
  Counted local(counts);
  if (depth == 0) {
    co_await loop.Sleep(1h);
  } else {
    co_await Nested(loop, counts, depth - 1);
  }
}

TEST(Cancel, CancellingATaskDestroysEveryFrameOfItsAwaitChain) {
  Counts counts;
  Loop loop;
  TaskHandle<> handle = loop.Spawn(Nested(loop, counts, 50));
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(counts.alive(), 51);
  handle.Cancel();
  EXPECT_EQ(counts.alive(), 0);
}

TEST(Cancel, CancellingAGroupDestroysAllItsTasksAndNothingElse) {
  Counts counts;
  Loop loop;
  int finished = 0;
  for (int i = 0; i < 3; ++i) {
    loop.Spawn(NapWithCounted(loop, counts, 10ms, finished), SpawnOptions{.group = 1});
  }
  loop.Spawn(NapWithCounted(loop, counts, 10ms, finished), SpawnOptions{.group = 2});
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(counts.alive(), 4);
  loop.CancelGroup(1, absl::UnavailableError("crash"));
  EXPECT_EQ(counts.alive(), 1);
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(finished, 1);
  EXPECT_EQ(loop.live_tasks(), 0u);
}

TEST(Cancel, AReadyTaskCanBeCancelledBeforeItEverRuns) {
  Counts counts;
  Loop loop;
  int finished = 0;
  TaskHandle<int> handle = loop.Spawn(NapWithCounted(loop, counts, 1ms, finished));
  EXPECT_TRUE(handle.Cancel());
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kIdle);
  EXPECT_EQ(loop.steps(), 0u);
}

TEST(Cancel, DestroyingTheLoopDestroysEveryFrameEvenMidCancellation) {
  Counts counts;
  {
    Loop loop;
    Lock lock(loop);
    auto holder = [](Loop& loop, Lock& lock, Counts& counts) -> Task<> {
      Counted local(counts);
      LockGuard guard = co_await lock.Acquire();
      co_await loop.Sleep(1h);
    };
    for (int i = 0; i < 5; ++i) loop.Spawn(holder(loop, lock, counts));
    ASSERT_TRUE(loop.RunFor(1ms).ok());
    EXPECT_EQ(counts.alive(), 5);
  }
  EXPECT_EQ(counts.alive(), 0);
}

TEST(Cancel, CancelTracesWhoCancelledWhom) {
  Counts counts;
  Loop loop({.trace = {.keep_all = true}});
  int finished = 0;
  TaskHandle<int> victim = loop.Spawn(NapWithCounted(loop, counts, 1h, finished), "victim");
  auto canceller = [](Loop& loop, TaskHandle<int> victim) -> Task<> {
    co_await loop.Sleep(1ms);
    victim.Cancel();
  };
  loop.Spawn(canceller(loop, victim), "killer");
  loop.Run();
  std::string trace = loop.FormatTrace(loop.trace().events());
  EXPECT_THAT(trace, ::testing::HasSubstr("t=1ms victim cancelled by task #2 'killer'"));
}

}  // namespace
}  // namespace laplace
