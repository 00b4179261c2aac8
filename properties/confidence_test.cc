// Proves the arithmetic of fix confidence: the 95% Wilson interval matches published values,
// and the report says what was replayed, what randomized, and what the numbers mean.
#include "properties/confidence.h"

#include <tuple>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace laplace::properties {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;

TEST(Confidence, TheWilsonIntervalMatchesKnownValues) {
  // Reference values: Wilson (1927), z = 1.96, as tabulated by Newcombe (1998).
  auto [low0, high0] = WilsonInterval(0, 100);
  EXPECT_DOUBLE_EQ(low0, 0.0);
  EXPECT_THAT(high0, DoubleNear(0.0370, 0.0005));
  auto [low_half, high_half] = WilsonInterval(50, 100);
  EXPECT_THAT(low_half, DoubleNear(0.4038, 0.0005));
  EXPECT_THAT(high_half, DoubleNear(0.5962, 0.0005));
  auto [low_all, high_all] = WilsonInterval(10, 10);
  EXPECT_THAT(low_all, DoubleNear(0.7225, 0.0005));
  EXPECT_DOUBLE_EQ(high_all, 1.0);
  auto [low_none, high_none] = WilsonInterval(0, 0);
  EXPECT_EQ(low_none, 0.0);
  EXPECT_EQ(high_none, 1.0);
}

TEST(Confidence, TheReportSaysWhatWasReplayedAndWhatItMeans) {
  ConfidenceResult result{.signature = "invariant:money-conserved",
                          .runs = 200,
                          .same_failure = 0,
                          .other_failures = 3,
                          .other_signatures = {{"deadlock:", 3}},
                          .failure_step = 12,
                          .cut_step = 9,
                          .prefix_choices = 7};
  std::tie(result.low, result.high) = WilsonInterval(0, 200);
  const std::string text = FormatConfidence(result);
  EXPECT_THAT(text, HasSubstr("the failure invariant:money-conserved happened in 0 of 200 "
                              "randomized runs (0.0%, 95% interval 0.0% to 1.9%)"));
  EXPECT_THAT(text, HasSubstr("the file's first 7 choices (through step 9; its failure was at "
                              "step 12)"));
  EXPECT_THAT(text, HasSubstr("other failures: 3 run(s); deadlock: 3"));
  EXPECT_THAT(text, HasSubstr("did not come back"));
}

}  // namespace
}  // namespace laplace::properties
