// Proves what a run tells its user: progress while exploring (runs, runs/s, failures, ETA) and
// shrinking, and a summary at the end with runs, rate, outcomes, the fault kinds that fired and
// how often, the determinism checks, and RapidCheck's RC_CLASSIFY/RC_TAG table.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "properties/assertions.h"
#include "properties/pipeline.h"
#include "properties/sweep.h"

namespace laplace::properties {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Settings Pinned() {
  absl::StatusOr<Settings> settings =
      ParseSettings({{"LAPLACE_BASE_SEED", "0"},
                     {"LAPLACE_CORPUS_ROOT", ::testing::TempDir() + "/summary_test_corpus"}},
                    {});
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

// What the pipeline said, captured.
struct Captured {
  std::vector<std::string> notes;
  std::vector<ExploreProgress> explored;
  std::vector<ShrinkProgress> shrunk;

  PipelineOutput Output() {
    return PipelineOutput{
        .note = [this](const std::string& line) { notes.push_back(line); },
        .shrink_progress = [this](const ShrinkProgress& p) { shrunk.push_back(p); },
        .explore_progress = [this](const ExploreProgress& p) { explored.push_back(p); }};
  }
  std::string Summary() const {
    for (const std::string& note : notes) {
      if (note.find(": summary: ") != std::string::npos) return note;
    }
    return "";
  }
};

// Half the runs inject a "test.flip" fault.
Property Flipping() {
  return PropertyOf("Summary.Flipping", [](Simulation& sim) {
    if (sim.loop().Chance(1, 2)) sim.loop().CountFault("test.flip");
  });
}

TEST(Summary, ASweepEndsWithRunsRateOutcomesAndTheFaultsThatFired) {
  Captured captured;
  PropertyResult result =
      RunProperty(Flipping(), {.sweep_seeds = 200}, Pinned(), captured.Output());
  ASSERT_TRUE(result.ok());
  const uint64_t flips = result.stats.faults.at("test.flip");
  EXPECT_GT(flips, 60u);
  EXPECT_LT(flips, 140u);
  EXPECT_EQ(result.stats.fault_choices, flips);
  EXPECT_EQ(result.stats.runs_with_faults, flips);
  EXPECT_EQ(result.stats.passed, 200u);
  const std::string summary = captured.Summary();
  EXPECT_THAT(summary, StartsWith("[laplace] Summary.Flipping: summary: 200 runs in "));
  EXPECT_THAT(summary, HasSubstr(" runs/s): 200 passed, 0 failed, 0 discarded; base seed 0"));
  EXPECT_THAT(summary, HasSubstr("; faults fired: test.flip " + std::to_string(flips) + " ("));
  EXPECT_THAT(summary, HasSubstr("determinism: "));
}

TEST(Summary, AFaultFreeSweepSaysNoFaultFired) {
  Captured captured;
  RunProperty(PropertyOf("Summary.Quiet", [](Simulation&) {}), {.sweep_seeds = 10}, Pinned(),
              captured.Output());
  EXPECT_THAT(captured.Summary(), HasSubstr("; faults fired: none"));
}

TEST(Summary, ProgressCountsRunsTowardThePlanWithARateAndAnEta) {
  Captured captured;
  RunProperty(Flipping(), {.sweep_seeds = 50}, Pinned(), captured.Output());
  ASSERT_EQ(captured.explored.size(), 50u);
  EXPECT_EQ(captured.explored.back().runs, 50u);
  EXPECT_EQ(captured.explored.back().runs_planned, 50u);
  const ExploreProgress halfway{
      .runs = 25, .runs_planned = 50, .failures = 0, .elapsed = std::chrono::milliseconds(500)};
  EXPECT_EQ(FormatProgress(halfway), "25/50 runs, 50 runs/s, 0 failures, ETA 0.5s");
  const ExploreProgress budgeted{.runs = 10,
                                 .runs_planned = uint64_t{1} << 62,
                                 .failures = 1,
                                 .elapsed = std::chrono::seconds(20),
                                 .budget = std::chrono::seconds(60)};
  EXPECT_EQ(FormatProgress(budgeted), "10 runs, 0 runs/s, 1 failure, ETA 40s");
}

TEST(Summary, ShrinkingReportsItsCandidatesAndTheCurrentSize) {
  Captured captured;
  PropertyResult result =
      RunProperty(PropertyOf("Summary.Fails",
                             [](Simulation& sim) {
                               uint64_t a = sim.loop().Choose(100);
                               uint64_t b = sim.loop().Choose(100);
                               LAPLACE_ASSERT(a + b < 150);
                             }),
                  {.sweep_seeds = 1000, .write_replays = false}, Pinned(), captured.Output());
  ASSERT_TRUE(result.failure.has_value());
  ASSERT_FALSE(captured.shrunk.empty());
  EXPECT_EQ(captured.shrunk.back().length, 2u);
  EXPECT_THAT(FormatProgress(captured.shrunk.back()), HasSubstr("2 choices ("));
  EXPECT_THAT(captured.Summary(), HasSubstr(" passed, 1 failed, 0 discarded"));
}

// RapidCheck's classification of the generated argument.
struct Classified : PropertyBase {
  using PropertyBase::PropertyBase;
  void operator()(int value) {
    RC_CLASSIFY(value % 2 == 0, "even");
    RC_TAG(value < 0 ? "negative" : "non-negative");
  }
};

TEST(Summary, RapidCheckClassesAreTabulatedNotSwallowed) {
  Captured captured;
  Property property{"Summary.Classified", __FILE__, __LINE__,
                    std::make_shared<TypedCases<Classified>>("(int value)")};
  PropertyResult result = RunProperty(property, {.cases = 200}, Pinned(), captured.Output());
  ASSERT_TRUE(result.ok());
  int total = 0;
  bool saw_even = false;
  for (const auto& [tags, count] : result.stats.classes) {
    total += count;
    for (const std::string& tag : tags) saw_even = saw_even || tag == "even";
  }
  EXPECT_EQ(total, 200);
  EXPECT_TRUE(saw_even);
  const std::string summary = captured.Summary();
  EXPECT_THAT(summary, HasSubstr("\n  RapidCheck classes (RC_CLASSIFY / RC_TAG), of 200 passing "
                                 "cases:\n"));
  EXPECT_THAT(summary, HasSubstr("even, non-negative"));
  EXPECT_THAT(summary, HasSubstr("%  "));
}

}  // namespace
}  // namespace laplace::properties
