// Proves the Strategy interface's contract: decided picks land on the tape as the random walk's,
// a replay needs no strategy, the hooks see every run, step, block and wake, and the banner's
// user-written strategy works as written.
#include "loop/strategy.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/event.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The banner's example, as written there.
class NewestFirst final : public Strategy {
 public:
  std::string_view name() const override { return "newest-first"; }
  void OnRunStart(Loop&) override { steps_ = 0; }
  void OnStep(TaskId, const PendingOperation&) override { ++steps_; }
  size_t Pick(SchedulingPoint& point) override {
    return steps_ % 8 == 7 ? 0 : point.size() - 1;  // no choice drawn
  }

 private:
  uint64_t steps_ = 0;
};

// Three workers that each append their name and yield, `rounds` times.
Task<> Worker(Loop& loop, std::vector<std::string>& log, std::string name, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    log.push_back(name);
    co_await loop.Yield();
  }
}

struct Outcome {
  std::vector<std::string> log;
  Tape tape;
  uint64_t digest = 0;
  uint64_t preemptions = 0;
};

Outcome RunWorkers(LoopOptions options) {
  Outcome outcome;
  Loop loop(options);
  for (const char* name : {"a", "b", "c"}) {
    TaskHandle<> worker = loop.Spawn(Worker(loop, outcome.log, name, 3), name);
  }
  EXPECT_TRUE(loop.Run().ok());
  outcome.tape = loop.tape();
  outcome.digest = loop.digest();
  outcome.preemptions = loop.preemptions();
  return outcome;
}

TEST(Strategy, ADecidedPickIsOnTheTapeAsTheRandomWalksPick) {
  NewestFirst strategy;
  Outcome decided = RunWorkers({.seed = 5, .strategy = &strategy});
  ASSERT_FALSE(decided.tape.empty());
  for (const Choice& choice : decided.tape) {
    EXPECT_EQ(choice.kind, ChoiceKind::kSchedule);
    EXPECT_LT(choice.value, choice.bound);
  }
  // The newest task first: c, then b (c yields and is preempted by the newest other), ...
  EXPECT_EQ(decided.log.front(), "c");
  EXPECT_GT(decided.preemptions, 0u);
}

TEST(Strategy, AReplayNeedsNoStrategyAndReproducesTheRunExactly) {
  NewestFirst strategy;
  Outcome decided = RunWorkers({.seed = 5, .strategy = &strategy});
  TapeSource replay(decided.tape, TapeSource::Mode::kStrict);
  Outcome replayed = RunWorkers({.source = &replay});  // the random walk
  EXPECT_EQ(replayed.log, decided.log);
  EXPECT_EQ(replayed.digest, decided.digest);
  EXPECT_EQ(replayed.preemptions, decided.preemptions);
  EXPECT_FALSE(replay.divergence().has_value());

  // And a strategy given to a replay is ignored: the tape decides.
  TapeSource again(decided.tape, TapeSource::Mode::kStrict);
  NewestFirst other;
  Outcome ignored = RunWorkers({.source = &again, .strategy = &other});
  EXPECT_EQ(ignored.digest, decided.digest);
}

TEST(Strategy, TheRandomWalkCountsPreemptionsOnlyWhenTheYielderCouldGoOn) {
  Tape tape = {{ChoiceKind::kSchedule, 3, 0}, {ChoiceKind::kSchedule, 3, 2}};
  TapeSource source(tape, TapeSource::Mode::kLenient);
  Outcome outcome = RunWorkers({.source = &source});
  // The first pick (no task has run yet) is no preemption whatever it is; the second, 2 of 3
  // with a yielder, is one.
  EXPECT_EQ(outcome.preemptions, 1u);
}

// Records every hook call as a line.
class Recorder final : public Strategy {
 public:
  explicit Recorder(bool single) : single_(single) {}
  std::string_view name() const override { return "recorder"; }
  void OnRunStart(Loop& loop) override {
    log.push_back("start seed=" + std::to_string(loop.seed()));
  }
  void OnRunEnd(const Loop& loop) override {
    log.push_back("end steps=" + std::to_string(loop.steps()));
  }
  void OnSpawn(Loop&, TaskId task) override { log.push_back("spawn " + std::to_string(task)); }
  void OnFinish(TaskId task) override { log.push_back("finish " + std::to_string(task)); }
  void OnStep(TaskId task, const PendingOperation& operation) override {
    log.push_back("step " + std::to_string(task) + " " + std::string(WaitKindName(operation.kind)));
  }
  void OnBlock(TaskId task, const PendingOperation& on) override {
    log.push_back("block " + std::to_string(task) + " " + std::string(WaitKindName(on.kind)));
  }
  void OnWake(TaskId task) override { log.push_back("wake " + std::to_string(task)); }
  bool consults_single_candidate() const override { return single_; }
  size_t Pick(SchedulingPoint& point) override {
    log.push_back("pick of " + std::to_string(point.size()));
    return 0;
  }

  std::vector<std::string> log;

 private:
  bool single_;
};

Task<> Waiter(Event& event) { co_await event.Wait(); }
Task<> Setter(Loop& loop, Event& event) {
  co_await loop.Yield();
  event.Set();
}

void RunWaiterAndSetter(Strategy& strategy) {
  Loop loop({.seed = 9, .strategy = &strategy});
  Event event(loop, "go");
  TaskHandle<> waiter = loop.Spawn(Waiter(event), "waiter");
  TaskHandle<> setter = loop.Spawn(Setter(loop, event), "setter");
  ASSERT_TRUE(loop.Run().ok());
}

TEST(Strategy, TheHooksSeeTheRunItsStepsBlocksAndWakes) {
  Recorder recorder(/*single=*/false);
  RunWaiterAndSetter(recorder);
  EXPECT_THAT(recorder.log,
              ElementsAre("start seed=9", "spawn 1", "spawn 2", "pick of 2", "step 1 start",
                          "block 1 event", "step 2 start", "step 2 yield", "wake 1", "finish 2",
                          "step 1 event", "finish 1", "end steps=4"));
}

TEST(Strategy, AStrategyCanBeConsultedAtSingleCandidatePoints) {
  Recorder recorder(/*single=*/true);
  RunWaiterAndSetter(recorder);
  int picks = 0;
  for (const std::string& line : recorder.log) picks += line.rfind("pick of ", 0) == 0 ? 1 : 0;
  EXPECT_EQ(picks, 4);  // one per step, "pick of 1" included
  EXPECT_THAT(recorder.log, ::testing::Contains("pick of 1"));
}

TEST(Strategy, AReplayCallsNoHook) {
  Recorder recorder(/*single=*/true);
  TapeSource replay({}, TapeSource::Mode::kStrict);
  std::vector<std::string> log;
  Loop loop({.source = &replay, .strategy = &recorder});
  TaskHandle<> a = loop.Spawn(Worker(loop, log, "a", 2));
  TaskHandle<> b = loop.Spawn(Worker(loop, log, "b", 2));
  EXPECT_TRUE(loop.Run().ok());
  EXPECT_TRUE(recorder.log.empty());
}

TEST(PendingOperation, ConflictsWhenBothTouchTheSameThingOrEitherIsUnknown) {
  PendingOperation lock3{WaitKind::kLock, 3};
  PendingOperation queue3{WaitKind::kQueueGet, 3};  // the same object id space
  PendingOperation lock4{WaitKind::kLock, 4};
  PendingOperation join3{WaitKind::kJoin, 3};  // task 3: another space
  PendingOperation bare{WaitKind::kYield, 0};
  PendingOperation start{WaitKind::kStart, 0};
  EXPECT_TRUE(lock3.ConflictsWith(queue3));
  EXPECT_FALSE(lock3.ConflictsWith(lock4));
  EXPECT_FALSE(lock3.ConflictsWith(join3));
  EXPECT_TRUE(lock3.ConflictsWith(bare));
  EXPECT_TRUE(start.ConflictsWith(lock4));
  EXPECT_FALSE(bare.known());
}

// Always runs the last candidate (so tasks alternate), and keeps the known targets it saw.
class NamedYieldWatcher final : public Strategy {
 public:
  std::string_view name() const override { return "watcher"; }
  size_t Pick(SchedulingPoint& point) override {
    for (size_t i = 0; i < point.size(); ++i) {
      if (point.pending(i).known()) targets.insert(point.pending(i).target);
    }
    return point.size() - 1;
  }
  std::set<uint64_t> targets;
};

Task<> TouchesNamed(Loop& loop, std::string resource) {
  co_await loop.Yield(resource);
  co_await loop.Yield(resource);
}

TEST(Strategy, ANamedYieldTellsTheStrategyAndTheTraceWhatTheTaskWillTouch) {
  NamedYieldWatcher watcher;
  Loop loop({.strategy = &watcher, .trace = {.keep_all = true}});
  TaskHandle<> a = loop.Spawn(TouchesNamed(loop, "balance"), "a");
  TaskHandle<> b = loop.Spawn(TouchesNamed(loop, "audit"), "b");
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(watcher.targets.size(), 2u);  // a yields to touch balance, b to touch audit
  std::string trace = loop.FormatTrace(loop.trace().events());
  EXPECT_THAT(trace, HasSubstr("a yields (to touch 'balance')"));
  EXPECT_THAT(trace, HasSubstr("b resumed after yield (to touch 'audit')"));
}

TEST(StrategyConfig, KeepsItsParametersSortedAndPrintsThem) {
  StrategyConfig config{"pct", {}};
  config.Set("steps", 120);
  config.Set("depth", 3);
  config.Set("steps", 90);
  EXPECT_EQ(config.ToString(), "pct:depth=3,steps=90");
  EXPECT_EQ(config.Get("depth"), 3);
  EXPECT_FALSE(config.Get("seed").has_value());
  EXPECT_EQ(StrategyConfig{"pos"}.ToString(), "pos");
}

}  // namespace
}  // namespace laplace
