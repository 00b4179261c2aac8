// Proves Condition's contract: Wait releases the lock and takes it back, notifies with no waiter
// are lost, NotifyOne wakes the oldest and NotifyAll everyone, WaitFor checks its predicate
// first and after each wakeup, cancellation leaves the queue, and teardown is clean.
#include "loop/condition.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using ::testing::HasSubstr;

struct Monitor {
  explicit Monitor(Loop& loop) : lock(loop, "state"), changed(loop, lock, "changed") {}
  Lock lock;
  Condition changed;
  int value = 0;
  std::vector<std::string> log;
};

Task<> WaitOnce(Loop& loop, Monitor& m, std::string name) {
  LockGuard guard = co_await m.lock.Acquire();
  m.log.push_back(name + " waits");
  co_await m.changed.Wait(guard);
  EXPECT_TRUE(guard.owns_lock(&m.lock));
  EXPECT_EQ(m.lock.holder(), loop.current_task());
  m.log.push_back(name + " woke");
}

Task<> SetAndNotify(Monitor& m, int value, bool all) {
  LockGuard guard = co_await m.lock.Acquire();  // free: the waiters released it
  m.value = value;
  m.log.push_back("notify");
  if (all) {
    m.changed.NotifyAll();
  } else {
    m.changed.NotifyOne();
  }
}

TEST(Condition, WaitReleasesTheLockAndTakesItBackBeforeReturning) {
  Loop loop;
  Monitor m(loop);
  TaskHandle<> waiter = loop.Spawn(WaitOnce(loop, m, "waiter"), "waiter");
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // waiting, and nobody notifies
  EXPECT_FALSE(m.lock.locked());
  EXPECT_EQ(m.changed.waiting(), 1u);
  TaskHandle<> notifier = loop.Spawn(SetAndNotify(m, 1, false), "notifier");
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(m.log, (std::vector<std::string>{"waiter waits", "notify", "waiter woke"}));
  EXPECT_FALSE(m.lock.locked());
}

TEST(Condition, ANotifyWithNoWaiterIsLost) {
  Loop loop;
  Monitor m(loop);
  TaskHandle<> notifier = loop.Spawn(SetAndNotify(m, 1, false), "notifier");
  ASSERT_TRUE(loop.Run().ok());
  TaskHandle<> waiter = loop.Spawn(WaitOnce(loop, m, "late"), "late");
  RunResult result = loop.Run();
  ASSERT_EQ(result.outcome, RunOutcome::kDeadlock);
  EXPECT_THAT(result.blocked.at(0).waiting_on,
              HasSubstr("condition #2 'changed' on lock #1 'state' (1 waiting)"));
}

TEST(Condition, NotifyOneWakesTheOldestWaiterAndNotifyAllWakesEveryone) {
  TapeSource zeros({}, TapeSource::Mode::kStrict);  // tasks run in the order they are ready
  Loop loop({.source = &zeros});
  Monitor m(loop);
  std::vector<TaskHandle<>> waiters;
  for (const char* name : {"a", "b", "c"}) waiters.push_back(loop.Spawn(WaitOnce(loop, m, name)));
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
  TaskHandle<> one = loop.Spawn(SetAndNotify(m, 1, false));
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // b and c still wait
  EXPECT_EQ(m.changed.waiting(), 2u);
  TaskHandle<> all = loop.Spawn(SetAndNotify(m, 2, true));
  ASSERT_TRUE(loop.Run().ok());
  std::vector<std::string> woke;
  for (const std::string& line : m.log) {
    if (line.find("woke") != std::string::npos) woke.push_back(line);
  }
  EXPECT_EQ(woke, (std::vector<std::string>{"a woke", "b woke", "c woke"}));
}

Task<> WaitForValue(Monitor& m, int wanted, int& wakeups) {
  LockGuard guard = co_await m.lock.Acquire();
  co_await m.changed.WaitFor(guard, [&] {
    ++wakeups;
    return m.value >= wanted;
  });
  m.log.push_back("saw " + std::to_string(m.value));
}

TEST(Condition, WaitForChecksItsPredicateFirstAndAfterEveryWakeup) {
  Loop loop;
  Monitor m(loop);
  int wakeups = 0;
  TaskHandle<> waiter = loop.Spawn(WaitForValue(m, 2, wakeups));
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
  TaskHandle<> first = loop.Spawn(SetAndNotify(m, 1, false));  // not enough: waits again
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
  TaskHandle<> second = loop.Spawn(SetAndNotify(m, 2, false));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(wakeups, 3);  // before waiting, after each notify
  EXPECT_EQ(m.log.back(), "saw 2");

  int at_once = 0;
  uint64_t steps = loop.steps();
  TaskHandle<> satisfied = loop.Spawn(WaitForValue(m, 1, at_once));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(at_once, 1);
  EXPECT_EQ(loop.steps(), steps + 1);  // never suspended
}

TEST(Condition, ACancelledWaiterLeavesTheQueueAndTheNextNotifyGoesToTheNext) {
  Loop loop;
  Monitor m(loop);
  TaskHandle<> a = loop.Spawn(WaitOnce(loop, m, "a"));
  TaskHandle<> b = loop.Spawn(WaitOnce(loop, m, "b"));
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
  EXPECT_TRUE(loop.Cancel(a.id()));
  EXPECT_EQ(m.changed.waiting(), 1u);
  TaskHandle<> one = loop.Spawn(SetAndNotify(m, 1, false));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(m.log.back(), "b woke");
}

TEST(ConditionDeathTest, NotifyingWithoutTheLockIsAProgrammerError) {
  Loop loop;
  Monitor m(loop);
  EXPECT_DEATH(m.changed.NotifyOne(), "NotifyOne without holding its lock");
}

TEST(Condition, DestroyingTheLoopDestroysEveryWaitingFrameOnce) {
  testing::Counts counts;
  {
    Loop loop;
    Monitor m(loop);
    auto waiter = [](Monitor& m, testing::Counted) -> Task<> {
      LockGuard guard = co_await m.lock.Acquire();
      co_await m.changed.Wait(guard);
    };
    TaskHandle<> a = loop.Spawn(waiter(m, testing::Counted(counts)));
    TaskHandle<> b = loop.Spawn(waiter(m, testing::Counted(counts)));
    EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
    EXPECT_EQ(counts.alive(), 2);
  }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace
}  // namespace laplace
