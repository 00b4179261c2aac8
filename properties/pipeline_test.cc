// Proves the pipeline as a library: it returns what happened instead of
// reporting it; the base seed decides what a sweep and RapidCheck explore
// (different bases, different cases; the same base, the same cases); a replay
// of another property's file skips this one; under `bazel test` a failure's
// replay and whole trace are kept as artifacts; RapidCheck giving up points at
// the user's RC_PRE.
#include "properties/pipeline.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "base/strings.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "replays/replay_file.h"

namespace laplace::properties {
namespace {

using ::laplace::internal::Cat;
using ::testing::HasSubstr;

Settings Pinned(uint64_t base_seed, Environment environment = {}) {
  environment["LAPLACE_BASE_SEED"] = std::to_string(base_seed);
  absl::StatusOr<Settings> settings = ParseSettings(environment, {});
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

// A passing property that records the first value each run draws.
Property Recording(std::shared_ptr<std::vector<uint64_t>> seen) {
  return PropertyOf("Pipeline.Recording", [seen](Simulation& sim) {
    seen->push_back(sim.loop().Choose(uint64_t{1} << 40, ChoiceKind::kDraw));
  });
}

std::vector<uint64_t> SweepDraws(uint64_t base_seed) {
  auto seen = std::make_shared<std::vector<uint64_t>>();
  PropertyResult result =
      RunProperty(Recording(seen), {.sweep_seeds = 5}, Pinned(base_seed), PipelineOutput::Silent());
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.runs, 5u);
  EXPECT_EQ(result.base_seed, base_seed);
  return *seen;
}

TEST(Pipeline, TheBaseSeedDecidesWhatASweepExplores) {
  EXPECT_EQ(SweepDraws(0), SweepDraws(0));
  EXPECT_NE(SweepDraws(0), SweepDraws(1000));
  EXPECT_EQ(SweepDraws(1000), SweepDraws(1000));
}

// Records its generated argument.
struct RecordsItsArgument : PropertyBase {
  using PropertyBase::PropertyBase;
  void operator()(int value) { Seen().push_back(value); }
  static std::vector<int>& Seen() {
    static auto* seen = new std::vector<int>();
    return *seen;
  }
};

std::vector<int> RapidCheckArguments(const Settings& settings) {
  RecordsItsArgument::Seen().clear();
  Property property{"Pipeline.RapidCheck", __FILE__, __LINE__,
                    std::make_shared<TypedCases<RecordsItsArgument>>("(int value)")};
  PropertyResult result = RunProperty(property, {.cases = 20}, settings, PipelineOutput::Silent());
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.runs, 20u);
  return RecordsItsArgument::Seen();
}

TEST(Pipeline, TheBaseSeedDecidesWhatRapidCheckExplores) {
  EXPECT_EQ(RapidCheckArguments(Pinned(3)), RapidCheckArguments(Pinned(3)));
  EXPECT_NE(RapidCheckArguments(Pinned(3)), RapidCheckArguments(Pinned(4)));
  // bazel test --runs_per_test: each run number explores its own range.
  EXPECT_NE(RapidCheckArguments(Pinned(3, {{"TEST_RANDOM_SEED", "1"}})),
            RapidCheckArguments(Pinned(3, {{"TEST_RANDOM_SEED", "2"}})));
}

TEST(Pipeline, AFreshBaseSeedIsInTheNoteSoARunCanBeRepeated) {
  absl::StatusOr<Settings> fresh = ParseSettings({}, {});
  ASSERT_TRUE(fresh.ok());
  std::vector<std::string> notes;
  PipelineOutput output{.note = [&](const std::string& line) { notes.push_back(line); }};
  auto seen = std::make_shared<std::vector<uint64_t>>();
  PropertyResult result = RunProperty(Recording(seen), {.sweep_seeds = 3}, *fresh, output);
  ASSERT_FALSE(notes.empty());
  EXPECT_THAT(notes.back(), HasSubstr("base seed " + std::to_string(result.base_seed)));
  // Pinning that base seed repeats the run.
  std::vector<uint64_t> first = *seen;
  seen->clear();
  RunProperty(Recording(seen), {.sweep_seeds = 3}, Pinned(result.base_seed),
              PipelineOutput::Silent());
  EXPECT_EQ(*seen, first);
}

Task<> Increment(Loop& loop, int& counter) {
  int seen = counter;
  co_await loop.Yield();
  counter = seen + 1;
}

Property LostUpdate() {
  return PropertyOf(
      "Pipeline.LostUpdate",
      [](Simulation& sim) {
        auto counter = std::make_shared<int>(0);
        for (int w = 0; w < 3; ++w) sim.loop().Spawn(Increment(sim.loop(), *counter));
        sim.Run();
        LAPLACE_ASSERT_EQ(*counter, 3);
      },
      "properties/pipeline_test.cc");
}

// Finds the lost update with replay files written under `root`.
PropertyResult FindLostUpdate(const std::string& root) {
  std::filesystem::remove_all(root);
  return RunProperty(LostUpdate(), {.sweep_seeds = 100}, Pinned(0, {{"LAPLACE_CORPUS_ROOT", root}}),
                     PipelineOutput::Silent());
}

TEST(Pipeline, OneSeedWithTraceOnPrintsTheTraceOfARunThatPasses) {
  Property one_task = PropertyOf("Pipeline.OneTask", [](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    sim.loop().Spawn(Increment(sim.loop(), *counter), {.label = "incrementer"});
    sim.Run();
  });
  std::vector<std::string> notes;
  PipelineOutput output{.note = [&](const std::string& line) { notes.push_back(line); }};
  PropertyResult result = RunProperty(
      one_task, {}, Pinned(0, {{"LAPLACE_SEED", "7:0"}, {"LAPLACE_TRACE", "1"}}), output);
  EXPECT_TRUE(result.ok());
  std::string all;
  for (const std::string& note : notes) all += note;
  EXPECT_THAT(all, HasSubstr("seed 7:0 passed; its trace:"));
  EXPECT_THAT(all, HasSubstr("incrementer"));
}

TEST(Pipeline, AFoundFailureIsReturnedWithItsShrinkAndItsReplayFile) {
  std::string root = ::testing::TempDir() + "/pipeline_found";
  PropertyResult result = FindLostUpdate(root);
  EXPECT_FALSE(result.ok());
  ASSERT_TRUE(result.failure.has_value());
  const FoundFailure& failure = *result.failure;
  EXPECT_EQ(failure.found.report.failure->kind, kAssertion);
  EXPECT_LE(NonZeroScheduleChoices(failure.found.report.tape), 2u);
  EXPECT_GE(failure.found.original_length, failure.found.report.tape.size());
  EXPECT_THAT(failure.how_found, HasSubstr("seed "));
  ASSERT_FALSE(failure.replay_path.empty()) << failure.replay_error;
  EXPECT_THAT(failure.replay_path, HasSubstr(root + "/properties/replays/Pipeline.LostUpdate/"));
  absl::StatusOr<replays::Replay> file =
      replays::ReadReplayFile(failure.replay_path, "Pipeline.LostUpdate");
  ASSERT_TRUE(file.ok()) << file.status();
  std::string text = FormatResult(LostUpdate(), result);
  EXPECT_THAT(text, HasSubstr("reproduce: bazel run //replays:laplace -- replay "));
  // The report and the file tell the same shrink: lengths and non-zero
  // choices before and after, and every candidate counted once.
  const size_t nonzero = NonZeroChoices(failure.found.report.tape);
  EXPECT_GT(failure.found.original_nonzero, nonzero);
  EXPECT_THAT(text, HasSubstr(Cat(failure.found.original_length, " -> ",
                                  failure.found.report.tape.size(), " choices, ",
                                  failure.found.original_nonzero, " -> ", nonzero, " non-zero")));
  EXPECT_EQ(failure.found.candidates_tried, failure.found.shrink_stats.tried());
  EXPECT_THAT(text, HasSubstr(Cat("after ", failure.found.candidates_tried, " candidates in ")));
  EXPECT_EQ(file->shrinking().original_length(), failure.found.original_length);
  EXPECT_EQ(file->shrinking().original_nonzero(), failure.found.original_nonzero);
  EXPECT_EQ(file->shrinking().shrunk_nonzero(), nonzero);
  EXPECT_EQ(file->shrinking().candidates_tried(), failure.found.candidates_tried);
}

TEST(Pipeline, UnderBazelTestAFailuresReplayAndWholeTraceAreKeptAsArtifacts) {
  std::string root = ::testing::TempDir() + "/pipeline_artifacts";
  std::filesystem::remove_all(root);
  PropertyResult result = RunProperty(LostUpdate(), {.sweep_seeds = 100},
                                      Pinned(0, {{"LAPLACE_CORPUS_ROOT", root + "/corpus"},
                                                 {"TEST_UNDECLARED_OUTPUTS_DIR", root + "/out"}}),
                                      PipelineOutput::Silent());
  ASSERT_TRUE(result.failure.has_value());
  const FoundFailure& failure = *result.failure;
  const std::string folder = root + "/out/laplace/Pipeline.LostUpdate/";
  const std::string digest = std::filesystem::path(failure.replay_path).stem().string();
  ASSERT_THAT(
      failure.artifacts,
      ::testing::ElementsAre(folder + digest + ".textpb", folder + digest + ".trace.txt",
                             folder + digest + ".trace.html", folder + digest + ".perfetto.json"));
  EXPECT_TRUE(replays::ReadReplayFile(failure.artifacts[0], "Pipeline.LostUpdate").ok());
  std::ifstream in(failure.artifacts[1]);
  std::string trace((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(trace, ::testing::StartsWith("Laplace found a failure in Pipeline.LostUpdate"));
  EXPECT_THAT(trace, HasSubstr("The whole trace ("));
  std::ifstream html_in(failure.artifacts[2]);
  std::string html((std::istreambuf_iterator<char>(html_in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("Pipeline.LostUpdate"));
  std::ifstream json_in(failure.artifacts[3]);
  std::string json((std::istreambuf_iterator<char>(json_in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(json, HasSubstr("\"traceEvents\""));
  EXPECT_THAT(FormatResult(LostUpdate(), result), HasSubstr("artifact:  " + folder));
  if (failure.found.bazel_target == "//properties:pipeline_test") {  // under bazel test
    EXPECT_THAT(FormatResult(LostUpdate(), result),
                HasSubstr("artifacts: after the test, in "
                          "bazel-testlogs/properties/pipeline_test/test.outputs/outputs.zip"));
  }
}

TEST(Pipeline, AReplayOfAnotherPropertysFileSkipsThisOne) {
  PropertyResult found = FindLostUpdate(::testing::TempDir() + "/pipeline_skip");
  ASSERT_TRUE(found.failure.has_value());
  Settings replay = Pinned(0, {{"LAPLACE_REPLAY", found.failure->replay_path}});
  auto seen = std::make_shared<std::vector<uint64_t>>();
  PropertyResult other = RunProperty(Recording(seen), {}, replay, PipelineOutput::Silent());
  EXPECT_EQ(other.outcome, PropertyResult::Outcome::kSkipped);
  EXPECT_THAT(other.skip_reason, HasSubstr("Pipeline.LostUpdate"));
  EXPECT_TRUE(seen->empty());
  // Its own property replays it (and fails: the bug is still there).
  PropertyResult own = RunProperty(LostUpdate(), {}, replay, PipelineOutput::Silent());
  EXPECT_EQ(own.outcome, PropertyResult::Outcome::kFailed);
  ASSERT_EQ(own.corpus.size(), 1u);
  EXPECT_THAT(own.corpus[0].verdict.message, HasSubstr("the bug this file was recorded for"));
}

struct RejectsEveryCase : PropertyBase {
  using PropertyBase::PropertyBase;
  void operator()(int value) {
    line = __LINE__ + 1;  // the RC_PRE's
    RC_PRE(value == 12345678);
  }
  static inline int line = 0;
};

TEST(Pipeline, RapidCheckGivingUpPointsAtTheRejectingPrecondition) {
  Property property{"Pipeline.Rejects", __FILE__, __LINE__,
                    std::make_shared<TypedCases<RejectsEveryCase>>("(int value)")};
  PropertyResult result = RunProperty(property, {.cases = 10}, Pinned(0), PipelineOutput::Silent());
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_THAT(result.problems[0].message, HasSubstr("RapidCheck: gave up"));
  EXPECT_EQ(result.problems[0].file, "properties/pipeline_test.cc");
  EXPECT_EQ(result.problems[0].line, RejectsEveryCase::line);
}

}  // namespace
}  // namespace laplace::properties

namespace laplace::properties {
namespace {

// A candidate budget ends shrinking after exactly that many candidate runs, whatever the
// machine's speed, so with it the same seed shrinks to the same tape everywhere.
TEST(Pipeline, ACandidateBudgetBoundsShrinkingByRunsNotTime) {
  const PropertyOptions few{.sweep_seeds = 100,
                            .shrink_budget = std::chrono::minutes(10),
                            .shrink_candidates_max = 3,
                            .write_replays = false};
  PropertyResult result = RunProperty(LostUpdate(), few, Pinned(0), PipelineOutput::Silent());
  ASSERT_TRUE(result.failure.has_value());
  EXPECT_EQ(result.failure->found.candidates_tried, 3u);
  EXPECT_TRUE(result.failure->found.shrink_budget_exhausted);
  // The setting does the same, and two runs end on the same tape.
  PropertyResult again = RunProperty(
      LostUpdate(), {.sweep_seeds = 100, .write_replays = false},
      Pinned(0, {{"LAPLACE_SHRINK_CANDIDATES", "3"}, {"LAPLACE_SHRINK_SECONDS", "600"}}),
      PipelineOutput::Silent());
  ASSERT_TRUE(again.failure.has_value());
  EXPECT_EQ(again.failure->found.candidates_tried, 3u);
  EXPECT_EQ(again.failure->found.report.tape, result.failure->found.report.tape);
  // Enough candidates: it shrinks to the end, not stopped by the budget.
  PropertyResult plenty = RunProperty(LostUpdate(),
                                      {.sweep_seeds = 100,
                                       .shrink_budget = std::chrono::minutes(10),
                                       .shrink_candidates_max = 100000,
                                       .write_replays = false},
                                      Pinned(0), PipelineOutput::Silent());
  ASSERT_TRUE(plenty.failure.has_value());
  EXPECT_FALSE(plenty.failure->found.shrink_budget_exhausted);
  EXPECT_GT(plenty.failure->found.candidates_tried, 3u);
  EXPECT_LT(NonZeroChoices(plenty.failure->found.report.tape),
            NonZeroChoices(result.failure->found.report.tape) + 1);
  // Out of range is a clear error.
  EXPECT_FALSE(ParseSettings({{"LAPLACE_SHRINK_CANDIDATES", "0"}}, {}).ok());
}

}  // namespace
}  // namespace laplace::properties
