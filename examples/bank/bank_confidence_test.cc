// Proves fix confidence on the bug zoo's bank: a failure found on the unlocked bank, replayed up
// to shortly before it fails and randomized after, still fails most of the time; the locked
// twin, given the same replay file under the same property name, never does.
#include <memory>
#include <string>

#include "examples/bank/bank_property.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "properties/pipeline.h"

namespace laplace::examples {
namespace {

using properties::PipelineOutput;
using properties::Property;
using properties::PropertyResult;
using properties::Settings;

// One property name, the bank buggy or fixed: the user's code before and after a fix.
Property Transfers(bool fixed) {
  return properties::PropertyOf("BankConfidence.Transfers", [fixed](properties::Simulation& sim) {
    CheckTransfers(sim, {.bank = {.accounts = 3, .initial_balance = 100, .fixed = fixed},
                         .clients = 2,
                         .transfers_per_client = 3});
  });
}

Settings Parse(properties::Environment environment) {
  environment["LAPLACE_BASE_SEED"] = "0";
  environment["LAPLACE_CORPUS_ROOT"] = ::testing::TempDir() + "/bank_confidence_corpus";
  absl::StatusOr<Settings> settings = properties::ParseSettings(environment, {});
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

// The replay file of a failure of the buggy bank.
std::string RecordedFailure() {
  PropertyResult found = RunProperty(Transfers(/*fixed=*/false), {.sweep_seeds = 1000}, Parse({}),
                                     PipelineOutput::Silent());
  EXPECT_TRUE(found.failure.has_value());
  return found.failure.has_value() ? found.failure->replay_path : "";
}

PropertyResult Confidence(bool fixed, const std::string& file, const std::string& request) {
  return RunProperty(Transfers(fixed), {},
                     Parse({{"LAPLACE_REPLAY", file}, {"LAPLACE_CONFIDENCE", request}}),
                     PipelineOutput::Silent());
}

TEST(BankConfidence, TheBuggyBankStillFailsNearItsRecordedSchedule) {
  const std::string file = RecordedFailure();
  ASSERT_FALSE(file.empty());
  PropertyResult result = Confidence(/*fixed=*/false, file, "200");
  ASSERT_TRUE(result.confidence.has_value()) << FormatResult(Transfers(false), result);
  EXPECT_EQ(result.confidence->runs, 200u);
  EXPECT_GT(result.confidence->same_failure, 100u);  // high: the bug is still there
  EXPECT_GT(result.confidence->prefix_choices, 0u);
  EXPECT_LT(result.confidence->cut_step, result.confidence->failure_step);
  EXPECT_FALSE(result.ok());  // a failure that still happens fails the run
  EXPECT_THAT(result.problems.front().message, ::testing::HasSubstr("randomized runs"));
  // Reproducible: the same file gives the same count.
  EXPECT_EQ(Confidence(false, file, "200").confidence->same_failure,
            result.confidence->same_failure);
}

TEST(BankConfidence, TheLockedTwinNeverFailsNearTheSameSchedule) {
  const std::string file = RecordedFailure();
  ASSERT_FALSE(file.empty());
  PropertyResult result = Confidence(/*fixed=*/true, file, "200");
  ASSERT_TRUE(result.confidence.has_value()) << FormatResult(Transfers(true), result);
  EXPECT_EQ(result.confidence->same_failure, 0u);
  EXPECT_EQ(result.confidence->other_failures, 0u);
  EXPECT_LT(result.confidence->high, 0.02);
  EXPECT_TRUE(result.ok()) << FormatResult(Transfers(true), result);
}

TEST(BankConfidence, AWiderWindowRandomizesMoreOfTheRun) {
  const std::string file = RecordedFailure();
  ASSERT_FALSE(file.empty());
  PropertyResult narrow = Confidence(false, file, "50:1");
  PropertyResult wide = Confidence(false, file, "50:1000");
  ASSERT_TRUE(narrow.confidence.has_value() && wide.confidence.has_value());
  EXPECT_EQ(wide.confidence->cut_step, 0u);
  EXPECT_EQ(wide.confidence->prefix_choices, 0u);
  EXPECT_EQ(narrow.confidence->cut_step, narrow.confidence->failure_step - 1);
  EXPECT_GE(narrow.confidence->same_failure, wide.confidence->same_failure);
}

}  // namespace
}  // namespace laplace::examples
