// Proves a seed sweep finds the buggy primary within budget, the fixed one passes 2,000, and a
// client that never retries misses the liveness deadline.
#include "examples/replicated_kv/scenario.h"

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/loop.h"

namespace laplace::examples::replicated_kv {
namespace {

// Seeds tried before giving up on finding the bug.
constexpr uint64_t kBuggyBudget = 1000;
// Seeds the fixed variant must pass.
constexpr uint64_t kFixedSweep = 2000;

struct Found {
  uint64_t seed = 0;
  uint64_t runs = 0;
  absl::Status failure;
};

// Runs seeds 0, 1, ... until one fails or `budget` runs pass.
std::optional<Found> Sweep(const ScenarioOptions& options, uint64_t budget) {
  for (uint64_t seed = 0; seed < budget; ++seed) {
    Loop loop({.seed = seed});
    absl::Status verdict = RunScenario(loop, options);
    if (!verdict.ok()) return Found{.seed = seed, .runs = seed + 1, .failure = verdict};
  }
  return std::nullopt;
}

TEST(ReplicatedKvScenario, ASweepFindsTheBuggyPrimarysLostWriteWithinItsBudget) {
  std::optional<Found> found = Sweep({.variant = Variant::kBuggy}, kBuggyBudget);
  ASSERT_TRUE(found.has_value()) << "no failure in " << kBuggyBudget << " seeds";
  EXPECT_TRUE(absl::IsDataLoss(found->failure)) << found->failure;
  std::cout << "buggy variant fails on seed " << found->seed << " (run " << found->runs << " of "
            << kBuggyBudget << "): " << found->failure << "\n";
  RecordProperty("failing_seed", std::to_string(found->seed));
  RecordProperty("runs_to_failure", std::to_string(found->runs));

  // The failing seed fails the same way again, and so does its tape replayed.
  Loop again({.seed = found->seed});
  EXPECT_EQ(RunScenario(again, {.variant = Variant::kBuggy}), found->failure);
  TapeSource replay(again.tape(), TapeSource::Mode::kStrict);
  Loop replayed({.source = &replay});
  EXPECT_EQ(RunScenario(replayed, {.variant = Variant::kBuggy}), found->failure);
  EXPECT_EQ(replayed.digest(), again.digest());
  EXPECT_FALSE(replay.divergence().has_value());
}

TEST(ReplicatedKvScenario, TheFixedPrimaryPassesA2000SeedSweep) {
  std::optional<Found> found = Sweep({.variant = Variant::kFixed}, kFixedSweep);
  EXPECT_FALSE(found.has_value()) << "seed " << found->seed << ": " << found->failure;
}

TEST(ReplicatedKvScenario, TheBuggyPrimaryLosesNothingWithoutCrashes) {
  ScenarioOptions options{.variant = Variant::kBuggy};
  options.swarm_options.crashes = false;
  std::optional<Found> found = Sweep(options, 200);
  EXPECT_FALSE(found.has_value()) << "seed " << found->seed << ": " << found->failure;
}

TEST(ReplicatedKvScenario, AClientThatNeverRetriesMissesTheLivenessDeadline) {
  std::optional<Found> found = Sweep({.variant = Variant::kFixed, .client_retries = false}, 200);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(absl::IsDeadlineExceeded(found->failure)) << found->failure;
}

TEST(ReplicatedKvScenario, AZeroTapeRunIsFaultFreeAndPassesEvenWhenBuggy) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  EXPECT_TRUE(RunScenario(loop, {.variant = Variant::kBuggy}).ok());
}

}  // namespace
}  // namespace laplace::examples::replicated_kv
