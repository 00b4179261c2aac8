// Proves the strategy is a pipeline option: --laplace_strategy picks how a sweep schedules and
// the failure report and replay file name it; the default portfolio says which member a seed
// ran; the bounded search replaces the sweep, finds a failure at its fewest preemptions, and
// reports an exhausted space as a proof; a bad strategy is refused before anything runs.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/lock.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/pipeline.h"
#include "properties/replay_record.h"

namespace laplace::properties {
namespace {

using ::testing::HasSubstr;

Settings With(std::vector<std::string> flags) {
  absl::StatusOr<Settings> settings = ParseSettings({{"LAPLACE_BASE_SEED", "0"}}, flags);
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

Task<> Increment(Loop& loop, int& counter, bool locked, Lock& lock) {
  LockGuard guard;
  if (locked) guard = co_await lock.Acquire();
  int read = counter;
  co_await loop.Yield();
  counter = read + 1;
}

// Two racing increments (one preemption loses one), or the same under a lock.
Property Increments(std::string name, bool locked) {
  return PropertyOf(std::move(name), [locked](Simulation& sim) {
    Loop& loop = sim.loop();
    Lock lock(loop, "counter");
    int counter = 0;
    TaskHandle<> a = loop.Spawn(Increment(loop, counter, locked, lock), "a");
    TaskHandle<> b = loop.Spawn(Increment(loop, counter, locked, lock), "b");
    sim.Run();
    LAPLACE_ASSERT_EQ(counter, 2);
  });
}

PropertyResult Explore(const Property& property, std::vector<std::string> flags) {
  return RunProperty(property, {.sweep_seeds = 200, .write_replays = false}, With(flags),
                     PipelineOutput::Silent());
}

TEST(PipelineStrategy, TheStrategySettingSchedulesTheSweepAndTheReportAndReplayNameIt) {
  PropertyResult result =
      Explore(Increments("Strategy.Pct", false), {"--laplace_strategy=pct:depth=2"});
  ASSERT_TRUE(result.failure.has_value());
  const FoundCase& found = result.failure->found;
  EXPECT_EQ(found.strategy.name, "pct");
  EXPECT_EQ(found.strategy.Get("depth"), 2);
  EXPECT_TRUE(found.strategy.Get("steps").has_value()) << "the k it assumed, to rerun the seed";
  EXPECT_THAT(result.failure->how_found, HasSubstr("scheduled by pct:depth=2,steps="));
  replays::Replay replay = MakeReplay(found, replays::EXPECT_PASS);
  EXPECT_EQ(replay.strategy().name(), "pct");
  // Shrunk and replayed as the random walk's picks, whatever found it.
  EXPECT_EQ(found.report.preemptions, 1u);
}

TEST(PipelineStrategy, ThePortfolioIsTheDefaultAndSaysWhichMemberASeedRan) {
  PropertyResult result = Explore(Increments("Strategy.Default", false), {});
  ASSERT_TRUE(result.failure.has_value());
  EXPECT_THAT(result.failure->how_found, HasSubstr("(the portfolio's member for seed "));
}

TEST(PipelineStrategy, TheBoundedSearchFindsTheFailureAtItsFewestPreemptions) {
  PropertyResult result =
      Explore(Increments("Strategy.Bounded", false), {"--laplace_strategy=bounded:preemptions=2"});
  ASSERT_TRUE(result.failure.has_value());
  EXPECT_EQ(result.failure->found.report.preemptions, 1u);
  ASSERT_TRUE(result.bounded.has_value());
  EXPECT_EQ(result.bounded->bound, 1) << "bound 0 is exhausted first";
  EXPECT_FALSE(result.bounded->exhausted);
}

TEST(PipelineStrategy, AnExhaustedBoundedSearchIsReportedAsAProof) {
  PropertyResult result =
      Explore(Increments("Strategy.Proof", true), {"--laplace_strategy=bounded:preemptions=2"});
  EXPECT_TRUE(result.ok());
  ASSERT_TRUE(result.bounded.has_value());
  EXPECT_TRUE(result.bounded->exhausted);
  EXPECT_THAT(result.bounded->summary,
              HasSubstr("the bounded space is exhausted: no schedule with at most 2 "
                        "preemption(s) fails"));
}

TEST(PipelineStrategy, ABadStrategyIsRefusedWithWhatIsAccepted) {
  absl::StatusOr<Settings> settings = ParseSettings({}, {"--laplace_strategy=pct:depth=99"});
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.status().message(), HasSubstr("laplace_strategy"));
  PropertyResult result =
      RunProperty(Increments("Strategy.Bad", true), {.strategy = {"no-such-strategy", {}}},
                  With({}), PipelineOutput::Silent());
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.runs, 0u);
}

}  // namespace
}  // namespace laplace::properties
