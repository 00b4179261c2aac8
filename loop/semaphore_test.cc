// Proves Semaphore bounds concurrency, serves FIFO and never leaks a permit, even when cancelled.
#include "loop/semaphore.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/acquirers.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::laplace::testing::ArriveAndHold;
using ::laplace::testing::Counts;
using ::laplace::testing::SpawnBlockedAcquirers;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Occupancy {
  int now = 0;
  int max = 0;
};

Task<> UseForAWhile(Loop& loop, Semaphore& semaphore, Duration hold, Occupancy& occupancy) {
  SemaphorePermit permit = co_await semaphore.Acquire();
  occupancy.max = std::max(occupancy.max, ++occupancy.now);
  co_await loop.Sleep(hold);
  --occupancy.now;
}

TEST(Semaphore, PermitsLimitHowManyTasksHoldAtOnce) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Loop loop({.seed = seed});
    Semaphore semaphore(loop, 3, "pool");
    Occupancy occupancy;
    for (int i = 0; i < 10; ++i) {
      loop.Spawn(UseForAWhile(loop, semaphore, Duration(1ms) * (1 + i % 4), occupancy));
    }
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    // Never more than three at once, and the three permits were all used.
    EXPECT_EQ(occupancy.max, 3) << "seed " << seed;
    EXPECT_EQ(occupancy.now, 0);
    EXPECT_EQ(semaphore.available(), 3);
  }
}

TEST(Semaphore, WaitersAreServedInArrivalOrder) {
  std::set<std::vector<std::string>> orders_seen;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Loop loop({.seed = seed});
    Semaphore semaphore(loop, 2);
    std::vector<std::string> arrivals;
    std::vector<std::string> acquisitions;
    // Two holders take both permits at t=0; the rest arrive at t=1ms in a scheduled order.
    loop.Spawn(ArriveAndHold(loop, semaphore, 0ms, 2ms, "x", arrivals, acquisitions));
    loop.Spawn(ArriveAndHold(loop, semaphore, 0ms, 3ms, "y", arrivals, acquisitions));
    for (std::string name : {"a", "b", "c", "d", "e"}) {
      loop.Spawn(ArriveAndHold(loop, semaphore, 1ms, 0ms, name, arrivals, acquisitions));
    }
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    ASSERT_EQ(acquisitions.size(), 7u);
    // x and y arrive together at t=0, so only the waiters' order is fixed by arrival.
    std::vector<std::string> waiter_arrivals(arrivals.begin() + 2, arrivals.end());
    std::vector<std::string> waiter_acquisitions(acquisitions.begin() + 2, acquisitions.end());
    EXPECT_EQ(waiter_acquisitions, waiter_arrivals) << "seed " << seed;
    orders_seen.insert(waiter_arrivals);
    EXPECT_EQ(semaphore.available(), 2);
  }
  EXPECT_GE(orders_seen.size(), 2u);
}

TEST(Semaphore, TryAcquireTakesOnlyAFreePermit) {
  Loop loop;
  Semaphore semaphore(loop, 2);
  EXPECT_TRUE(semaphore.TryAcquire());
  EXPECT_TRUE(semaphore.TryAcquire());
  EXPECT_EQ(semaphore.available(), 0);
  EXPECT_FALSE(semaphore.TryAcquire());
  semaphore.Release();
  EXPECT_EQ(semaphore.available(), 1);
  {
    ASSERT_TRUE(semaphore.TryAcquire());
    SemaphorePermit adopted(semaphore);
    EXPECT_TRUE(adopted.owns_permit());
    EXPECT_EQ(semaphore.available(), 0);
  }
  EXPECT_EQ(semaphore.available(), 1);
  semaphore.Release();
  EXPECT_EQ(semaphore.available(), 2);
}

Task<> MovePermits(Semaphore& semaphore, std::vector<int64_t>& available) {
  SemaphorePermit a = co_await semaphore.Acquire();
  SemaphorePermit b = co_await semaphore.Acquire();
  available.push_back(semaphore.available());
  a = std::move(b);  // returns a's permit, keeps b's
  available.push_back(semaphore.available());
  SemaphorePermit c(std::move(a));
  available.push_back(a.owns_permit() ? -1 : semaphore.available());
  c.Release();
  c.Release();  // a second release does nothing
  available.push_back(semaphore.available());
}

TEST(Semaphore, PermitsReturnOnMoveAssignAndReleaseOnlyOnce) {
  Loop loop;
  Semaphore semaphore(loop, 3);
  std::vector<int64_t> available;
  loop.Spawn(MovePermits(semaphore, available));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(available, ElementsAre(1, 2, 2, 3));
}

Task<> AcquireAndLog(Loop& loop, Semaphore& semaphore, std::string name,
                     std::vector<std::string>& log) {
  SemaphorePermit permit = co_await semaphore.Acquire();
  log.push_back(name + " acquired at " + FormatTime(loop.Now()));
}

Task<> HoldFor(Loop& loop, Semaphore& semaphore, Duration hold) {
  SemaphorePermit permit = co_await semaphore.Acquire();
  co_await loop.Sleep(hold);
}

TEST(Semaphore, CancellingAWaiterDoesNotLeakAPermit) {
  Loop loop({.seed = 3});
  Semaphore semaphore(loop, 1, "one");
  std::vector<std::string> log;
  loop.Spawn(HoldFor(loop, semaphore, 2ms), "holder");
  ASSERT_TRUE(loop.RunFor(0ms).ok());
  TaskHandle<> victim = loop.Spawn(AcquireAndLog(loop, semaphore, "victim", log), "victim");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_THAT(semaphore.Describe(), HasSubstr("(0 available, 1 waiting)"));
  EXPECT_TRUE(victim.Cancel());
  EXPECT_THAT(semaphore.Describe(), HasSubstr("(0 available, 0 waiting)"));
  loop.Spawn(AcquireAndLog(loop, semaphore, "next", log), "next");
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("next acquired at t=2ms"));
  EXPECT_EQ(semaphore.available(), 1);
}

// Returns its permit, then at once (before the waiter it was handed to can run) cancels that
// waiter.
Task<> ReleaseThenCancel(Loop& loop, Semaphore& semaphore, const TaskId& victim,
                         std::vector<std::string>& log) {
  SemaphorePermit permit = co_await semaphore.Acquire();
  co_await loop.Sleep(1ms);
  permit.Release();
  log.push_back(semaphore.available() == 0 ? "handed over" : "kept");
  loop.Cancel(victim);
}

TEST(Semaphore, CancellingATaskHandedAPermitPassesItOnOrReturnsIt) {
  for (bool another_waiter : {true, false}) {
    Loop loop({.seed = 5});
    Semaphore semaphore(loop, 1);
    std::vector<std::string> log;
    TaskId victim = 0;
    loop.Spawn(ReleaseThenCancel(loop, semaphore, victim, log), "releaser");
    ASSERT_TRUE(loop.RunFor(0ms).ok());
    TaskHandle<> handed = loop.Spawn(AcquireAndLog(loop, semaphore, "victim", log), "victim");
    victim = handed.id();
    ASSERT_TRUE(loop.RunFor(0ms).ok());
    if (another_waiter) loop.Spawn(AcquireAndLog(loop, semaphore, "next", log), "next");
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    EXPECT_TRUE(absl::IsCancelled(handed.result()));
    if (another_waiter) {
      EXPECT_THAT(log, ElementsAre("handed over", "next acquired at t=1ms"));
    } else {
      EXPECT_THAT(log, ElementsAre("handed over"));
    }
    EXPECT_EQ(semaphore.available(), 1) << "another waiter: " << another_waiter;
  }
}

TEST(Semaphore, CancellingAHolderReturnsItsPermit) {
  Loop loop({.seed = 7});
  Semaphore semaphore(loop, 2);
  TaskHandle<> first = loop.Spawn(HoldFor(loop, semaphore, 1h));
  TaskHandle<> second = loop.Spawn(HoldFor(loop, semaphore, 1h));
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(semaphore.available(), 0);
  first.Cancel();
  EXPECT_EQ(semaphore.available(), 1);
  second.Cancel();
  EXPECT_EQ(semaphore.available(), 2);
}

TEST(Semaphore, ASemaphoreWithNoPermitsDeadlocksAndSaysWhy) {
  Loop loop;
  Semaphore semaphore(loop, 0, "empty");
  std::vector<std::string> log;
  loop.Spawn(AcquireAndLog(loop, semaphore, "starved", log), "starved");
  RunResult result = loop.Run();
  ASSERT_EQ(result.outcome, RunOutcome::kDeadlock);
  ASSERT_EQ(result.blocked.size(), 1u);
  EXPECT_EQ(result.blocked[0].label, "starved");
  EXPECT_THAT(result.blocked[0].waiting_on, HasSubstr("'empty' (0 available, 1 waiting)"));
}

TEST(Semaphore, DestroyingTheLoopDestroysEveryFrameBlockedOnASemaphoreOnce) {
  Counts counts;
  {
    Loop loop({.seed = 11});
    Semaphore held(loop, 1);
    Semaphore handed(loop, 1);
    SpawnBlockedAcquirers(loop, held, handed, /*waiters=*/3, counts);
    RunResult result = loop.Run();
    ASSERT_EQ(result.outcome, RunOutcome::kStopped) << result.ToString();
    EXPECT_EQ(counts.alive(), 8);
  }
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(counts.copied, 0);
}

// The semaphores die first here; the permits and the granted waiter left in the frames must not
// touch them when the Loop destroys those frames (AddressSanitizer checks).
TEST(Semaphore, ASemaphoreDestroyedBeforeTheLoopIsNotTouchedByItsHoldersFrames) {
  Counts counts;
  {
    Loop loop({.seed = 13});
    auto held = std::make_unique<Semaphore>(loop, 1);
    auto handed = std::make_unique<Semaphore>(loop, 1);
    SpawnBlockedAcquirers(loop, *held, *handed, /*waiters=*/3, counts);
    RunResult result = loop.Run();
    ASSERT_EQ(result.outcome, RunOutcome::kStopped) << result.ToString();
    held.reset();
    handed.reset();
    EXPECT_EQ(counts.alive(), 8);
  }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace
}  // namespace laplace
