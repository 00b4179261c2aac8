// Proves WaitFor gives a value in time, else kDeadlineExceeded at now + timeout, for each kind.
#include "loop/wait_for.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/event.h"
#include "loop/future.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/queue.h"
#include "loop/semaphore.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::laplace::testing::Counted;
using ::laplace::testing::Counts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Show(const absl::Status& status) {
  return status.ok() ? "ok" : std::string(absl::StatusCodeToString(status.code()));
}

Task<int> SleepThenReturn(Loop& loop, Duration nap, int value, std::vector<std::string>& log,
                          [[maybe_unused]] Counted in_frame) {
  co_await loop.Sleep(nap);
  log.push_back("child finished");
  co_return value;
}

// Starts at t=1ms so that "exactly now + timeout" is not the same as "exactly timeout".
Task<> WaitForChild(Loop& loop, Duration nap, Duration timeout, std::vector<std::string>& log,
                    Counts& counts) {
  co_await loop.Sleep(1ms);
  Result<int> result =
      co_await WaitFor(loop, SleepThenReturn(loop, nap, 7, log, Counted(counts)), timeout);
  log.push_back((result.ok() ? "got " + std::to_string(*result) : Show(result.status())) + " at " +
                FormatTime(loop.Now()) + ", child frames alive: " + std::to_string(counts.alive()));
}

TEST(WaitFor, ATaskThatFinishesInTimeGivesItsValue) {
  Loop loop({.seed = 1});
  Counts counts;
  std::vector<std::string> log;
  loop.Spawn(WaitForChild(loop, 2ms, 5ms, log, counts));
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("child finished", "got 7 at t=3ms, child frames alive: 0"));
  // The timeout's timer went away with the wait: the run ended when the child did.
  EXPECT_EQ(loop.Now(), Time(3ms));
}

TEST(WaitFor, ATaskThatTimesOutGivesDeadlineExceededAtExactlyNowPlusTimeoutAndIsCancelled) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Loop loop({.seed = seed});
    Counts counts;
    std::vector<std::string> log;
    loop.Spawn(WaitForChild(loop, 10ms, 3ms, log, counts));
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    // The child's frame was gone by the time the awaiting task resumed, and it never finished.
    EXPECT_THAT(log, ElementsAre("DEADLINE_EXCEEDED at t=4ms, child frames alive: 0"));
    EXPECT_EQ(loop.Now(), Time(4ms));
    EXPECT_EQ(counts.alive(), 0);
  }
}

Task<> WaitForChildStatus(Loop& loop, Duration timeout, absl::Status& out) {
  std::vector<std::string> log;
  Counts counts;
  Result<int> result =
      co_await WaitFor(loop, SleepThenReturn(loop, 1h, 1, log, Counted(counts)), timeout);
  out = result.status();
}

TEST(WaitFor, TheTimeoutErrorSaysHowLongItWaited) {
  Loop loop;
  absl::Status status;
  loop.Spawn(WaitForChildStatus(loop, 2500us, status));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("2.5ms"));
}

struct Identity {
  TaskId id = 0;
  std::string label;
};

Task<int> RecordIdentity(Loop& loop, Identity& out) {
  out.id = loop.current_task();
  out.label = std::string(loop.label(out.id));
  co_return 0;
}

Task<> WaitForIdentity(Loop& loop, Identity& child) {
  (void)co_await WaitFor(loop, RecordIdentity(loop, child), 1ms);
}

TEST(WaitFor, ATaskRunsAsAChildLabelledAfterItsParent) {
  Loop loop;
  Identity child;
  TaskHandle<> parent = loop.Spawn(WaitForIdentity(loop, child), "parent");
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_NE(child.id, parent.id());
  EXPECT_EQ(child.label, "parent/wait_for[0]");
}

Task<> WaitForFutureTwice(Loop& loop, Future<int> future, std::vector<std::string>& log) {
  Result<int> first = co_await WaitFor(loop, future, 2ms);
  log.push_back("first: " + Show(first.status()) + " at " + FormatTime(loop.Now()));
  Result<int> second = co_await WaitFor(loop, future, 10ms);
  log.push_back("second: " + (second.ok() ? std::to_string(*second) : Show(second.status())) +
                " at " + FormatTime(loop.Now()));
}

TEST(WaitFor, TimingOutOnAFutureLeavesThePromiseUsable) {
  Loop loop({.seed = 2});
  Promise<int> promise(loop, "reply");
  std::vector<std::string> log;
  loop.Spawn(WaitForFutureTwice(loop, promise.future(), log));
  ASSERT_TRUE(loop.RunFor(3ms).ok());
  EXPECT_THAT(log, ElementsAre("first: DEADLINE_EXCEEDED at t=2ms"));
  EXPECT_FALSE(promise.done());
  promise.SetValue(5);
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("first: DEADLINE_EXCEEDED at t=2ms", "second: 5 at t=3ms"));
  EXPECT_TRUE(promise.future().done());
}

Task<> WaitForFuture(Loop& loop, Future<int> future, Duration timeout, Result<int>& out) {
  out = co_await WaitFor(loop, future, timeout);
}

Task<> SetAfter(Loop& loop, Promise<int>& promise, Duration delay) {
  co_await loop.Sleep(delay);
  promise.SetValue(7);
}

// The outcomes of a future set at the deadline instant, over 64 seeds: by a
// callback due then, or by a task woken then.
std::set<std::string> OutcomesAtTheDeadline(bool set_by_task) {
  std::set<std::string> outcomes;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    Loop loop({.seed = seed});
    Promise<int> promise(loop, "reply");
    Result<int> out = absl::UnknownError("not run");
    loop.Spawn(WaitForFuture(loop, promise.future(), 5ms, out));
    if (set_by_task) {
      loop.Spawn(SetAfter(loop, promise, 5ms));
    } else {
      loop.CallAt(Time(5ms), [&promise] { promise.SetValue(7); });
    }
    EXPECT_TRUE(loop.Run().ok());
    outcomes.insert(out.ok() ? "value"
                             : std::string(absl::StatusCodeToString(out.status().code())));
  }
  return outcomes;
}

// docs/api.md states this: the value wins if the future is resolved by the
// time the awaiting task resumes. A callback due at the deadline instant
// fires before any task of that instant runs, so it always wins; a task
// woken at that instant races the timed-out waiter (a schedule choice).
TEST(WaitFor, AFutureSetAtTheDeadlineInstantWinsIfSetBeforeTheWaiterResumes) {
  EXPECT_THAT(OutcomesAtTheDeadline(/*set_by_task=*/false), ElementsAre("value"));
  EXPECT_THAT(OutcomesAtTheDeadline(/*set_by_task=*/true),
              ElementsAre("DEADLINE_EXCEEDED", "value"));
}

Task<> WaitForReadyFuture(Loop& loop, Future<int> future, Result<int>& out) {
  out = co_await WaitFor(loop, future, 0ms);
}

TEST(WaitFor, AFutureAlreadySetGivesItsValueEvenWithAZeroTimeout) {
  Loop loop;
  Promise<int> promise(loop);
  promise.SetValue(9);
  Result<int> out = absl::UnknownError("unset");
  loop.Spawn(WaitForReadyFuture(loop, promise.future(), out));
  ASSERT_TRUE(loop.Run().ok());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, 9);
}

Task<int> Worker(Loop& loop, Duration nap, std::vector<std::string>& log) {
  co_await loop.Sleep(nap);
  log.push_back("worker finished at " + FormatTime(loop.Now()));
  co_return 3;
}

Task<> WaitForHandle(Loop& loop, TaskHandle<int> worker, std::vector<std::string>& log) {
  Result<int> early = co_await WaitFor(loop, worker, 2ms);
  log.push_back("early: " + Show(early.status()) + " at " + FormatTime(loop.Now()));
  Result<int> late = co_await worker;
  log.push_back("late: " + std::to_string(*late) + " at " + FormatTime(loop.Now()));
}

TEST(WaitFor, TimingOutOnATaskHandleLeavesTheTaskRunning) {
  Loop loop({.seed = 3});
  std::vector<std::string> log;
  TaskHandle<int> worker = loop.Spawn(Worker(loop, 10ms, log), "worker");
  loop.Spawn(WaitForHandle(loop, worker, log), "waiter");
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("early: DEADLINE_EXCEEDED at t=2ms", "worker finished at t=10ms",
                               "late: 3 at t=10ms"));
}

Task<> HoldLock(Loop& loop, Lock& lock, Duration hold) {
  LockGuard guard = co_await lock.Acquire();
  co_await loop.Sleep(hold);
}

Task<> AcquireWithin(Loop& loop, Lock& lock, Duration timeout, std::string name,
                     std::vector<std::string>& log) {
  absl::StatusOr<LockGuard> guard = co_await WaitFor(loop, lock.Acquire(), timeout);
  if (!guard.ok()) {
    log.push_back(name + ": " + Show(guard.status()) + " at " + FormatTime(loop.Now()));
    co_return;
  }
  log.push_back(name + ": acquired at " + FormatTime(loop.Now()) +
                (guard->owns_lock() && lock.holder() == loop.current_task() ? ", held by me"
                                                                            : ", not held by me"));
  co_await loop.Sleep(1ms);
}

TEST(WaitFor, OnLockAcquireATimeoutLeavesTheQueueAndASuccessHoldsTheLock) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Loop loop({.seed = seed});
    Lock lock(loop, "l");
    std::vector<std::string> log;
    loop.Spawn(HoldLock(loop, lock, 5ms), "holder");
    ASSERT_TRUE(loop.RunFor(0ms).ok());
    loop.Spawn(AcquireWithin(loop, lock, 2ms, "impatient", log), "impatient");
    ASSERT_TRUE(loop.RunFor(0ms).ok());
    loop.Spawn(AcquireWithin(loop, lock, 20ms, "patient", log), "patient");
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    // The impatient task's child left the lock's queue when it was cancelled, so the patient one
    // was next.
    EXPECT_THAT(log, ElementsAre("impatient: DEADLINE_EXCEEDED at t=2ms",
                                 "patient: acquired at t=5ms, held by me"))
        << "seed " << seed;
    EXPECT_FALSE(lock.locked());
  }
}

Task<> TakePermitWithin(Loop& loop, Semaphore& semaphore, Duration timeout,
                        std::vector<std::string>& log) {
  absl::StatusOr<SemaphorePermit> permit = co_await WaitFor(loop, semaphore.Acquire(), timeout);
  log.push_back((permit.ok() ? "permit" : Show(permit.status())) + " at " + FormatTime(loop.Now()));
}

Task<> HoldPermit(Loop& loop, Semaphore& semaphore, Duration hold) {
  SemaphorePermit permit = co_await semaphore.Acquire();
  co_await loop.Sleep(hold);
}

TEST(WaitFor, OnSemaphoreAcquireATimeoutLeaksNoPermit) {
  Loop loop({.seed = 4});
  Semaphore semaphore(loop, 1);
  std::vector<std::string> log;
  loop.Spawn(HoldPermit(loop, semaphore, 5ms));
  ASSERT_TRUE(loop.RunFor(0ms).ok());
  loop.Spawn(TakePermitWithin(loop, semaphore, 2ms, log));
  loop.Spawn(TakePermitWithin(loop, semaphore, 10ms, log));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("DEADLINE_EXCEEDED at t=2ms", "permit at t=5ms"));
  EXPECT_EQ(semaphore.available(), 1);
}

Task<> GetWithin(Loop& loop, Queue<int>& queue, Duration timeout, std::vector<int>& got,
                 std::vector<std::string>& log) {
  absl::StatusOr<int> item = co_await WaitFor(loop, queue.Get(), timeout);
  if (item.ok()) {
    got.push_back(*item);
  } else {
    log.push_back(Show(item.status()) + " at " + FormatTime(loop.Now()));
  }
}

Task<> PutAt(Loop& loop, Queue<int>& queue, Duration when, int item) {
  co_await loop.Sleep(when);
  absl::Status status = co_await queue.Put(item);
  EXPECT_TRUE(status.ok()) << status;
}

TEST(WaitFor, ATimedOutGetDoesNotLoseALaterPutItem) {
  Loop loop({.seed = 5});
  Queue<int> queue(loop, 4);
  std::vector<int> got;
  std::vector<std::string> log;
  loop.Spawn(GetWithin(loop, queue, 2ms, got, log));
  loop.Spawn(PutAt(loop, queue, 3ms, 42));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("DEADLINE_EXCEEDED at t=2ms"));
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(*queue.TryGet(), 42);
}

// The put lands at the very instant the get times out, so whichever of the two wakes first
// decides; either way the item must turn up exactly once.
TEST(WaitFor, AGetTimingOutAsTheItemArrivesNeitherLosesNorDuplicatesIt) {
  std::set<std::string> outcomes;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    Loop loop({.seed = seed});
    Queue<int> queue(loop, 4);
    std::vector<int> got;
    std::vector<std::string> log;
    loop.Spawn(GetWithin(loop, queue, 2ms, got, log));
    loop.Spawn(PutAt(loop, queue, 2ms, 42));
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << "seed " << seed << ": " << result.ToString();
    std::vector<int> all = got;
    while (queue.size() > 0) all.push_back(*queue.TryGet());
    EXPECT_THAT(all, ElementsAre(42)) << "seed " << seed;
    outcomes.insert(got.empty() ? "timed out" : "got it");
  }
  EXPECT_EQ(outcomes.size(), 2u) << "the schedule never produced both outcomes";
}

Task<> PutWithin(Loop& loop, Queue<int>& queue, int item, Duration timeout,
                 std::vector<std::string>& log) {
  absl::Status status = co_await WaitFor(loop, queue.Put(item), timeout);
  log.push_back("put " + std::to_string(item) + ": " + Show(status) + " at " +
                FormatTime(loop.Now()));
}

TEST(WaitFor, ATimedOutPutNeverDeliversItsItem) {
  Loop loop({.seed = 6});
  Queue<int> queue(loop, 1);
  ASSERT_TRUE(queue.TryPut(1).ok());
  std::vector<std::string> log;
  loop.Spawn(PutWithin(loop, queue, 2, 2ms, log));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("put 2: DEADLINE_EXCEEDED at t=2ms"));
  EXPECT_EQ(*queue.TryGet(), 1);
  EXPECT_TRUE(absl::IsUnavailable(queue.TryGet().status()));
}

Task<> WaitForEvent(Loop& loop, Event& event, Duration timeout, std::vector<std::string>& log) {
  absl::Status status = co_await WaitFor(loop, event.Wait(), timeout);
  log.push_back(Show(status) + " at " + FormatTime(loop.Now()));
}

TEST(WaitFor, OnEventWaitTimesOutOrSeesTheSet) {
  Loop loop({.seed = 7});
  Event event(loop);
  std::vector<std::string> log;
  loop.Spawn(WaitForEvent(loop, event, 2ms, log));
  loop.Spawn(WaitForEvent(loop, event, 10ms, log));
  loop.CallAt(Time(4ms), [&event] { event.Set(); });
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("DEADLINE_EXCEEDED at t=2ms", "ok at t=4ms"));
}

Task<std::unique_ptr<int>> MakeOwned(Loop& loop, Duration nap, int value) {
  co_await loop.Sleep(nap);
  co_return std::make_unique<int>(value);
}

Task<> WaitForOwned(Loop& loop, Future<std::unique_ptr<int>> future,
                    TaskHandle<std::unique_ptr<int>> handle, std::vector<int>& got) {
  Result<std::unique_ptr<int>> from_task = co_await WaitFor(loop, MakeOwned(loop, 1ms, 1), 5ms);
  Result<std::unique_ptr<int>> from_future = co_await WaitFor(loop, std::move(future), 5ms);
  Result<std::unique_ptr<int>> from_handle = co_await WaitFor(loop, std::move(handle), 5ms);
  for (Result<std::unique_ptr<int>>* result : {&from_task, &from_future, &from_handle}) {
    got.push_back(result->ok() && **result != nullptr ? ***result : -1);
  }
}

TEST(WaitFor, MoveOnlyResultsComeThroughEveryForm) {
  Loop loop({.seed = 9});
  Promise<std::unique_ptr<int>> promise(loop);
  TaskHandle<std::unique_ptr<int>> worker = loop.Spawn(MakeOwned(loop, 3ms, 3));
  std::vector<int> got;
  loop.Spawn(WaitForOwned(loop, promise.future(), worker, got));
  loop.CallAt(Time(2ms), [&promise] { promise.SetValue(std::make_unique<int>(2)); });
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(got, ElementsAre(1, 2, 3));
}

Task<int> RecordRun(bool& ran) {
  ran = true;
  co_return 1;
}

Task<> WaitZero(Loop& loop, bool& ran, std::vector<std::string>& log) {
  Result<int> result = co_await WaitFor(loop, RecordRun(ran), 0ms);
  log.push_back(Show(result.status()) + " at " + FormatTime(loop.Now()));
}

TEST(WaitFor, AZeroTimeoutOnATaskTimesOutAtOnceWithoutRunningIt) {
  Loop loop({.seed = 10});
  bool ran = false;
  std::vector<std::string> log;
  loop.Spawn(WaitZero(loop, ran, log), "waiter");
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("DEADLINE_EXCEEDED at t=0"));
  EXPECT_FALSE(ran);
  EXPECT_EQ(loop.live_tasks(), 0u);
}

Task<> SleepCounted(Loop& loop, Duration nap, [[maybe_unused]] Counted in_frame) {
  co_await loop.Sleep(nap);
}

Task<> WaitForSleeper(Loop& loop, Counts& counts, [[maybe_unused]] Counted in_frame) {
  (void)co_await WaitFor(loop, SleepCounted(loop, 1h, Counted(counts)), 2h);
}

Task<> WaitForEventCounted(Loop& loop, Event& event, [[maybe_unused]] Counted in_frame) {
  (void)co_await WaitFor(loop, event.Wait(), 2h);
}

Task<> WaitForGetCounted(Loop& loop, Queue<int>& queue, [[maybe_unused]] Counted in_frame) {
  (void)co_await WaitFor(loop, queue.Get(), 2h);
}

TEST(WaitFor, CancellingTheAwaitingTaskCancelsTheChildAndItsTimer) {
  Loop loop({.seed = 11});
  Counts counts;
  TaskHandle<> waiter = loop.Spawn(WaitForSleeper(loop, counts, Counted(counts)), "waiter");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(loop.live_tasks(), 2u);
  EXPECT_TRUE(waiter.Cancel());
  EXPECT_EQ(loop.live_tasks(), 0u);
  EXPECT_EQ(counts.alive(), 0);
  // Neither the child's sleep nor the timeout is left to fire.
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(loop.Now(), Time(1ms));
}

TEST(WaitFor, DestroyingTheLoopDuringWaitsDestroysEveryFrameOnce) {
  Counts counts;
  {
    Loop loop({.seed = 8});
    Event event(loop);
    Queue<int> queue(loop, 1);
    loop.Spawn(WaitForSleeper(loop, counts, Counted(counts)));
    loop.Spawn(WaitForEventCounted(loop, event, Counted(counts)));
    loop.Spawn(WaitForGetCounted(loop, queue, Counted(counts)));
    ASSERT_TRUE(loop.RunFor(1ms).ok());
    EXPECT_EQ(loop.live_tasks(), 6u);  // three waiters, each with its child
    // Three waiters' frames and the sleeping child's, plus the Counted temporary that lives in
    // the first waiter's frame until its co_await ends.
    EXPECT_EQ(counts.alive(), 5);
  }
  EXPECT_EQ(counts.alive(), 0);
}

}  // namespace
}  // namespace laplace
