// Proves the two lock policies: hand-off gives a released lock to the oldest waiter, barging
// lets the releaser (or anyone) take it first and sends the woken waiter back to the head of
// the queue; and a bug that only barging can reach (the stack whose consumer pops twice).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/event.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

// Holds the lock across a yield (so `other` can queue up), then releases and at once, with no
// scheduling point in between, takes it again.
Task<> ReleaseAndRetake(Loop& loop, Lock& lock, std::vector<std::string>& log) {
  LockGuard guard = co_await lock.Acquire();
  co_await loop.Yield();
  guard.Release();
  guard = co_await lock.Acquire();
  log.push_back("releaser again");
}

Task<> Queue(Lock& lock, std::vector<std::string>& log, std::string name) {
  LockGuard guard = co_await lock.Acquire();
  log.push_back(name);
}

// Runs the releaser and `waiters` queuers on `tape`, which must let every queuer queue up while
// the releaser yields holding the lock.
std::vector<std::string> RunReleaseAndRetake(LockPolicy policy, const Tape& tape,
                                             std::vector<std::string> waiters) {
  TapeSource source(tape, TapeSource::Mode::kStrict);
  Loop loop({.source = &source});
  Lock lock(loop, "l", policy);
  std::vector<std::string> log;
  TaskHandle<> releaser = loop.Spawn(ReleaseAndRetake(loop, lock, log), "releaser");
  std::vector<TaskHandle<>> queued;
  for (const std::string& name : waiters) queued.push_back(loop.Spawn(Queue(lock, log, name)));
  EXPECT_TRUE(loop.Run().ok());
  EXPECT_FALSE(source.divergence().has_value());
  EXPECT_FALSE(lock.locked());
  return log;
}

// The releaser first, then a preemption at its yield: the waiter queues.
const Tape kWaiterQueues = {{ChoiceKind::kSchedule, 2, 0}, {ChoiceKind::kSchedule, 2, 1}};

TEST(LockPolicy, HandOffGivesTheReleasedLockToTheOldestWaiter) {
  EXPECT_EQ(RunReleaseAndRetake(LockPolicy::kHandOff, kWaiterQueues, {"waiter"}),
            (std::vector<std::string>{"waiter", "releaser again"}));
}

TEST(LockPolicy, BargingLetsTheReleaserRetakeTheLockBeforeTheWokenWaiterRuns) {
  EXPECT_EQ(RunReleaseAndRetake(LockPolicy::kBarging, kWaiterQueues, {"waiter"}),
            (std::vector<std::string>{"releaser again", "waiter"}));
}

TEST(LockPolicy, ABargedWaiterKeepsItsPlaceAtTheHeadOfTheQueue) {
  // The releaser, then `first` at its yield, then `second`.
  const Tape tape = {
      {ChoiceKind::kSchedule, 3, 0}, {ChoiceKind::kSchedule, 3, 1}, {ChoiceKind::kSchedule, 2, 1}};
  EXPECT_EQ(RunReleaseAndRetake(LockPolicy::kBarging, tape, {"first", "second"}),
            (std::vector<std::string>{"releaser again", "first", "second"}));
}

TEST(LockPolicy, CancellingTheWokenWaiterPassesTheWakeupOn) {
  Loop loop;
  Lock lock(loop, "l", LockPolicy::kBarging);
  std::vector<std::string> log;
  ASSERT_TRUE(lock.TryAcquire());  // held by code outside tasks
  TaskHandle<> first = loop.Spawn(Queue(lock, log, "first"), "first");
  TaskHandle<> second = loop.Spawn(Queue(lock, log, "second"), "second");
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // both queued on the held lock
  lock.Release();                                        // frees it and wakes `first`
  EXPECT_FALSE(lock.locked());
  loop.Cancel(first.id());  // before it ran: `second` is woken instead
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(log, std::vector<std::string>{"second"});
}

// The stack whose consumer pops twice. The producer pushes two items into a stack that holds
// one, each under the lock; before its first push it lets the consumer start and waits until
// the consumer is queued on the lock. The consumer pops twice. With hand-off the consumer always
// gets the lock between the two pushes; with barging the producer takes it back first, and its
// second push finds the stack full.
struct Stack {
  std::vector<int> items;
  int lost = 0;
};

struct StackEvents {
  Event producer_holds;
  Event consumer_queued;
};

Task<> Producer(Lock& lock, StackEvents& events, Stack& stack) {
  for (int i = 0; i < 2; ++i) {
    LockGuard guard = co_await lock.Acquire();
    if (i == 0) {
      events.producer_holds.Set();
      co_await events.consumer_queued.Wait();  // holding the lock
    }
    if (stack.items.empty()) {
      stack.items.push_back(i);
    } else {
      ++stack.lost;
    }
  }
}

Task<> Consumer(Loop& loop, Lock& lock, StackEvents& events, Stack& stack) {
  co_await events.producer_holds.Wait();
  events.consumer_queued.Set();  // and queues on the lock below, with no scheduling point between
  for (int popped = 0; popped < 2;) {
    LockGuard guard = co_await lock.Acquire();
    if (!stack.items.empty()) {
      stack.items.pop_back();
      ++popped;
    }
    guard.Release();
    if (stack.lost > 0) co_return;
    co_await loop.Yield();
  }
}

// The first of `seeds` seeds whose run loses an item, or -1.
int FirstLosingSeed(LockPolicy policy, int seeds) {
  for (int seed = 0; seed < seeds; ++seed) {
    Loop loop({.seed = static_cast<uint64_t>(seed)});
    Lock lock(loop, "stack", policy);
    StackEvents events{Event(loop, "producer-holds"), Event(loop, "consumer-queued")};
    Stack stack;
    TaskHandle<> producer = loop.Spawn(Producer(lock, events, stack), "producer");
    TaskHandle<> consumer = loop.Spawn(Consumer(loop, lock, events, stack), "consumer");
    RunResult result = loop.Run();
    EXPECT_TRUE(result.ok()) << result.ToString();
    if (stack.lost > 0) return seed;
  }
  return -1;
}

TEST(LockPolicy, TheStackWhoseConsumerPopsTwiceLosesAnItemOnlyWithBarging) {
  EXPECT_EQ(FirstLosingSeed(LockPolicy::kHandOff, 500), -1);
  EXPECT_EQ(FirstLosingSeed(LockPolicy::kBarging, 500), 0);
}

TEST(LockPolicy, DestroyingTheLoopWithABargedWaiterWokenDestroysEveryFrameOnce) {
  testing::Counts counts;
  {
    Loop loop;
    Lock lock(loop, "l", LockPolicy::kBarging);
    auto waiter = [](Lock& lock, testing::Counted) -> Task<> {
      LockGuard guard = co_await lock.Acquire();
    };
    ASSERT_TRUE(lock.TryAcquire());
    TaskHandle<> a = loop.Spawn(waiter(lock, testing::Counted(counts)));
    TaskHandle<> b = loop.Spawn(waiter(lock, testing::Counted(counts)));
    EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);  // both queued on the held lock
    lock.Release();                                        // wakes a; the Loop dies before it runs
    EXPECT_EQ(counts.alive(), 2);
  }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace
}  // namespace laplace
