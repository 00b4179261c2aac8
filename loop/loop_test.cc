// Proves the Loop's run modes, virtual time, timers, budgets, deadlock
// reports, callbacks, step hooks and failure outcomes.
#include "loop/loop.h"

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/future.h"
#include "loop/queue.h"
#include "loop/task.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

Task<> SleepThenRecord(Loop& loop, Duration nap, std::vector<std::string>& log, std::string name) {
  co_await loop.Sleep(nap);
  log.push_back(name + "@" + FormatTime(loop.Now()));
}

TEST(Loop, SleepAdvancesVirtualTimeExactly) {
  Loop loop;
  std::vector<std::string> log;
  TaskHandle<> a = loop.Spawn(SleepThenRecord(loop, 5ms, log, "a"));
  TaskHandle<> b = loop.Spawn(SleepThenRecord(loop, 2ms, log, "b"));
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kIdle);
  EXPECT_EQ(log, (std::vector<std::string>{"b@t=2ms", "a@t=5ms"}));
  EXPECT_EQ(loop.Now(), Time(5ms));
  EXPECT_EQ(result.time, Time(5ms));
}

TEST(Loop, RunUntilCompleteStopsWhenTheTargetResolves) {
  Loop loop;
  std::vector<std::string> log;
  TaskHandle<> quick = loop.Spawn(SleepThenRecord(loop, 1ms, log, "quick"));
  TaskHandle<> slow = loop.Spawn(SleepThenRecord(loop, 1h, log, "slow"));
  RunResult result = loop.RunUntilComplete(quick);
  EXPECT_EQ(result.outcome, RunOutcome::kCompleted);
  EXPECT_EQ(loop.Now(), Time(1ms));
  EXPECT_FALSE(slow.done());
}

TEST(Loop, RunForProcessesEverythingDueAndSetsTheClockToTheHorizon) {
  Loop loop;
  std::vector<std::string> log;
  TaskHandle<> a = loop.Spawn(SleepThenRecord(loop, 3ms, log, "a"));
  TaskHandle<> b = loop.Spawn(SleepThenRecord(loop, 10ms, log, "b"));
  RunResult result = loop.RunFor(5ms);
  EXPECT_EQ(result.outcome, RunOutcome::kTimeReached);
  EXPECT_EQ(loop.Now(), Time(5ms));
  EXPECT_EQ(log, std::vector<std::string>{"a@t=3ms"});
  EXPECT_EQ(loop.RunFor(5ms).outcome, RunOutcome::kTimeReached);
  EXPECT_EQ(log, (std::vector<std::string>{"a@t=3ms", "b@t=10ms"}));
}

TEST(Loop, RunOnAnEmptyLoopIsIdle) {
  Loop loop;
  RunResult result = loop.Run();
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.outcome, RunOutcome::kIdle);
  EXPECT_EQ(result.steps, 0u);
}

TEST(Loop, SimultaneousTimersFireInAnOrderThatIsAChoice) {
  std::vector<std::string> first_orders;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    Loop loop({.seed = seed});
    std::vector<std::string> log;
    for (std::string name : {"a", "b", "c"}) {
      TaskHandle<> ignored = loop.Spawn(SleepThenRecord(loop, 1ms, log, name));
    }
    loop.Run();
    ASSERT_EQ(log.size(), 3u);
    first_orders.push_back(log[0] + log[1] + log[2]);
    bool saw_tie = false;
    for (const Choice& choice : loop.tape()) saw_tie |= choice.kind == ChoiceKind::kTimerTie;
    EXPECT_TRUE(saw_tie) << "seed " << seed;
  }
  std::sort(first_orders.begin(), first_orders.end());
  first_orders.erase(std::unique(first_orders.begin(), first_orders.end()), first_orders.end());
  EXPECT_GE(first_orders.size(), 3u) << "64 seeds should produce several orders";
}

TEST(Loop, AZeroTapeFiresSimultaneousTimersInTheOrderTheyWereSet) {
  TapeSource zeros({}, TapeSource::Mode::kStrict);
  Loop loop({.source = &zeros});
  std::vector<std::string> log;
  for (std::string name : {"a", "b", "c"}) {
    TaskHandle<> ignored = loop.Spawn(SleepThenRecord(loop, 1ms, log, name));
  }
  loop.Run();
  EXPECT_EQ(log, (std::vector<std::string>{"a@t=1ms", "b@t=1ms", "c@t=1ms"}));
}

Task<> Spinner(Loop& loop) {
  while (true) co_await loop.Yield();
}

TEST(Loop, TheStepBudgetEndsARunWithATypedResult) {
  Loop loop({.steps_max = 1000, .steps_per_instant_max = 1'000'000});
  TaskHandle<> spinner = loop.Spawn(Spinner(loop));
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kStepBudgetExhausted);
  EXPECT_EQ(result.steps, 1000u);
  EXPECT_FALSE(result.ok());
}

TEST(Loop, ACallbackThatReArmsItselfWithNoDelayIsASpinNotAHang) {
  Loop loop({.steps_per_instant_max = 1000});
  std::function<void()> again;
  again = [&] { loop.CallLater(0ns, again); };
  loop.CallLater(1ms, again);
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kSpin);
  EXPECT_THAT(result.message, HasSubstr("callback re-arming itself"));
}

TEST(Loop, CallbacksSpendTheStepBudget) {
  Loop loop({.steps_max = 1000});
  std::function<void()> again;
  again = [&] { loop.CallLater(1ns, again); };
  loop.CallLater(1ns, again);
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kStepBudgetExhausted);
  EXPECT_THAT(result.message, HasSubstr("1000 callbacks"));
}

TEST(Loop, RepeatedRunForIsNotMistakenForASpin) {
  Loop loop({.steps_per_instant_max = 50});
  Queue<int> queue(loop, 1000);
  auto consumer = [](Queue<int>& queue) -> Task<> {
    while ((co_await queue.Get()).ok()) {
    }
  };
  loop.Spawn(consumer(queue), SpawnOptions{.daemon = true});
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(queue.TryPut(i).ok());
    RunResult result = loop.RunFor(1ms);
    ASSERT_EQ(result.outcome, RunOutcome::kTimeReached) << i << ": " << result.ToString();
  }
}

TEST(Loop, DurationsSaturateInsteadOfOverflowing) {
  Loop loop;
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  bool woke = false;
  auto sleeper = [](Loop& loop, bool& woke) -> Task<> {
    co_await loop.Sleep(Duration::max());
    woke = true;
  };
  loop.Spawn(sleeper(loop, woke), SpawnOptions{.daemon = true});
  EXPECT_EQ(loop.RunFor(10h).outcome, RunOutcome::kTimeReached);
  EXPECT_FALSE(woke) << "a sleep of Duration::max() is forever, not a negative deadline";
  // Running "forever" reaches the end of LoopOptions::time_max, not a wrap.
  EXPECT_EQ(loop.RunFor(Duration::max()).outcome, RunOutcome::kTimeBudgetExhausted);
  EXPECT_FALSE(woke);
  EXPECT_EQ(AddSaturating(Time(1ms), Duration::max()), kTimeMax);
  EXPECT_EQ(AddSaturating(Time(1ms), -2ms), Time(-1ms));
}

TEST(Loop, DestroyingTheLoopCopesWithCallbacksWhoseCapturesCancelTimers) {
  struct CancelsOnDestruction {
    Loop* loop;
    TimerId* timer;
    ~CancelsOnDestruction() {
      loop->CancelTimer(*timer);
      loop->CallLater(1ms, [] {});
    }
  };
  TimerId other = 0;
  {
    Loop loop;
    other = loop.CallLater(5ms, [] {});
    auto guard = std::make_shared<CancelsOnDestruction>(CancelsOnDestruction{&loop, &other});
    loop.CallLater(1ms, [guard] {});
    loop.CallLater(2ms, [guard] {});
    guard.reset();
  }  // ~Loop destroys both callbacks; the last one's capture cancels and schedules
  SUCCEED();
}

TEST(Loop, SpinningWithoutTimeAdvancingIsDetected) {
  Loop loop({.steps_per_instant_max = 500});
  TaskHandle<> spinner = loop.Spawn(Spinner(loop), "spinner");
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kSpin);
  EXPECT_THAT(result.message, HasSubstr("without virtual time advancing"));
}

Task<> Sleeper(Loop& loop) {
  while (true) co_await loop.Sleep(1h);
}

TEST(Loop, TheVirtualTimeBudgetEndsARun) {
  Loop loop({.time_max = 10h});
  TaskHandle<> sleeper = loop.Spawn(Sleeper(loop));
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kTimeBudgetExhausted);
  EXPECT_EQ(loop.Now(), Time(10h));
  EXPECT_THAT(result.message, HasSubstr("time_max"));
}

Task<> AwaitForever(Future<int> future) { (void)co_await future; }

TEST(Loop, ABudgetFailureNamesTheUnfinishedTasks) {
  Loop loop({.steps_max = 200});
  Promise<int> never(loop, "never-set");
  TaskHandle<> stuck = loop.Spawn(AwaitForever(never.future()), "stuck");
  TaskHandle<> heartbeat =
      loop.Spawn(Sleeper(loop), SpawnOptions{.label = "heartbeat", .daemon = true});
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kStepBudgetExhausted);
  EXPECT_THAT(result.ToString(), HasSubstr("task #1 'stuck' waits on future #1 'never-set'"));
}

TEST(Loop, ADeadlockListsEveryBlockedTaskAndWhatItWaitsOn) {
  Loop loop;
  Promise<int> never(loop, "never-set");
  TaskHandle<> stuck = loop.Spawn(AwaitForever(never.future()), "stuck");
  RunResult result = loop.Run();
  ASSERT_EQ(result.outcome, RunOutcome::kDeadlock);
  ASSERT_EQ(result.blocked.size(), 1u);
  EXPECT_EQ(result.blocked[0].label, "stuck");
  EXPECT_THAT(result.blocked[0].waiting_on, HasSubstr("never-set"));
  EXPECT_THAT(result.ToString(), HasSubstr("task #1 'stuck' waits on future"));
}

TEST(Loop, BlockedDaemonsAreNotADeadlock) {
  Loop loop;
  Promise<int> never(loop);
  TaskHandle<> server =
      loop.Spawn(AwaitForever(never.future()), SpawnOptions{.label = "server", .daemon = true});
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kIdle);
}

TEST(Loop, RunEndsWhenOnlyDaemonsRemainEvenIfTheyKeepSleeping) {
  Loop loop;
  std::vector<std::string> log;
  TaskHandle<> heartbeat =
      loop.Spawn(Sleeper(loop), SpawnOptions{.label = "heartbeat", .daemon = true});
  TaskHandle<> client = loop.Spawn(SleepThenRecord(loop, 3ms, log, "client"));
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kIdle);
  EXPECT_EQ(loop.Now(), Time(3ms));
  EXPECT_FALSE(heartbeat.done());
  EXPECT_EQ(loop.live_non_daemons(), 0u);
}

TEST(Loop, RunKeepsGoingWhilePendingCallbacksMightSpawnWork) {
  Loop loop;
  std::vector<std::string> log;
  loop.CallLater(5ms, [&] { loop.Spawn(SleepThenRecord(loop, 1ms, log, "late")); });
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kIdle);
  EXPECT_EQ(log, std::vector<std::string>{"late@t=6ms"});
}

TEST(Loop, AnUnresolvableTargetIsADeadlockEvenWithOnlyDaemonsBlocked) {
  Loop loop;
  Promise<int> never(loop, "reply");
  TaskHandle<> server =
      loop.Spawn(AwaitForever(never.future()), SpawnOptions{.label = "server", .daemon = true});
  RunResult result = loop.RunUntilComplete(never.future());
  EXPECT_EQ(result.outcome, RunOutcome::kDeadlock);
  EXPECT_THAT(result.message, HasSubstr("'reply' is unresolved"));
}

TEST(Loop, AnExceptionNobodyAwaitsFailsTheRun) {
  Loop loop;
  auto thrower = [](Loop& loop) -> Task<> {
    co_await loop.Yield();
    throw std::logic_error("invariant broken");
  };
  loop.Spawn(thrower(loop), "worker");  // the handle is dropped at once
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kTaskFailed);
  EXPECT_THAT(result.message, HasSubstr("task #1 'worker' threw invariant broken"));
  EXPECT_NE(result.exception, nullptr);
}

TEST(Loop, StopEndsTheRunAndStaysStopped) {
  Loop loop;
  auto stopper = [](Loop& loop) -> Task<> {
    co_await loop.Sleep(1ms);
    loop.Stop("invariant 'x' failed");
    co_await loop.Sleep(1ms);
  };
  TaskHandle<> handle = loop.Spawn(stopper(loop));
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kStopped);
  EXPECT_EQ(result.message, "invariant 'x' failed");
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kStopped);
  EXPECT_TRUE(loop.stopped());
}

TEST(Loop, StepHooksRunAfterEveryStep) {
  Loop loop;
  int calls = 0;
  loop.AddStepHook([&] { ++calls; });
  auto yielder = [](Loop& loop) -> Task<> {
    for (int i = 0; i < 4; ++i) co_await loop.Yield();
  };
  TaskHandle<> handle = loop.Spawn(yielder(loop));
  loop.Run();
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(loop.steps(), 5u);
}

TEST(Loop, CallbacksRunAtTheirTimeAndCanBeCancelled) {
  Loop loop;
  std::vector<std::string> log;
  loop.CallLater(2ms, [&] { log.push_back("two@" + FormatTime(loop.Now())); });
  TimerId cancelled = loop.CallLater(1ms, [&] { log.push_back("cancelled"); });
  loop.CallAt(Time(3ms), [&] { log.push_back("three@" + FormatTime(loop.Now())); });
  EXPECT_TRUE(loop.CancelTimer(cancelled));
  EXPECT_FALSE(loop.CancelTimer(cancelled));
  EXPECT_TRUE(loop.Run().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"two@t=2ms", "three@t=3ms"}));
}

TEST(Loop, AStaleTimerIdNeverCancelsANewerTimerInTheSameSlot) {
  Loop loop;
  int fired = 0;
  TimerId first = loop.CallLater(1ms, [&] { ++fired; });
  ASSERT_TRUE(loop.Run().ok());
  TimerId second = loop.CallLater(1ms, [&] { ++fired; });  // reuses the slot
  EXPECT_NE(first, second);
  EXPECT_FALSE(loop.CancelTimer(first));
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(fired, 2);
}

TEST(Loop, RunUntilQuietAlsoRunsDaemonsUntilNothingIsPending) {
  Loop loop;
  std::vector<std::string> log;
  loop.Spawn(SleepThenRecord(loop, 4ms, log, "daemon"), SpawnOptions{.daemon = true});
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kIdle);
  EXPECT_TRUE(log.empty()) << "Run() does not wait for daemons";
  EXPECT_EQ(loop.RunUntilQuiet().outcome, RunOutcome::kIdle);
  EXPECT_EQ(log, std::vector<std::string>{"daemon@t=4ms"});
}

TEST(Loop, CountsLiveTasksPerGroup) {
  Loop loop;
  std::vector<std::string> log;
  loop.Spawn(SleepThenRecord(loop, 1ms, log, "a"), SpawnOptions{.group = 4});
  loop.Spawn(SleepThenRecord(loop, 1ms, log, "b"), SpawnOptions{.group = 4});
  loop.Spawn(SleepThenRecord(loop, 1ms, log, "c"), SpawnOptions{.group = 5});
  EXPECT_EQ(loop.live_tasks(4), 2u);
  EXPECT_EQ(loop.live_tasks(5), 1u);
  EXPECT_EQ(loop.live_tasks(6), 0u);
}

TEST(Loop, ACallbackCanCancelATimerDueAtTheSameInstant) {
  for (uint64_t seed = 0; seed < 16; ++seed) {
    Loop loop({.seed = seed});
    int fired = 0;
    TimerId first = 0;
    TimerId second = 0;
    first = loop.CallLater(1ms, [&] {
      ++fired;
      loop.CancelTimer(second);
    });
    second = loop.CallLater(1ms, [&] {
      ++fired;
      loop.CancelTimer(first);
    });
    loop.Run();
    EXPECT_EQ(fired, 1) << "whichever fires first cancels the other; seed " << seed;
  }
}

TEST(Loop, SpawnedTasksInheritTheSpawnersGroup) {
  Loop loop;
  uint32_t child_group = 99;
  auto child = [](Loop& loop, uint32_t& group) -> Task<> {
    group = loop.current_group();
    co_return;
  };
  auto parent = [](Loop& loop, uint32_t& group, decltype(child) make_child) -> Task<> {
    TaskHandle<> handle = loop.Spawn(make_child(loop, group));
    (void)co_await handle;
  };
  TaskHandle<> handle = loop.Spawn(parent(loop, child_group, child), SpawnOptions{.group = 7});
  loop.Run();
  EXPECT_EQ(child_group, 7u);
}

TEST(Loop, PausedGroupsRunOnlyAfterResume) {
  Loop loop;
  std::vector<std::string> log;
  TaskHandle<> a = loop.Spawn(SleepThenRecord(loop, 1ms, log, "a"), SpawnOptions{.group = 1});
  TaskHandle<> b = loop.Spawn(SleepThenRecord(loop, 2ms, log, "b"), SpawnOptions{.group = 2});
  loop.PauseGroup(1);
  EXPECT_EQ(loop.RunFor(5ms).outcome, RunOutcome::kTimeReached);
  EXPECT_EQ(log, std::vector<std::string>{"b@t=2ms"});
  loop.ResumeGroup(1);
  loop.Run();
  // a had not started when its group was paused; it starts at t=5ms.
  EXPECT_EQ(log, (std::vector<std::string>{"b@t=2ms", "a@t=6ms"}));
}

TEST(Loop, AllPausedWorkIsReportedAsADeadlockNotAHang) {
  Loop loop;
  std::vector<std::string> log;
  TaskHandle<> a = loop.Spawn(SleepThenRecord(loop, 1ms, log, "a"), SpawnOptions{.group = 3});
  loop.PauseGroup(3);
  RunResult result = loop.Run();
  ASSERT_EQ(result.outcome, RunOutcome::kDeadlock);
  EXPECT_THAT(result.blocked.at(0).waiting_on, HasSubstr("group 3"));
}

Task<> YieldThenRecord(Loop& loop, std::vector<std::string>& log, std::string name) {
  co_await loop.Yield();
  log.push_back(name);
}

TEST(Loop, AHeldTaskRunsOnlyOnceUnparkedWhateverItsGroup) {
  Loop loop;
  std::vector<std::string> log;
  TaskHandle<> checker = loop.Spawn(YieldThenRecord(loop, log, "checker"), "checker");
  TaskHandle<> writer = loop.Spawn(YieldThenRecord(loop, log, "writer"), "writer");
  EXPECT_TRUE(loop.ParkTask(checker.id()));
  EXPECT_TRUE(loop.IsHeld(checker.id()));
  loop.CallLater(1ms, [&] { loop.UnparkTask(checker.id()); });
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"writer", "checker"}));
  EXPECT_FALSE(loop.UnparkTask(checker.id()));  // ended
}

TEST(Loop, AHeldBlockedTaskParksWhenItWakesAndResumingItsGroupDoesNotFreeIt) {
  Loop loop;
  std::vector<std::string> log;
  TaskHandle<> sleeper = loop.Spawn(SleepThenRecord(loop, 1ms, log, "sleeper"),
                                    SpawnOptions{.label = "sleeper", .group = 4});
  EXPECT_EQ(loop.RunFor(std::chrono::microseconds(10)).outcome, RunOutcome::kTimeReached);
  loop.ParkTask(sleeper.id());  // blocked on its sleep now
  loop.PauseGroup(4);
  loop.ResumeGroup(4);
  EXPECT_EQ(loop.RunFor(5ms).outcome, RunOutcome::kTimeReached);
  EXPECT_TRUE(log.empty());
  RunResult stuck = loop.Run();
  ASSERT_EQ(stuck.outcome, RunOutcome::kDeadlock);
  EXPECT_THAT(stuck.blocked.at(0).waiting_on, HasSubstr("held by Loop::ParkTask"));
  loop.UnparkTask(sleeper.id());
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(log, std::vector<std::string>{"sleeper@t=5.01ms"});  // when it was unparked
}

TEST(Loop, HoldingTheRunningTaskTakesEffectWhenItSuspends) {
  Loop loop;
  std::vector<std::string> log;
  auto self_holding = [](Loop& loop, std::vector<std::string>& log) -> Task<> {
    loop.ParkTask(loop.current_task());
    log.push_back("before");
    co_await loop.Yield();
    log.push_back("after");
  };
  TaskHandle<> task = loop.Spawn(self_holding(loop, log));
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kDeadlock);
  EXPECT_EQ(log, std::vector<std::string>{"before"});
  loop.UnparkTask(task.id());
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(log, (std::vector<std::string>{"before", "after"}));
}

TEST(Loop, ChanceNeverDrawsForCertainOutcomesAndZeroMeansNo) {
  TapeSource zeros({}, TapeSource::Mode::kStrict);
  Loop loop({.source = &zeros});
  EXPECT_FALSE(loop.Chance(0, 10));
  EXPECT_TRUE(loop.Chance(10, 10));
  EXPECT_TRUE(loop.tape().empty());
  EXPECT_FALSE(loop.Chance(9, 10)) << "choice 0 is the least surprising outcome";
  EXPECT_EQ(loop.tape().size(), 1u);
}

TEST(Loop, ChooseWithOneOptionIsNotRecorded) {
  Loop loop({.seed = 3});
  EXPECT_EQ(loop.Choose(1), 0u);
  EXPECT_TRUE(loop.tape().empty());
  uint64_t value = loop.Choose(10);
  ASSERT_EQ(loop.tape().size(), 1u);
  EXPECT_EQ(loop.tape()[0], (Choice{ChoiceKind::kDraw, 10, value}));
}

TEST(Loop, ADivergentReplayStopsTheRunAndSaysWhere) {
  Tape tape = {{ChoiceKind::kDraw, 10, 3}, {ChoiceKind::kFault, 100, 7}};
  TapeSource source(tape, TapeSource::Mode::kStrict);
  Loop loop({.source = &source});
  EXPECT_EQ(loop.Choose(10, ChoiceKind::kDraw), 3u);
  EXPECT_EQ(loop.Choose(50, ChoiceKind::kFault), 0u) << "diverged: best effort is 0";
  RunResult result = loop.Run();
  EXPECT_EQ(result.outcome, RunOutcome::kDivergence);
  EXPECT_THAT(result.message, HasSubstr("choice #1: the tape has fault 7/100 but the program "
                                        "asked for fault (bound 50)"));
}

TEST(Loop, ADivergentReplayCanContinueBestEffort) {
  Tape tape = {{ChoiceKind::kFault, 100, 7}};
  TapeSource source(tape, TapeSource::Mode::kStrict);
  Loop loop({.source = &source, .stop_on_divergence = false});
  EXPECT_EQ(loop.Choose(50, ChoiceKind::kDraw), 0u) << "the tape's fault is not this draw";
  EXPECT_TRUE(loop.Run().ok());
  ASSERT_TRUE(source.divergence().has_value());
  EXPECT_EQ(source.divergence()->index, 0u);
}

}  // namespace
}  // namespace laplace
