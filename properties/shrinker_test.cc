// Proves the shrinker: candidates are always shortlex-smaller, shrinking keeps
// the failure's signature, reaches a tape with few preemptions, switches off
// faults whose absence shifts later choices (the realign pass), and the
// shrunk tape replays to the same failure and digest.
#include "properties/shrinker.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/runner.h"
#include "properties/sweep.h"

namespace laplace::properties {
namespace {

using namespace std::chrono_literals;

// `workers` tasks each increment a shared counter with a read, a yield and
// a write: a lost update needs one preemption between a read and its write.
Task<> Increment(Loop& loop, int& counter, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    int seen = counter;
    co_await loop.Yield();
    counter = seen + 1;
  }
}

Body LostUpdate(int workers, int rounds) {
  return [workers, rounds](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    for (int w = 0; w < workers; ++w) {
      sim.loop().Spawn(Increment(sim.loop(), *counter, rounds), "worker-" + std::to_string(w));
    }
    sim.Run();
    LAPLACE_ASSERT_EQ(*counter, workers * rounds);
  };
}

RunReport RunTape(const Body& body, const Tape& tape) {
  return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), {});
}

TEST(ShortlexLess, ComparesLengthFirstThenValues) {
  auto tape = [](std::initializer_list<uint64_t> values) {
    Tape t;
    for (uint64_t v : values) t.push_back({ChoiceKind::kDraw, 10, v});
    return t;
  };
  EXPECT_TRUE(ShortlexLess(tape({9}), tape({0, 0})));
  EXPECT_TRUE(ShortlexLess(tape({0, 5}), tape({1, 0})));
  EXPECT_FALSE(ShortlexLess(tape({1, 2}), tape({1, 2})));
  EXPECT_FALSE(ShortlexLess(tape({1, 3}), tape({1, 2})));
}

TEST(CandidateStream, EveryCandidateIsStrictlySmaller) {
  Tape current;
  for (uint64_t v : {3, 0, 7, 1, 0, 2, 9, 0, 4}) current.push_back({ChoiceKind::kSchedule, 10, v});
  CandidateStream stream(current);
  int count = 0;
  while (std::optional<Tape> candidate = stream.Next()) {
    Tape trimmed = *candidate;
    TrimTrailingZeros(trimmed);
    EXPECT_TRUE(ShortlexLess(trimmed, current)) << "candidate " << count;
    ++count;
  }
  EXPECT_GT(count, 20);
}

TEST(CandidateStream, AnEmptyTapeHasNoCandidates) {
  CandidateStream stream({});
  EXPECT_FALSE(stream.Next().has_value());
}

TEST(Shrink, FindsTheLostUpdateAndShrinksItToOnePreemption) {
  Body body = LostUpdate(/*workers=*/4, /*rounds=*/50);
  SweepResult found =
      Sweep([&](uint64_t seed) { return RunOnce(body, TapeSpec::Seed(seed), {}); }, {.seeds = 100});
  ASSERT_TRUE(found.failing_seed.has_value());
  const RunReport& failing = *found.report;
  ASSERT_GT(failing.tape.size(), 20u);

  ShrinkResult shrunk =
      Shrink([&](const Tape& tape) { return RunTape(body, tape); }, failing, {.budget = 20s});
  EXPECT_FALSE(shrunk.budget_exhausted);
  EXPECT_EQ(shrunk.report.failure->signature(), failing.failure->signature());
  // One preemption suffices; DESIGN.md allows 2k non-zero schedule entries.
  EXPECT_LE(NonZeroScheduleChoices(shrunk.tape), 2u) << shrunk.tape.size();
  EXPECT_LT(shrunk.tape.size(), failing.tape.size());

  // The shrunk tape reproduces exactly, strictly.
  RunReport replayed = RunOnce(body, TapeSpec::Replay(shrunk.tape, TapeSource::Mode::kStrict), {});
  ASSERT_TRUE(replayed.failed());
  EXPECT_EQ(replayed.failure->signature(), failing.failure->signature());
  EXPECT_EQ(replayed.digest, shrunk.report.digest);
  EXPECT_FALSE(replayed.divergence.has_value());
}

TEST(Shrink, NeverSlipsToADifferentFailure) {
  // Two bugs: the lost update, and an assertion that fires whenever worker 0
  // is preempted first. Shrinking from either keeps to its own.
  Body body = [](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    for (int w = 0; w < 3; ++w) sim.loop().Spawn(Increment(sim.loop(), *counter, 20));
    sim.AddInvariant("counter-small", [counter] { return *counter < 55; });
    sim.Run();
    LAPLACE_ASSERT_EQ(*counter, 60);
  };
  int checked = 0;
  for (uint64_t seed = 0; seed < 40 && checked < 5; ++seed) {
    RunReport report = RunOnce(body, TapeSpec::Seed(seed), {});
    if (!report.failed()) continue;
    ++checked;
    ShrinkResult shrunk =
        Shrink([&](const Tape& tape) { return RunTape(body, tape); }, report, {.budget = 10s});
    EXPECT_EQ(shrunk.report.failure->signature(), report.failure->signature()) << seed;
  }
  EXPECT_GT(checked, 0);
}

TEST(SimplerThan, CountsNonZeroChoicesFirstThenShortlex) {
  auto tape = [](std::initializer_list<uint64_t> values) {
    Tape t;
    for (uint64_t v : values) t.push_back({ChoiceKind::kDraw, 10, v});
    return t;
  };
  EXPECT_TRUE(SimplerThan(tape({0, 0, 0, 1}), tape({1, 1})));  // longer, but one surprise
  EXPECT_FALSE(SimplerThan(tape({1, 1}), tape({0, 0, 0, 1})));
  EXPECT_TRUE(SimplerThan(tape({9}), tape({0, 1})));  // as many: shortlex
  EXPECT_TRUE(SimplerThan(tape({0, 5}), tape({1, 0})));
  EXPECT_FALSE(SimplerThan(tape({1, 2}), tape({1, 2})));
}

TEST(Realign, RePlacesLaterValuesOnTheDrawsOfTheSameKindAndBound) {
  const Choice lost{ChoiceKind::kFault, 2, 1};
  const Tape current = {lost,
                        {ChoiceKind::kSchedule, 3, 2},
                        {ChoiceKind::kFault, 5, 4},
                        {ChoiceKind::kSchedule, 3, 1}};
  // With choice 0 switched off the run drew two delays first (a message
  // delivered instead of lost), then the rest in the same order.
  const Tape drawn = {{ChoiceKind::kFault, 2, 0},
                      {ChoiceKind::kDelay, 100, 0},
                      {ChoiceKind::kSchedule, 3, 4 % 3},
                      {ChoiceKind::kDelay, 100, 0},
                      {ChoiceKind::kFault, 5, 1}};
  Tape edited = current;
  edited[0].value = 0;
  const Tape expected = {{ChoiceKind::kFault, 2, 0},
                         {ChoiceKind::kDelay, 100, 0},   // no delay value to place
                         {ChoiceKind::kSchedule, 3, 2},  // the first schedule value
                         {ChoiceKind::kDelay, 100, 0},
                         {ChoiceKind::kFault, 5, 4},
                         // No draw took the second schedule value yet: it
                         // follows, so the next run can show where it goes.
                         {ChoiceKind::kSchedule, 3, 1}};
  EXPECT_EQ(Realign(edited, 0, drawn), expected);
}

// A message that is lost needs no delivery delays; one that is delivered
// draws three. The bug is a crash, drawn after the message, whatever
// happened to it: the loss is a surplus fault, but zeroing it by position
// puts the crash's value on a delay, and the run passes.
Body CrashAfterAMessage() {
  return [](Simulation& sim) {
    Loop& loop = sim.loop();
    if (!loop.Chance(1, 2, ChoiceKind::kFault)) {
      for (int i = 0; i < 3; ++i) loop.Choose(1000, ChoiceKind::kDelay);
    }
    LAPLACE_ASSERT(!loop.Chance(1, 7, ChoiceKind::kFault)) << "crashed";
  };
}

TEST(Shrink, SwitchesOffAFaultWhoseAbsenceAddsChoices) {
  Body body = CrashAfterAMessage();
  // Lost, then crashed: the tape has no delays.
  const Tape failing_tape = {{ChoiceKind::kFault, 2, 1}, {ChoiceKind::kFault, 7, 6}};
  RunReport failing = RunTape(body, failing_tape);
  ASSERT_TRUE(failing.failed());

  ShrinkResult by_position = Shrink([&](const Tape& tape) { return RunTape(body, tape); }, failing,
                                    {.budget = 10s, .realign = false});
  EXPECT_EQ(NonZeroOtherChoices(by_position.tape), 2u) << "the loss cannot go";

  ShrinkResult realigned =
      Shrink([&](const Tape& tape) { return RunTape(body, tape); }, failing, {.budget = 10s});
  EXPECT_EQ(realigned.report.failure->signature(), failing.failure->signature());
  EXPECT_EQ(NonZeroOtherChoices(realigned.tape), 1u) << "only the crash is left";
  EXPECT_EQ(realigned.tape.back(), (Choice{ChoiceKind::kFault, 7, 6}));
  // And it replays to the same failure.
  RunReport again = RunTape(body, realigned.tape);
  EXPECT_EQ(again.digest, realigned.report.digest);
}

// A nemesis ticks: each tick a message is lost or delivered (a delivered one
// draws two delays), then a crash may come. The bug is a crash after any
// loss, so the smallest counterexample is a loss and a crash in the first
// tick. Found later, the crash's value must move to an earlier tick past
// choices whose number depends on the losses.
Body CrashAfterALossAtSomeTick() {
  return [](Simulation& sim) {
    Loop& loop = sim.loop();
    int losses = 0;
    for (int tick = 0; tick < 8; ++tick) {
      if (loop.Chance(1, 2, ChoiceKind::kFault)) {
        ++losses;
      } else {
        loop.Choose(1000, ChoiceKind::kDelay);
        loop.Choose(1000, ChoiceKind::kDelay);
      }
      if (loop.Chance(1, 7, ChoiceKind::kFault)) {
        LAPLACE_ASSERT(losses == 0) << "crashed after a loss";
        return;
      }
    }
  };
}

TEST(Shrink, MovesAFaultToAnEarlierChoiceOfTheSameKind) {
  Body body = CrashAfterALossAtSomeTick();
  // Tick 0: lost. Ticks 1 and 2: delivered, with delays. Tick 3: delivered,
  // then the crash.
  const Tape failing_tape = {{ChoiceKind::kFault, 2, 1},    {ChoiceKind::kFault, 7, 0},  // 0
                             {ChoiceKind::kFault, 2, 0},    {ChoiceKind::kDelay, 1000, 5},
                             {ChoiceKind::kDelay, 1000, 7}, {ChoiceKind::kFault, 7, 0},  // 1
                             {ChoiceKind::kFault, 2, 0},    {ChoiceKind::kDelay, 1000, 9},
                             {ChoiceKind::kDelay, 1000, 2}, {ChoiceKind::kFault, 7, 0},  // 2
                             {ChoiceKind::kFault, 2, 0},    {ChoiceKind::kDelay, 1000, 3},
                             {ChoiceKind::kDelay, 1000, 1}, {ChoiceKind::kFault, 7, 6}};  // 3
  RunReport failing = RunTape(body, failing_tape);
  ASSERT_TRUE(failing.failed());

  ShrinkResult by_position = Shrink([&](const Tape& tape) { return RunTape(body, tape); }, failing,
                                    {.budget = 10s, .realign = false});
  ShrinkResult realigned =
      Shrink([&](const Tape& tape) { return RunTape(body, tape); }, failing, {.budget = 10s});
  EXPECT_EQ(realigned.report.failure->signature(), failing.failure->signature());
  const Tape smallest = {{ChoiceKind::kFault, 2, 1}, {ChoiceKind::kFault, 7, 6}};
  EXPECT_EQ(realigned.tape, smallest);
  EXPECT_GT(by_position.tape.size(), smallest.size()) << "the realign pass is what moves it";
}

TEST(Shrink, StopsAtTheBudget) {
  Body body = LostUpdate(4, 200);
  RunReport failing;
  for (uint64_t seed = 0; !failing.failed(); ++seed) {
    failing = RunOnce(body, TapeSpec::Seed(seed), {});
  }
  ShrinkResult shrunk =
      Shrink([&](const Tape& tape) { return RunTape(body, tape); }, failing, {.budget = 0ms});
  EXPECT_TRUE(shrunk.budget_exhausted);
  EXPECT_EQ(shrunk.tried, 0u);
  EXPECT_EQ(shrunk.tape, failing.tape);
}

TEST(Shrink, ReportsProgress) {
  Body body = LostUpdate(3, 30);
  RunReport failing;
  for (uint64_t seed = 0; !failing.failed(); ++seed) {
    failing = RunOnce(body, TapeSpec::Seed(seed), {});
  }
  int calls = 0;
  ShrinkResult shrunk = Shrink([&](const Tape& tape) { return RunTape(body, tape); }, failing,
                               {.progress = [&](const ShrinkProgress& p) {
                                 ++calls;
                                 EXPECT_THAT(FormatProgress(p), ::testing::HasSubstr("choices"));
                               }});
  EXPECT_GE(calls, static_cast<int>(shrunk.accepted));
}

}  // namespace
}  // namespace laplace::properties
