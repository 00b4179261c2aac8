// Proves the shrinker: it keeps the failure's signature, reaches the fewest
// preemptions, switches off faults whose absence changes how many choices
// follow (streams keep the rest in place), bounds every candidate by what the
// failing run needed, counts what it did right, and the shrunk tape replays
// to the same failure and digest.
#include "properties/shrinker.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/future.h"
#include "base/strings.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/runner.h"
#include "properties/sweep.h"

namespace laplace::properties {
namespace {

using namespace std::chrono_literals;
using ::laplace::internal::Cat;

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

RunReport RunTape(const Body& body, const Tape& tape, const RunBound& bound = {}) {
  RunOptions options;
  options.bound = bound;
  return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), options);
}

// The shrinker's runner for `body`.
TapeRunner Runner(const Body& body) {
  return [body](const Tape& tape, const RunBound& bound) { return RunTape(body, tape, bound); };
}

RunReport FirstFailingSeed(const Body& body) {
  for (uint64_t seed = 0;; ++seed) {
    RunReport report = RunOnce(body, TapeSpec::Seed(seed), {});
    if (report.failed()) return report;
  }
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

TEST(SimplerRun, CountsNonZeroChoicesThenPreemptionsThenShortlex) {
  auto run = [](std::initializer_list<uint64_t> values, uint64_t preemptions) {
    RunReport report;
    for (uint64_t v : values) report.tape.push_back({ChoiceKind::kSchedule, 10, v});
    report.preemptions = preemptions;
    return report;
  };
  EXPECT_TRUE(SimplerRun(run({0, 0, 0, 1}, 1), run({1, 1}, 0)));  // longer, but one surprise
  EXPECT_TRUE(SimplerRun(run({0, 9}, 0), run({1, 0}, 1)));        // as many: fewer preemptions
  EXPECT_TRUE(SimplerRun(run({0, 5}, 1), run({1, 0}, 1)));        // then shortlex
  EXPECT_FALSE(SimplerRun(run({1, 2}, 1), run({1, 2}, 1)));
}

TEST(Shrink, FindsTheLostUpdateAndShrinksItToOnePreemption) {
  Body body = LostUpdate(/*workers=*/4, /*rounds=*/50);
  SweepResult found =
      Sweep([&](uint64_t seed) { return RunOnce(body, TapeSpec::Seed(seed), {}); }, {.seeds = 100});
  ASSERT_TRUE(found.failing_seed.has_value());
  const RunReport& failing = *found.report;
  ASSERT_GT(failing.tape.size(), 20u);

  ShrinkResult shrunk = Shrink(Runner(body), failing, {.budget = 20s});
  EXPECT_FALSE(shrunk.budget_exhausted);
  EXPECT_EQ(shrunk.report.failure->signature(), failing.failure->signature());
  EXPECT_EQ(shrunk.report.preemptions, 1u);
  EXPECT_EQ(NonZeroScheduleChoices(shrunk.tape), 1u) << shrunk.tape.size();
  EXPECT_LT(shrunk.tape.size(), failing.tape.size());

  // The shrunk tape reproduces exactly, strictly.
  RunReport replayed = RunOnce(body, TapeSpec::Replay(shrunk.tape, TapeSource::Mode::kStrict), {});
  ASSERT_TRUE(replayed.failed());
  EXPECT_EQ(replayed.failure->signature(), failing.failure->signature());
  EXPECT_EQ(replayed.digest, shrunk.report.digest);
  EXPECT_EQ(replayed.preemptions, 1u);
  EXPECT_FALSE(replayed.divergence.has_value());
}

TEST(Shrink, NeverSlipsToADifferentFailure) {
  // Two bugs: the lost update, and an invariant that fails once the counter
  // passes 55. Shrinking from either keeps to its own.
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
    ShrinkResult shrunk = Shrink(Runner(body), report, {.budget = 10s});
    EXPECT_EQ(shrunk.report.failure->signature(), report.failure->signature()) << seed;
  }
  EXPECT_GT(checked, 0);
}

// A message that is lost needs no delivery delays; one that is delivered
// draws three, on the message's own stream. The bug is a crash, drawn on a
// stream of its own after the message, whatever happened to it: the loss is
// a surplus fault, and switching it off moves no other value.
Body CrashAfterAMessage() {
  return [](Simulation& sim) {
    Loop& loop = sim.loop();
    const Stream message = Stream::Named("net a->b put");
    if (!loop.Chance(1, 2, ChoiceKind::kFault, message)) {
      for (int i = 0; i < 3; ++i) loop.Choose(1000, ChoiceKind::kDelay, message);
    }
    LAPLACE_ASSERT(!loop.Chance(1, 7, ChoiceKind::kFault, Stream::Named("crash"))) << "crashed";
  };
}

TEST(Shrink, SwitchesOffAFaultWhoseAbsenceAddsChoices) {
  Body body = CrashAfterAMessage();
  // Lost, then crashed: the tape has no delays.
  const Tape failing_tape = {{ChoiceKind::kFault, 2, 1, Stream::Named("net a->b put").id},
                             {ChoiceKind::kFault, 7, 6, Stream::Named("crash").id}};
  RunReport failing = RunTape(body, failing_tape);
  ASSERT_TRUE(failing.failed());

  ShrinkResult shrunk = Shrink(Runner(body), failing, {.budget = 10s});
  EXPECT_EQ(shrunk.report.failure->signature(), failing.failure->signature());
  EXPECT_EQ(NonZeroOtherChoices(shrunk.tape), 1u) << "only the crash is left";
  EXPECT_EQ(shrunk.tape.back(), failing_tape.back());
  EXPECT_EQ(shrunk.stats.progress.at("zero"), 1u) << "one plain zeroing did it";
  RunReport again = RunTape(body, shrunk.tape);
  EXPECT_EQ(again.digest, shrunk.report.digest);
}

// A nemesis ticks: each tick a message is lost or delivered (a delivered one
// draws two delays), then a crash may come, each on the tick's own streams.
// The bug is a crash after any loss, so the smallest counterexample is a
// loss and a crash in the first tick. Found later, the crash's value must
// move to an earlier tick.
Body CrashAfterALossAtSomeTick() {
  return [](Simulation& sim) {
    Loop& loop = sim.loop();
    int losses = 0;
    for (uint64_t tick = 0; tick < 8; ++tick) {
      const Stream message = Stream::Named("message", tick);
      if (loop.Chance(1, 2, ChoiceKind::kFault, message)) {
        ++losses;
      } else {
        loop.Choose(1000, ChoiceKind::kDelay, message);
        loop.Choose(1000, ChoiceKind::kDelay, message);
      }
      if (loop.Chance(1, 7, ChoiceKind::kFault, Stream::Named("crash", tick))) {
        LAPLACE_ASSERT(losses == 0) << "crashed after a loss";
        return;
      }
    }
  };
}

TEST(Shrink, MovesAFaultToAnEarlierChoiceOfTheSameKind) {
  Body body = CrashAfterALossAtSomeTick();
  auto message = [](uint64_t tick) { return Stream::Named("message", tick).id; };
  auto crash = [](uint64_t tick) { return Stream::Named("crash", tick).id; };
  // Tick 0: lost. Ticks 1 and 2: delivered, with delays. Tick 3: delivered,
  // then the crash.
  Tape failing_tape = {{ChoiceKind::kFault, 2, 1, message(0)},
                       {ChoiceKind::kFault, 7, 0, crash(0)}};
  for (uint64_t tick = 1; tick <= 3; ++tick) {
    failing_tape.push_back({ChoiceKind::kFault, 2, 0, message(tick)});
    failing_tape.push_back({ChoiceKind::kDelay, 1000, 5 + tick, message(tick)});
    failing_tape.push_back({ChoiceKind::kDelay, 1000, 7, message(tick)});
    failing_tape.push_back({ChoiceKind::kFault, 7, tick == 3 ? 6u : 0u, crash(tick)});
  }
  RunReport failing = RunTape(body, failing_tape);
  ASSERT_TRUE(failing.failed());

  ShrinkResult shrunk = Shrink(Runner(body), failing, {.budget = 10s});
  EXPECT_EQ(shrunk.report.failure->signature(), failing.failure->signature());
  const Tape smallest = {{ChoiceKind::kFault, 2, 1, message(0)},
                         {ChoiceKind::kFault, 7, 6, crash(0)}};
  EXPECT_EQ(shrunk.tape, smallest);
}

// A sender spawns three messages, each a task that yields once "on the
// wire" and then is applied; the receiver applies them as they come. Out of
// order needs no preemption: once the sender has finished, picking message 2
// or 3 first is free. A preempting pick (message 2 run while the sender
// could go on) fails the same way with the same one non-zero choice.
using Applied = std::shared_ptr<std::vector<int>>;

Task<> Transmit(Loop& loop, Applied applied, int sequence) {
  co_await loop.Yield();
  applied->push_back(sequence);
}

Task<> Sender(Loop& loop, Applied applied) {
  for (int sequence = 1; sequence <= 3; ++sequence) {
    loop.Spawn(Transmit(loop, applied, sequence), "message");
    co_await loop.Yield();
  }
}

Body MessagesAppliedAsTheyCome() {
  return [](Simulation& sim) {
    auto applied = std::make_shared<std::vector<int>>();
    sim.loop().Spawn(Sender(sim.loop(), applied), "sender");
    sim.Run();
    LAPLACE_ASSERT_EQ(*applied, (std::vector<int>{1, 2, 3})) << "applied out of order";
  };
}

TEST(Shrink, MovesAPreemptionPastTheTapesEndToWhereThePickIsFree) {
  Body body = MessagesAppliedAsTheyCome();
  int preempting = 0;
  for (uint64_t seed = 0; seed < 400 && preempting < 6; ++seed) {
    RunReport failing = RunOnce(body, TapeSpec::Seed(seed), {});
    if (!failing.failed() || failing.preemptions == 0) continue;
    ++preempting;
    ShrinkResult shrunk = Shrink(Runner(body), failing, {.budget = 10s});
    EXPECT_EQ(shrunk.report.failure->signature(), failing.failure->signature());
    EXPECT_EQ(shrunk.report.preemptions, 0u) << "seed " << seed;
    EXPECT_EQ(NonZeroChoices(shrunk.tape), 1u) << "seed " << seed;
  }
  EXPECT_EQ(preempting, 6) << "too few failing seeds with a preemption to shrink";
}

// Waits for a reply that comes only if the first fault choice is 0, polling
// every millisecond: with the fault switched off the run would go on for the
// whole default budget (a year of virtual time).
Body PollsForeverUnlessTheFaultHappens() {
  return [](Simulation& sim) {
    Loop& loop = sim.loop();
    const bool lost = loop.Chance(1, 2, ChoiceKind::kFault, Stream::Named("reply"));
    loop.Spawn(
        [](Loop& loop, bool lost) -> Task<> {
          for (int i = 0; i < 3; ++i) co_await loop.Sleep(std::chrono::milliseconds(1));
          LAPLACE_ASSERT(!lost) << "the reply was lost";
          while (true) co_await loop.Sleep(std::chrono::milliseconds(1));
        }(loop, lost),
        "poller");
    sim.Run();
  };
}

TEST(Shrink, ACandidateThatLoopsForeverCostsNoMoreThanTheFailingRunsBound) {
  Body body = PollsForeverUnlessTheFaultHappens();
  RunReport failing = RunTape(body, {{ChoiceKind::kFault, 2, 1, Stream::Named("reply").id}});
  ASSERT_TRUE(failing.failed());
  ASSERT_EQ(failing.failure->kind, kAssertion);
  const RunBound bound = CandidateBound(failing);
  ASSERT_LT(bound.steps_max, 3000u);
  uint64_t most_work = 0;
  size_t over_bound = 0;
  ShrinkResult shrunk = Shrink(
      [&](const Tape& tape, const RunBound& given) {
        RunReport report = RunTape(body, tape, given);
        EXPECT_LE(given.steps_max, bound.steps_max) << "a bound never grows";
        most_work = std::max(most_work, report.steps + report.callbacks);
        if (report.over_bound) ++over_bound;
        return report;
      },
      failing, {.budget = 10s});
  EXPECT_GE(over_bound, 1u) << "the candidate with the fault switched off loops";
  EXPECT_LE(most_work, bound.steps_max);
  EXPECT_EQ(shrunk.stats.count(CandidateOutcome::kOverBound), over_bound);
  EXPECT_EQ(shrunk.stats.count(CandidateOutcome::kPassed), 0u);
  EXPECT_FALSE(shrunk.budget_exhausted);
}

TEST(Shrink, CountsEveryCandidateByOutcomeAndThePassesThatMadeProgress) {
  Body body = LostUpdate(3, 30);
  RunReport failing = FirstFailingSeed(body);
  const std::string signature = failing.failure->signature();
  std::array<size_t, kCandidateOutcomeCount> seen{};
  ShrinkResult shrunk = Shrink(
      [&](const Tape& tape, const RunBound& bound) {
        RunReport report = RunTape(body, tape, bound);
        ++seen[static_cast<size_t>(Classify(report, signature))];
        return report;
      },
      failing, {.budget = 10s});
  EXPECT_EQ(shrunk.stats.candidates, seen);
  EXPECT_EQ(shrunk.stats.tried(), shrunk.tried);
  size_t progressed = 0;
  for (const auto& [pass, accepted] : shrunk.stats.progress) progressed += accepted;
  EXPECT_EQ(progressed, shrunk.accepted);
  EXPECT_GT(shrunk.accepted, 0u);
  EXPECT_LE(shrunk.accepted, seen[static_cast<size_t>(CandidateOutcome::kSameFailure)]);
  const std::string line = FormatShrinkStats(shrunk.stats);
  EXPECT_THAT(line, ::testing::HasSubstr(Cat(shrunk.tried, " candidates: ")));
  EXPECT_THAT(line, ::testing::HasSubstr("progress: "));
}

// A liveness failure: the reply must come within 50 ms of its request, and a
// request made after any delay (each the test's own draw) waits on a loss.
TEST(Shrink, ShrinksALivenessFailureWhoseDeadlineMovesWithTheRun) {
  Body body = [](Simulation& sim) {
    Loop& loop = sim.loop();
    Promise<int> reply(loop);
    loop.Spawn(
        [](Loop& loop, Simulation& sim, Promise<int>& reply) -> Task<> {
          for (uint64_t i = 0; i < 20; ++i) {
            co_await loop.Sleep(std::chrono::milliseconds(
                loop.Choose(10, ChoiceKind::kDelay, Stream::Named("think", i))));
          }
          sim.ExpectResolvesWithin(reply.future(), std::chrono::milliseconds(50), "reply");
          if (!loop.Chance(1, 3, ChoiceKind::kFault, Stream::Named("lost"))) reply.SetValue(1);
        }(loop, sim, reply),
        "client");
    sim.Run();
  };
  RunReport failing;
  for (uint64_t seed = 0; !failing.failed() || failing.tape.size() < 15; ++seed) {
    failing = RunOnce(body, TapeSpec::Seed(seed), {});
  }
  ASSERT_EQ(failing.failure->kind, kLiveness);
  ShrinkResult shrunk = Shrink(Runner(body), failing, {.budget = 10s});
  EXPECT_EQ(shrunk.report.failure->signature(), failing.failure->signature());
  EXPECT_EQ(NonZeroOtherChoices(shrunk.tape), 1u) << "only the loss is needed";
  EXPECT_LT(shrunk.report.end_time, failing.end_time) << "no think time left before the request";
}

TEST(Shrink, StopsAtTheBudget) {
  Body body = LostUpdate(4, 200);
  RunReport failing = FirstFailingSeed(body);
  ShrinkResult shrunk = Shrink(Runner(body), failing, {.budget = 0ms});
  EXPECT_TRUE(shrunk.budget_exhausted);
  EXPECT_EQ(shrunk.tried, 0u);
  EXPECT_EQ(shrunk.tape, failing.tape);
}

TEST(Shrink, ReportsProgress) {
  Body body = LostUpdate(3, 30);
  RunReport failing = FirstFailingSeed(body);
  int calls = 0;
  ShrinkResult shrunk = Shrink(Runner(body), failing, {.progress = [&](const ShrinkProgress& p) {
                                 ++calls;
                                 EXPECT_THAT(FormatProgress(p), ::testing::HasSubstr("choices"));
                                 EXPECT_THAT(FormatProgress(p), ::testing::HasSubstr("passed"));
                               }});
  EXPECT_GE(calls, static_cast<int>(shrunk.accepted));
}

}  // namespace
}  // namespace laplace::properties
