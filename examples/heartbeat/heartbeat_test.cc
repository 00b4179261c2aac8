// Proves the heartbeat bug is one only a strategy other than the random walk finds quickly:
// the random walk misses it in 2,000 seeds, the default portfolio finds it within 100 and its
// report names the member that did; the waiting monitor never declares a live node dead.
#include "examples/heartbeat/heartbeat_property.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "properties/pipeline.h"
#include "properties/property.h"

namespace laplace::examples {
namespace {

using properties::PropertyOptions;

LAPLACE_PROPERTY_WITH_OPTIONS(Heartbeat, AWaitingMonitorNeverDeclaresALiveNodeDead,
                              (PropertyOptions{.sweep_seeds = 3000}), ()) {
  CheckHeartbeat(sim, {.fixed = true});
}

// The bug zoo: the portfolio (the default) must find it.
LAPLACE_PROPERTY_WITH_OPTIONS(Heartbeat, AMonitorCountingOnATurnDeclaresALiveNodeDead,
                              (PropertyOptions{.sweep_seeds = 1000, .expect_failure = true}), ()) {
  CheckHeartbeat(sim, {.fixed = false});
}

properties::PropertyResult Sweep(const char* strategy, uint64_t seeds) {
  absl::StatusOr<properties::Settings> settings = properties::ParseSettings(
      {{"LAPLACE_BASE_SEED", "0"}}, {std::string("--laplace_strategy=") + strategy});
  EXPECT_TRUE(settings.ok()) << settings.status();
  return properties::RunProperty(
      properties::PropertyOf("Heartbeat.Sweep",
                             [](properties::Simulation& sim) { CheckHeartbeat(sim, {}); }),
      {.sweep_seeds = seeds, .write_replays = false}, *settings,
      properties::PipelineOutput::Silent());
}

TEST(Heartbeat, TheRandomWalkMissesItWhereThePortfolioFindsItAndNamesTheMember) {
  EXPECT_FALSE(Sweep("random-walk", 2000).failure.has_value());
  properties::PropertyResult found = Sweep("portfolio", 100);
  ASSERT_TRUE(found.failure.has_value());
  EXPECT_THAT(found.failure->how_found, ::testing::HasSubstr("(the portfolio's member for seed"));
  EXPECT_NE(found.failure->found.strategy.name, "random-walk");
}

}  // namespace
}  // namespace laplace::examples
