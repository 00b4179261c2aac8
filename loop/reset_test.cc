// Proves Loop::Reset: a reset Loop behaves exactly as a new Loop with the same options (digest,
// tape, trace, outcome, counts, frame bytes), across thousands of seeds of programs that fail,
// cancel, deadlock, fire timers and run out of budgets mid-run, with one Loop reused throughout;
// and what Reset does to what the last run left (tasks, handles, objects, hooks).
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/internal/frame_ledger.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/counted.h"

namespace laplace {
namespace {

using namespace std::chrono_literals;

// ---- Programs: their state lives in the frames (shared_ptr), so a run may end with tasks left
// (a deadlock, a budget) and the Loop's teardown still destroys them safely. ----

struct Accounts {
  explicit Accounts(Loop& loop) : a(loop, "a"), b(loop, "b") {}
  Lock a, b;
  int balance = 0;
};

Task<> Transfer(Loop& loop, std::shared_ptr<Accounts> accounts, bool a_first, int amount) {
  Lock& first = a_first ? accounts->a : accounts->b;
  Lock& second = a_first ? accounts->b : accounts->a;
  LockGuard one = co_await first.Acquire();
  const int read = accounts->balance;
  co_await loop.Yield("balance");
  co_await loop.Sleep(Duration(1'000 * static_cast<int64_t>(loop.Choose(3))));
  LockGuard two = co_await second.Acquire();
  accounts->balance = read + amount;
}

// Locks taken in both orders: some seeds deadlock with tasks left blocked.
RunResult LocksAndDeadlocks(Loop& loop) {
  auto accounts = std::make_shared<Accounts>(loop);
  const int tasks = 2 + static_cast<int>(loop.Choose(3));
  for (int i = 0; i < tasks; ++i) {
    loop.Spawn(Transfer(loop, accounts, i % 2 == 0, i + 1), "transfer-" + std::to_string(i));
  }
  return loop.Run();
}

Task<int> Sleeper(Loop& loop, Duration nap) {
  co_await loop.Sleep(nap);
  co_await loop.Yield();
  co_return 1;
}

Task<> Joiner(Loop& loop, TaskHandle<int> sleeper) {
  Result<int> result = co_await sleeper;
  loop.Note(result.ok() ? "joined" : "joined a cancelled task");
}

// Sleeps with tied deadlines, callbacks that cancel tasks and timers, a group paused and
// resumed, a run to a horizon and then to the end.
RunResult TimersAndCancellation(Loop& loop) {
  std::vector<TaskHandle<int>> sleepers;
  for (int i = 0; i < 4; ++i) {
    const Duration nap = Duration(1'000'000 * static_cast<int64_t>(loop.Choose(3)));
    sleepers.push_back(
        loop.Spawn(Sleeper(loop, nap), SpawnOptions{.label = "sleeper", .group = 1u + i % 2}));
  }
  loop.Spawn(Joiner(loop, sleepers[0]), "joiner");
  const TimerId late = loop.CallLater(5ms, [&loop] { loop.Note("late callback"); });
  loop.CallLater(Duration(1'000'000 * static_cast<int64_t>(loop.Choose(2))),
                 [&loop, victim = sleepers[0], late] {
                   victim.Cancel();
                   loop.CancelTimer(late);
                 });
  if (loop.Chance(1, 2)) loop.PauseGroup(2);
  RunResult result = loop.RunFor(1ms);
  loop.ResumeGroup(2);
  if (loop.Chance(1, 3)) loop.CancelGroup(1, absl::CancelledError("group 1 crashed"));
  if (result.ok()) result = loop.Run();
  return result;
}

Task<> Thrower(Loop& loop) {
  co_await loop.Yield();
  throw std::runtime_error("boom");
}

Task<> Catcher(Loop& loop, TaskHandle<> thrower) {
  try {
    (void)co_await thrower;
  } catch (const std::runtime_error&) {
    loop.Note("caught");
  }
}

Task<> Spinner(Loop& loop) {
  while (true) co_await loop.Yield();
}

// A task failure nobody observes (a sticky failure), one that is caught, or a Stop from a
// step hook, with a spinner left running.
RunResult Failures(Loop& loop) {
  loop.Spawn(Spinner(loop), SpawnOptions{.label = "spinner", .daemon = true});
  switch (loop.Choose(3)) {
    case 0:
      loop.Spawn(Thrower(loop), "thrower");
      break;
    case 1:
      loop.Spawn(Catcher(loop, loop.Spawn(Thrower(loop), "thrower")), "catcher");
      break;
    default:
      loop.AddStepHook([&loop] {
        if (loop.steps() == 7) loop.Stop("an invariant failed at step 7");
      });
      loop.Spawn(Sleeper(loop, 1ms), "sleeper");
      break;
  }
  return loop.Run();
}

Task<> Spawner(Loop& loop) {
  for (int i = 0; i < 100; ++i) {
    loop.Spawn(Sleeper(loop, 1ms), "child");
    co_await loop.Yield();
  }
}

// Run with small budgets (see OptionsFor): the step, task or frame budget runs out mid-run.
RunResult Budgets(Loop& loop) {
  loop.Spawn(Spawner(loop), "spawner");
  loop.Spawn(Spinner(loop), "spinner");
  return loop.Run();
}

using Program = RunResult (*)(Loop&);

struct Case {
  const char* name;
  Program program;
};

const Case kCases[] = {{"locks_and_deadlocks", LocksAndDeadlocks},
                       {"timers_and_cancellation", TimersAndCancellation},
                       {"failures", Failures},
                       {"budgets", Budgets}};

// The options of a seed: budgets and trace settings vary, so Reset must apply them all.
LoopOptions OptionsFor(const Case& c, uint64_t seed) {
  LoopOptions options{.seed = seed};
  options.trace.tail_capacity = 16 + seed % 3 * 24;
  options.trace.keep_all = seed % 7 == 0;
  if (c.program == Budgets) {
    switch (seed % 3) {
      case 0:
        options.steps_max = 10 + seed % 50;
        break;
      case 1:
        options.tasks_max = 3 + seed % 5;
        break;
      default:
        options.frame_bytes_max = 2'000 + seed % 7 * 500;
        break;
    }
  }
  return options;
}

// Everything a caller can observe of a run.
struct Observed {
  RunResult result;
  std::string blocked;
  uint64_t digest = 0;
  Tape tape;
  std::string trace;
  uint64_t event_count = 0;
  uint64_t preemptions = 0;
  uint64_t callbacks = 0;
  uint64_t frame_bytes = 0;
  size_t live_tasks = 0;
  uint64_t broken_promises = 0;
  std::string labels;
  bool stopped = false;
};

Observed Observe(Loop& loop, Program program) {
  Observed seen;
  seen.result = program(loop);
  for (const BlockedTask& task : seen.result.blocked) {
    seen.blocked += std::to_string(task.id) + " " + task.label + " " + task.waiting_on + "\n";
  }
  seen.digest = loop.digest();
  seen.tape = loop.tape();
  seen.trace = loop.FormatTrace(loop.trace().events());
  seen.event_count = loop.trace().event_count();
  seen.preemptions = loop.preemptions();
  seen.callbacks = loop.callbacks_fired();
  seen.frame_bytes = loop.frame_bytes();
  seen.live_tasks = loop.live_tasks();
  seen.broken_promises = loop.broken_promises();
  for (const auto& [id, label] : loop.task_labels()) seen.labels += std::to_string(id) + label;
  seen.stopped = loop.stopped();
  return seen;
}

void ExpectSame(const Observed& fresh, const Observed& reset, const std::string& where) {
  EXPECT_EQ(fresh.result.outcome, reset.result.outcome) << where;
  EXPECT_EQ(fresh.result.message, reset.result.message) << where;
  EXPECT_EQ(fresh.result.time, reset.result.time) << where;
  EXPECT_EQ(fresh.result.steps, reset.result.steps) << where;
  EXPECT_EQ(fresh.blocked, reset.blocked) << where;
  EXPECT_EQ(fresh.digest, reset.digest) << where;
  EXPECT_EQ(fresh.tape, reset.tape) << where;
  EXPECT_EQ(fresh.trace, reset.trace) << where;
  EXPECT_EQ(fresh.event_count, reset.event_count) << where;
  EXPECT_EQ(fresh.preemptions, reset.preemptions) << where;
  EXPECT_EQ(fresh.callbacks, reset.callbacks) << where;
  EXPECT_EQ(fresh.frame_bytes, reset.frame_bytes) << where;
  EXPECT_EQ(fresh.live_tasks, reset.live_tasks) << where;
  EXPECT_EQ(fresh.broken_promises, reset.broken_promises) << where;
  EXPECT_EQ(fresh.labels, reset.labels) << where;
  EXPECT_EQ(fresh.stopped, reset.stopped) << where;
}

TEST(Reset, AResetLoopRunsEveryProgramExactlyAsAFreshLoopAcrossThousandsOfSeeds) {
  Loop reused;
  std::vector<RunOutcome> outcomes;
  for (uint64_t seed = 0; seed < 1200; ++seed) {
    for (const Case& c : kCases) {  // interleaved: each run follows a different program's
      const std::string where = std::string(c.name) + " seed " + std::to_string(seed);
      Observed fresh;
      {
        Loop loop(OptionsFor(c, seed));
        fresh = Observe(loop, c.program);
      }
      reused.Reset(OptionsFor(c, seed));
      ExpectSame(fresh, Observe(reused, c.program), where);
      outcomes.push_back(fresh.result.outcome);
      if (::testing::Test::HasFailure()) return;  // one report, not thousands
    }
  }
  // The programs reach what they are for.
  using ::testing::Contains;
  EXPECT_THAT(outcomes, Contains(RunOutcome::kIdle));
  EXPECT_THAT(outcomes, Contains(RunOutcome::kDeadlock));
  EXPECT_THAT(outcomes, Contains(RunOutcome::kTaskFailed));
  EXPECT_THAT(outcomes, Contains(RunOutcome::kStopped));
  EXPECT_THAT(outcomes, Contains(RunOutcome::kStepBudgetExhausted));
  EXPECT_THAT(outcomes, Contains(RunOutcome::kTaskBudgetExhausted));
  EXPECT_THAT(outcomes, Contains(RunOutcome::kFrameBudgetExhausted));
}

TEST(Reset, AReplayOnAResetLoopMatchesTheRecordedRun) {
  Loop reused;
  for (uint64_t seed = 0; seed < 1000; ++seed) {
    Loop recorded({.seed = seed});
    const Observed original = Observe(recorded, LocksAndDeadlocks);
    TapeSource fresh_source(original.tape, TapeSource::Mode::kStrict);
    Observed fresh;
    {
      Loop loop({.source = &fresh_source});
      fresh = Observe(loop, LocksAndDeadlocks);
    }
    TapeSource reset_source(original.tape, TapeSource::Mode::kStrict);
    reused.Reset({.source = &reset_source});
    const Observed replayed = Observe(reused, LocksAndDeadlocks);
    ExpectSame(fresh, replayed, "seed " + std::to_string(seed));
    EXPECT_EQ(replayed.digest, original.digest) << "seed " << seed;
    EXPECT_FALSE(reset_source.divergence().has_value()) << "seed " << seed;
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(Reset, DestroysTheTasksLeftAsTheDestructorWouldAndResolvesTheirHandles) {
  testing::Counts counts;
  Loop loop({.seed = 3});
  auto frames_before = internal::LiveFrameBytes();
  auto lock = std::make_unique<Lock>(loop, "left held");
  TaskHandle<int> sleeper = loop.Spawn(Sleeper(loop, 1h), "sleeper");
  loop.Spawn([](Loop& loop, testing::Counts& counts) -> Task<> {
    testing::Counted alive(counts);
    co_await loop.Sleep(1h);
  }(loop, counts), "counted");
  ASSERT_TRUE(loop.RunFor(1ms).ok());
  EXPECT_EQ(counts.alive(), 1);
  loop.Reset({.seed = 4});
  EXPECT_EQ(counts.alive(), 0) << "the frame was destroyed";
  EXPECT_EQ(internal::LiveFrameBytes(), frames_before);
  ASSERT_TRUE(sleeper.done());
  EXPECT_TRUE(absl::IsCancelled(sleeper.result().status()));
  EXPECT_EQ(loop.live_tasks(), 0u);
  EXPECT_EQ(loop.Now(), Time());
  EXPECT_EQ(loop.steps(), 0u);
  EXPECT_EQ(loop.trace().event_count(), 0u);
  EXPECT_TRUE(loop.task_labels().empty());
  lock.reset();  // detached by the Reset: destroying it later touches nothing
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kIdle);
}

TEST(Reset, ForgetsStepHooksStopsAndPausedGroups) {
  Loop loop;
  int hook_calls = 0;
  loop.AddStepHook([&hook_calls] { ++hook_calls; });
  loop.PauseGroup(5);
  loop.Stop("stopped before the reset");
  loop.Reset();
  EXPECT_FALSE(loop.stopped());
  EXPECT_FALSE(loop.IsPaused(5));
  loop.Spawn(Sleeper(loop, 1ms), SpawnOptions{.label = "sleeper", .group = 5});
  EXPECT_EQ(loop.Run().outcome, RunOutcome::kIdle);
  EXPECT_EQ(hook_calls, 0);
}

TEST(Reset, MakesTheResetLoopTheOneChargedForNewFramesAgain) {
  Loop reused;
  Loop newer;  // newer than `reused`, so in charge of frames made now
  reused.Reset({.frame_bytes_max = 64});
  // Reset made `reused` the newest again: its 64-byte budget refuses the next frame.
  EXPECT_THROW((void)Sleeper(reused, 1ms), BudgetExceeded);
  EXPECT_EQ(reused.Run().outcome, RunOutcome::kFrameBudgetExhausted);
}

}  // namespace
}  // namespace laplace
