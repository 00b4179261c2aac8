// Proves Lock's contract: FIFO hand-off, guards, holder, cancellation, deadlock reports, teardown.
#include "loop/lock.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/future.h"
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
using ::testing::Not;

Task<> AcquireManyTimes(Lock& lock, int times, std::vector<TaskId>& holders) {
  for (int i = 0; i < times; ++i) {
    LockGuard guard = co_await lock.Acquire();
    holders.push_back(lock.holder());
  }
}

TEST(Lock, UncontendedAcquireDoesNotSuspend) {
  Loop loop({.seed = 1});
  Lock lock(loop);
  std::vector<TaskId> holders;
  TaskHandle<> task = loop.Spawn(AcquireManyTimes(lock, 100, holders), "solo");
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  // Any suspension would be another scheduling step; the whole task ran in its first one.
  EXPECT_EQ(loop.steps(), 1u);
  ASSERT_EQ(holders.size(), 100u);
  for (TaskId holder : holders) EXPECT_EQ(holder, task.id());
  EXPECT_FALSE(lock.locked());
  EXPECT_EQ(lock.holder(), 0u);
}

TEST(Lock, ContendedWaitersAreServedInArrivalOrder) {
  std::set<std::vector<std::string>> orders_seen;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Loop loop({.seed = seed});
    Lock lock(loop, "l");
    std::vector<std::string> arrivals;
    std::vector<std::string> acquisitions;
    // "first" takes the lock at t=0; the rest all arrive at t=1ms, in an order the schedule picks.
    loop.Spawn(ArriveAndHold(loop, lock, 0ms, 2ms, "first", arrivals, acquisitions));
    for (std::string name : {"a", "b", "c", "d"}) {
      loop.Spawn(ArriveAndHold(loop, lock, 1ms, 0ms, name, arrivals, acquisitions));
    }
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    EXPECT_EQ(acquisitions, arrivals) << "seed " << seed;
    orders_seen.insert(arrivals);
  }
  // The schedule must actually have varied the arrival order, or the test proves nothing.
  EXPECT_GE(orders_seen.size(), 2u);
}

Task<> GuardInScope(Lock& lock, std::vector<bool>& locked_at) {
  {
    LockGuard guard = co_await lock.Acquire();
    locked_at.push_back(lock.locked());
    locked_at.push_back(guard.owns_lock());
  }
  locked_at.push_back(lock.locked());
}

TEST(Lock, GuardReleasesOnScopeExit) {
  Loop loop;
  Lock lock(loop);
  std::vector<bool> locked_at;
  loop.Spawn(GuardInScope(lock, locked_at));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(locked_at, ElementsAre(true, true, false));
}

// Holds `first` and `second`, then move-assigns the second guard over the first: `first` must
// be released at that moment (and handed to its waiter), `second` must stay held.
Task<> MoveAssignGuards(Loop& loop, Lock& first, Lock& second, std::vector<std::string>& log) {
  LockGuard a = co_await first.Acquire();
  LockGuard b = co_await second.Acquire();
  co_await loop.Sleep(1ms);  // lets the waiter queue on `first`
  TaskId waiter = first.holder() == loop.current_task() ? 0 : first.holder();
  log.push_back(waiter == 0 ? "first held by me" : "first not held by me");
  a = std::move(b);
  log.push_back(first.holder() != loop.current_task() && first.locked() ? "first handed on"
                                                                        : "first kept");
  log.push_back(second.holder() == loop.current_task() ? "second held" : "second lost");
  log.push_back(a.owns_lock() && !b.owns_lock() ? "a owns" : "b owns");
  co_await loop.Sleep(1ms);
}

Task<> AcquireAndLog(Loop& loop, Lock& lock, std::string name, std::vector<std::string>& log) {
  LockGuard guard = co_await lock.Acquire();
  log.push_back(name + " acquired at " + FormatTime(loop.Now()));
}

TEST(Lock, GuardReleasesOnMoveAssign) {
  Loop loop({.seed = 3});
  Lock first(loop, "first");
  Lock second(loop, "second");
  std::vector<std::string> log;
  loop.Spawn(MoveAssignGuards(loop, first, second, log), "mover");
  loop.Spawn(AcquireAndLog(loop, first, "waiter", log), "waiter");
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("first held by me", "first handed on", "second held", "a owns",
                               "waiter acquired at t=1ms"));
  EXPECT_FALSE(first.locked());
  EXPECT_FALSE(second.locked());
}

TEST(Lock, TryAcquireTakesOnlyAFreeLock) {
  Loop loop;
  Lock lock(loop);
  EXPECT_TRUE(lock.TryAcquire());
  EXPECT_TRUE(lock.locked());
  EXPECT_EQ(lock.holder(), 0u);  // code outside any task
  EXPECT_FALSE(lock.TryAcquire());
  lock.Release();
  EXPECT_FALSE(lock.locked());
  EXPECT_TRUE(lock.TryAcquire());
  lock.Release();
}

Task<> TryAcquireInTask(Loop& loop, Lock& lock, std::vector<std::string>& log) {
  bool got = lock.TryAcquire();
  log.push_back(got ? "got" : "missed");
  if (got) {
    log.push_back(lock.holder() == loop.current_task() ? "holder is me" : "holder is wrong");
    co_await loop.Sleep(1ms);
    lock.Release();
  }
}

TEST(Lock, TryAcquireInATaskRecordsTheHolderAndFailsForOthers) {
  Loop loop({.seed = 5});
  Lock lock(loop);
  std::vector<std::string> log;
  loop.Spawn(TryAcquireInTask(loop, lock, log));
  loop.Spawn(TryAcquireInTask(loop, lock, log));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("got", "holder is me", "missed"));
  EXPECT_FALSE(lock.locked());
}

Task<> HoldAndSleep(Loop& loop, Lock& lock, Duration hold) {
  LockGuard guard = co_await lock.Acquire();
  co_await loop.Sleep(hold);
}

TEST(Lock, HolderIsTheHoldingTaskAndFollowsTheHandOff) {
  Loop loop({.seed = 7});
  Lock lock(loop);
  std::vector<std::string> log;
  EXPECT_EQ(lock.holder(), 0u);
  TaskHandle<> holder = loop.Spawn(HoldAndSleep(loop, lock, 2ms), "holder");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(lock.holder(), holder.id());
  TaskHandle<> waiter = loop.Spawn(AcquireAndLog(loop, lock, "waiter", log), "waiter");
  ASSERT_TRUE(loop.RunFor(0ms).ok());
  EXPECT_EQ(lock.holder(), holder.id());
  // Stops right after the holder's last step: it released, and the lock went straight to the
  // waiter, which has not run yet.
  ASSERT_TRUE(loop.RunUntilComplete(holder).ok());
  EXPECT_TRUE(log.empty());
  EXPECT_TRUE(lock.locked());
  EXPECT_EQ(lock.holder(), waiter.id());
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("waiter acquired at t=2ms"));
  EXPECT_EQ(lock.holder(), 0u);
}

TEST(Lock, CancellingAWaiterRemovesItFromTheQueue) {
  Loop loop({.seed = 11});
  Lock lock(loop);
  std::vector<std::string> log;
  loop.Spawn(HoldAndSleep(loop, lock, 3ms), "holder");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  TaskHandle<> first = loop.Spawn(AcquireAndLog(loop, lock, "first", log), "first");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  TaskHandle<> second = loop.Spawn(AcquireAndLog(loop, lock, "second", log), "second");
  ASSERT_TRUE(loop.RunFor(0ms).ok());
  EXPECT_TRUE(first.Cancel());
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("second acquired at t=3ms"));
  EXPECT_TRUE(absl::IsCancelled(first.result()));
  EXPECT_TRUE(second.result().ok());
  EXPECT_FALSE(lock.locked());
}

// Releases the lock, then at once (before the waiter it was handed to can run) cancels that
// waiter. The lock must pass on to the next waiter instead of staying with a dead task.
Task<> ReleaseThenCancelTheNext(Loop& loop, Lock& lock, const TaskId& victim,
                                std::vector<std::string>& log) {
  LockGuard guard = co_await lock.Acquire();
  co_await loop.Sleep(1ms);  // both waiters queue
  guard.Release();
  log.push_back(lock.holder() == victim ? "handed to victim" : "not handed to victim");
  loop.Cancel(victim);
  log.push_back(lock.locked() && lock.holder() != victim ? "passed on" : "stuck");
}

TEST(Lock, CancellingATaskHandedTheLockBeforeItRanPassesTheLockOn) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Loop loop({.seed = seed});
    Lock lock(loop);
    std::vector<std::string> log;
    TaskId victim = 0;
    loop.Spawn(ReleaseThenCancelTheNext(loop, lock, victim, log), "releaser");
    ASSERT_TRUE(loop.RunFor(0ms).ok());  // the releaser takes the lock first
    TaskHandle<> first = loop.Spawn(AcquireAndLog(loop, lock, "victim", log), "victim");
    victim = first.id();
    ASSERT_TRUE(loop.RunFor(0ms).ok());  // the victim queues first
    TaskHandle<> second = loop.Spawn(AcquireAndLog(loop, lock, "next", log), "next");
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << "seed " << seed << ": " << result.ToString();
    EXPECT_THAT(log, ElementsAre("handed to victim", "passed on", "next acquired at t=1ms"))
        << "seed " << seed;
    EXPECT_TRUE(absl::IsCancelled(first.result()));
    EXPECT_FALSE(lock.locked());
  }
}

TEST(Lock, CancellingTheSuspendedHolderReleasesTheLockThroughItsGuard) {
  Loop loop({.seed = 13});
  Lock lock(loop);
  std::vector<std::string> log;
  TaskHandle<> holder = loop.Spawn(HoldAndSleep(loop, lock, 1h), "holder");
  ASSERT_TRUE(loop.RunFor(0ms).ok());
  loop.Spawn(AcquireAndLog(loop, lock, "waiter", log), "waiter");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_TRUE(holder.Cancel());
  EXPECT_TRUE(absl::IsCancelled(holder.result()));
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("waiter acquired at t=1ms"));
  EXPECT_FALSE(lock.locked());
}

Task<> AcquireAndHandOver(Lock& lock, Promise<LockGuard>& handover) {
  LockGuard guard = co_await lock.Acquire();
  handover.SetValue(std::move(guard));
}

Task<> ReceiveAndHold(Loop& loop, Future<LockGuard> handover, std::vector<std::string>& log) {
  Result<LockGuard> received = co_await std::move(handover);
  LockGuard guard = std::move(*received);
  log.push_back(guard.owns_lock() ? "owns" : "does not own");
  co_await loop.Sleep(1ms);
}

TEST(Lock, HolderFollowsAGuardMovedToAnotherTask) {
  Loop loop({.seed = 29});
  Lock lock(loop, "baton");
  Promise<LockGuard> handover(loop);
  std::vector<std::string> log;
  TaskHandle<> giver = loop.Spawn(AcquireAndHandOver(lock, handover), "giver");
  TaskHandle<> taker = loop.Spawn(ReceiveAndHold(loop, handover.future(), log), "taker");
  ASSERT_TRUE(loop.RunUntilComplete(giver).ok());
  ASSERT_TRUE(loop.RunFor(0ms).ok());
  EXPECT_THAT(log, ElementsAre("owns"));
  EXPECT_EQ(lock.holder(), taker.id());
  EXPECT_THAT(lock.Describe(), HasSubstr("held by task #" + std::to_string(taker.id())));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_FALSE(lock.locked());
}

TEST(Lock, DescribeNamesTheLockAndItsHolder) {
  Loop loop;
  Lock lock(loop, "accounts");
  EXPECT_THAT(lock.Describe(), HasSubstr("'accounts'"));
  EXPECT_THAT(lock.Describe(), Not(HasSubstr("held")));
  TaskHandle<> alice = loop.Spawn(HoldAndSleep(loop, lock, 1h), "alice");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_THAT(lock.Describe(),
              HasSubstr("'accounts' held by task #" + std::to_string(alice.id()) + " 'alice'"));
  alice.Cancel();
  EXPECT_THAT(lock.Describe(), Not(HasSubstr("held")));
  ASSERT_TRUE(lock.TryAcquire());
  EXPECT_THAT(lock.Describe(), HasSubstr("held by code outside any task"));
  lock.Release();
}

Task<> TakeBothInOrder(Loop& loop, Lock& first, Lock& second) {
  LockGuard a = co_await first.Acquire();
  co_await loop.Sleep(1ms);
  LockGuard b = co_await second.Acquire();
}

TEST(Lock, OppositeOrderAcquisitionDeadlocksAndTheReportNamesBothTasks) {
  Loop loop({.seed = 17});
  Lock a(loop, "a");
  Lock b(loop, "b");
  TaskHandle<> alice = loop.Spawn(TakeBothInOrder(loop, a, b), "alice");
  TaskHandle<> bob = loop.Spawn(TakeBothInOrder(loop, b, a), "bob");
  RunResult result = loop.Run();
  ASSERT_EQ(result.outcome, RunOutcome::kDeadlock) << result.ToString();
  EXPECT_EQ(result.time, Time(1ms));
  ASSERT_EQ(result.blocked.size(), 2u);
  const BlockedTask& first = result.blocked[0];
  const BlockedTask& second = result.blocked[1];
  EXPECT_EQ(first.id, alice.id());
  EXPECT_EQ(first.label, "alice");
  EXPECT_THAT(first.waiting_on,
              HasSubstr("'b' held by task #" + std::to_string(bob.id()) + " 'bob'"));
  EXPECT_EQ(second.id, bob.id());
  EXPECT_EQ(second.label, "bob");
  EXPECT_THAT(second.waiting_on,
              HasSubstr("'a' held by task #" + std::to_string(alice.id()) + " 'alice'"));
  EXPECT_THAT(result.ToString(), HasSubstr("'alice' waits on lock"));
  EXPECT_THAT(result.ToString(), HasSubstr("'bob' waits on lock"));
}

TEST(Lock, DestroyingTheLoopDestroysEveryFrameBlockedOnALockOnce) {
  Counts counts;
  {
    Loop loop({.seed = 19});
    Lock held(loop, "held");
    Lock handed(loop, "handed");
    SpawnBlockedAcquirers(loop, held, handed, /*waiters=*/3, counts);
    RunResult result = loop.Run();
    ASSERT_EQ(result.outcome, RunOutcome::kStopped) << result.ToString();
    EXPECT_TRUE(handed.locked());
    EXPECT_EQ(counts.alive(), 8);
  }
  EXPECT_EQ(counts.alive(), 0);
  EXPECT_EQ(counts.constructed, counts.destroyed);
  EXPECT_EQ(counts.copied, 0);
}

// The usual declaration order (`Loop loop; Lock lock(loop);`) destroys the lock before the Loop
// tears down the tasks that hold it or were handed it. The lock's header allows that, so the
// guards and awaiters left in those frames must not touch the dead lock.
TEST(Lock, ALockDestroyedBeforeTheLoopIsNotTouchedByItsHoldersFrames) {
  Counts counts;
  {
    Loop loop({.seed = 23});
    auto held = std::make_unique<Lock>(loop, "held");
    auto handed = std::make_unique<Lock>(loop, "handed");
    SpawnBlockedAcquirers(loop, *held, *handed, /*waiters=*/2, counts);
    RunResult result = loop.Run();
    ASSERT_EQ(result.outcome, RunOutcome::kStopped) << result.ToString();
    held.reset();
    handed.reset();
    EXPECT_EQ(counts.alive(), 6);
  }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace
}  // namespace laplace
