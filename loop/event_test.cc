// Proves Event's Wait/Set/Clear contract: who suspends, who wakes and in what order, teardown.
#include "loop/event.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::laplace::testing::Counted;
using ::laplace::testing::Counts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Task<> WaitAndLog(Loop& loop, Event& event, Duration arrive, std::string name,
                  std::vector<std::string>& log) {
  co_await loop.Sleep(arrive);
  log.push_back(name + " waits at " + FormatTime(loop.Now()));
  co_await event.Wait();
  log.push_back(name + " woke at " + FormatTime(loop.Now()));
}

Task<> SetAfter(Loop& loop, Event& event, Duration delay) {
  co_await loop.Sleep(delay);
  event.Set();
}

TEST(Event, WaitBeforeSetSuspendsUntilSet) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Loop loop({.seed = seed});
    Event event(loop, "ready");
    std::vector<std::string> log;
    loop.Spawn(WaitAndLog(loop, event, 0ms, "waiter", log), "waiter");
    loop.Spawn(SetAfter(loop, event, 5ms), "setter");
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << result.ToString();
    EXPECT_THAT(log, ElementsAre("waiter waits at t=0", "waiter woke at t=5ms"));
    EXPECT_TRUE(event.is_set());
  }
}

TEST(Event, AWaiterThatIsNeverSetIsReportedAsWaitingOnTheEvent) {
  Loop loop;
  Event event(loop, "ready");
  std::vector<std::string> log;
  loop.Spawn(WaitAndLog(loop, event, 0ms, "waiter", log), "waiter");
  RunResult result = loop.Run();
  ASSERT_EQ(result.outcome, RunOutcome::kDeadlock);
  ASSERT_EQ(result.blocked.size(), 1u);
  EXPECT_EQ(result.blocked[0].label, "waiter");
  EXPECT_THAT(result.blocked[0].waiting_on, HasSubstr("event"));
  EXPECT_THAT(result.blocked[0].waiting_on, HasSubstr("'ready'"));
}

TEST(Event, SetWakesEveryWaiterInTheOrderTheyWaited) {
  // An all-zero tape always runs the task that became ready first, so the order the waiters
  // resume in is the order Set made them ready.
  TapeSource zeros({}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  Event event(loop);
  std::vector<std::string> log;
  // They start waiting in an order unlike their spawn order.
  loop.Spawn(WaitAndLog(loop, event, 2ms, "a", log));
  loop.Spawn(WaitAndLog(loop, event, 3ms, "b", log));
  loop.Spawn(WaitAndLog(loop, event, 1ms, "c", log));
  loop.CallAt(Time(4ms), [&event] { event.Set(); });
  RunResult result = loop.Run();
  ASSERT_TRUE(result.ok()) << result.ToString();
  EXPECT_THAT(log, ElementsAre("c waits at t=1ms", "a waits at t=2ms", "b waits at t=3ms",
                               "c woke at t=4ms", "a woke at t=4ms", "b woke at t=4ms"));
}

TEST(Event, SetWakesEveryWaiterWhateverTheSchedule) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Loop loop({.seed = seed});
    Event event(loop);
    std::vector<std::string> log;
    for (std::string name : {"a", "b", "c", "d"}) {
      loop.Spawn(WaitAndLog(loop, event, 1ms, name, log));
    }
    loop.Spawn(SetAfter(loop, event, 2ms));
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << "seed " << seed << ": " << result.ToString();
    EXPECT_EQ(log.size(), 8u);
    EXPECT_EQ(loop.live_tasks(), 0u);
  }
}

Task<> WaitManyTimes(Event& event, int times, int& waits_done) {
  for (int i = 0; i < times; ++i) {
    co_await event.Wait();
    ++waits_done;
  }
}

TEST(Event, WaitAfterSetDoesNotSuspend) {
  Loop loop;
  Event event(loop);
  event.Set();
  int waits_done = 0;
  loop.Spawn(WaitManyTimes(event, 100, waits_done));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(waits_done, 100);
  // A suspension would have taken another scheduling step.
  EXPECT_EQ(loop.steps(), 1u);
}

TEST(Event, ClearMakesLaterWaitsSuspendAgain) {
  Loop loop({.seed = 3});
  Event event(loop);
  event.Set();
  event.Clear();
  EXPECT_FALSE(event.is_set());
  std::vector<std::string> log;
  loop.Spawn(WaitAndLog(loop, event, 1ms, "waiter", log));
  loop.Spawn(SetAfter(loop, event, 3ms));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("waiter waits at t=1ms", "waiter woke at t=3ms"));
}

TEST(Event, ClearAfterSetDoesNotUnwakeTheWaitersSetAlreadyWoke) {
  Loop loop({.seed = 5});
  Event event(loop);
  std::vector<std::string> log;
  loop.Spawn(WaitAndLog(loop, event, 0ms, "waiter", log));
  loop.CallAt(Time(1ms), [&event] {
    event.Set();
    event.Clear();
  });
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ElementsAre("waiter waits at t=0", "waiter woke at t=1ms"));
  EXPECT_FALSE(event.is_set());
}

TEST(Event, CancellingAWaiterLeavesTheOthersWaiting) {
  Loop loop({.seed = 7});
  Event event(loop);
  std::vector<std::string> log;
  TaskHandle<> victim = loop.Spawn(WaitAndLog(loop, event, 0ms, "victim", log));
  loop.Spawn(WaitAndLog(loop, event, 0ms, "other", log));
  // Both wait and nothing else can happen, which the Loop reports as a deadlock for now.
  ASSERT_EQ(loop.RunFor(1ms).outcome, RunOutcome::kDeadlock);
  EXPECT_TRUE(victim.Cancel());
  event.Set();
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_THAT(log, ::testing::Contains("other woke at t=0"));
  EXPECT_THAT(log, ::testing::Not(::testing::Contains(HasSubstr("victim woke"))));
}

Task<> WaitCounted(Event& event, [[maybe_unused]] Counted in_frame) { co_await event.Wait(); }

TEST(Event, DestroyingTheLoopDestroysEveryWaitingFrameOnce) {
  for (bool event_dies_first : {false, true}) {
    Counts counts;
    {
      Loop loop({.seed = 11});
      auto event = std::make_unique<Event>(loop);
      for (int i = 0; i < 4; ++i) loop.Spawn(WaitCounted(*event, Counted(counts)));
      ASSERT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
      EXPECT_EQ(counts.constructed - counts.destroyed, 4);
      if (event_dies_first) event.reset();
    }
    EXPECT_EQ(counts.constructed, counts.destroyed) << "event dies first: " << event_dies_first;
  }
}

}  // namespace
}  // namespace laplace
