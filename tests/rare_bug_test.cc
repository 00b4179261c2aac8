// Proves the vault is a bug a random walk finds rarely: 20,000 seeds from base seed 0 never open
// it, while the one schedule that spells its code does. (//tests:rare_bug_fuzz_test proves
// coverage-guided fuzzing finds it within a budget.)
#include "tests/rare_bug.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "properties/pipeline.h"

namespace laplace::tests {
namespace {

TEST(RareBug, TheVaultOpensForTheScheduleThatSpellsItsCode) {
  properties::RunReport report = properties::RunOnce(
      TypeAtTheVault, properties::TapeSpec::Replay(TheVaultsCode(), TapeSource::Mode::kStrict), {});
  ASSERT_TRUE(report.failed());
  EXPECT_EQ(report.failure->signature(), "invariant:vault-stays-locked");
}

TEST(RareBug, ARandomWalkDoesNotFindItInTwentyThousandSeeds) {
  absl::StatusOr<properties::Settings> settings =
      properties::ParseSettings({{"LAPLACE_BASE_SEED", "0"}}, {});
  ASSERT_TRUE(settings.ok());
  properties::PropertyResult result =
      RunProperty(properties::PropertyOf("RareBug.Sweep", TypeAtTheVault),
                  {.sweep_seeds = 20'000, .write_replays = false}, *settings,
                  properties::PipelineOutput::Silent());
  EXPECT_FALSE(result.failure.has_value());
  EXPECT_EQ(result.runs, 20'000u);
}

}  // namespace
}  // namespace laplace::tests
