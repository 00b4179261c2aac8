// Proves the registry parses and prints every strategy's name and parameters, refuses what it
// does not know with a message saying what it accepts, and that every strategy it builds
// replays exactly from its tape alone.
#include "loop/strategies/registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/strategies/testing/programs.h"
#include "loop/task.h"

namespace laplace::strategies {
namespace {

using ::testing::HasSubstr;

TEST(Registry, ParsesNamesAndParametersAndPrintsThemBack) {
  for (const char* text : {"random-walk", "pct", "pct:depth=2", "pct:depth=3,steps=120", "pos",
                           "surw", "portfolio", "bounded:preemptions=1,schedules=500"}) {
    absl::StatusOr<StrategyConfig> config = ParseStrategy(text);
    ASSERT_TRUE(config.ok()) << text << ": " << config.status();
    EXPECT_EQ(config->ToString(), text);
  }
  EXPECT_EQ(ParseStrategy("pct:steps=9,depth=2")->ToString(), "pct:depth=2,steps=9");
}

TEST(Registry, RefusesWhatItDoesNotKnowAndSaysWhatItAccepts) {
  struct Bad {
    const char* text;
    const char* problem;
  };
  for (const Bad& bad :
       {Bad{"pcts", "no strategy is called 'pcts'"},
        Bad{"pct:depht=2", "pct has no parameter 'depht'"},
        Bad{"pct:depth=0", "depth must be from 1 to 10, not 0"},
        Bad{"pct:depth", "'depth' is not parameter=whole number"}, Bad{"pct:", "nothing after ':'"},
        Bad{"pct:depth=2,depth=3", "depth is given twice"},
        Bad{"pos:depth=2", "pos has no parameter 'depth'"}}) {
    absl::StatusOr<StrategyConfig> config = ParseStrategy(bad.text);
    ASSERT_FALSE(config.ok()) << bad.text;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(config.status().message(), HasSubstr(bad.problem));
    EXPECT_THAT(config.status().message(), HasSubstr("expected random-walk, pct"));
  }
}

TEST(Registry, TheBoundedSearchIsNotAStrategyToGiveALoop) {
  StrategyConfig bounded = ParseStrategy("bounded:preemptions=1").value();
  EXPECT_TRUE(IsBoundedSearch(bounded));
  EXPECT_EQ(BoundedSearchOptionsOf(bounded).preemptions_max, 1);
  EXPECT_FALSE(MakeStrategy(bounded).ok());
}

Task<> Increment(Loop& loop, int& counter) {
  int read = counter;
  co_await loop.Yield();
  counter = read + 1;
}

struct IncrementsRun {
  Tape tape;
  uint64_t digest = 0;
  bool lost_update = false;
};

// Three tasks increment a counter across a yield.
IncrementsRun RunIncrements(LoopOptions options) {
  Loop loop(options);
  int counter = 0;
  std::vector<TaskHandle<>> tasks;
  for (int i = 0; i < 3; ++i) tasks.push_back(loop.Spawn(Increment(loop, counter)));
  loop.Run();
  return IncrementsRun{loop.tape(), loop.digest(), counter != 3};
}

TEST(Registry, EveryStrategysRunsReplayExactlyFromTheTapeAlone) {
  for (const char* text :
       {"random-walk", "pct:depth=2", "pct:depth=3", "pos", "surw", "portfolio"}) {
    std::unique_ptr<Strategy> strategy = MakeStrategy(ParseStrategy(text).value()).value();
    for (uint64_t seed = 0; seed < 20; ++seed) {
      IncrementsRun original = RunIncrements({.seed = seed, .strategy = strategy.get()});
      TapeSource replay(original.tape, TapeSource::Mode::kStrict);
      IncrementsRun replayed =
          RunIncrements({.source = &replay});  // no strategy: the tape holds the picks
      EXPECT_EQ(replayed.digest, original.digest) << text << " seed " << seed;
      EXPECT_EQ(replayed.lost_update, original.lost_update) << text << " seed " << seed;
      EXPECT_FALSE(replay.divergence().has_value()) << text << " seed " << seed;
    }
  }
}

}  // namespace
}  // namespace laplace::strategies
