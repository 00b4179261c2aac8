// Proves that a corpus stays honest when the code changes under it: a replay that diverged is
// reported with its file, choice, virtual time, task and step and what to do; it fails the test
// (the default) or warns (per test, or by the setting); --laplace_record rebuilds its scenario
// on the new code into a file that replays clean, or says why it cannot and leaves the file
// alone; and shards finding one bug leave one file.
#include <algorithm>
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
#include "properties/pipeline.h"
#include "replays/corpus.h"
#include "replays/replay_file.h"

namespace laplace::properties {
namespace {

using ::laplace::internal::Cat;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// The code under test, in the version a test needs.
struct Version {
  bool draws_a_fault = false;  // the "change": each worker asks one fault choice more
  bool fixed = false;          // the worker no longer yields between its read and its write
  bool regressed = false;      // fixed, but a fault (a new choice stream) brings the yield back
};

Task<> Worker(Loop& loop, int& counter, Version version) {
  co_await loop.Sleep(1ms);
  if (version.draws_a_fault) (void)loop.Chance(1, 3, ChoiceKind::kFault);
  int seen = counter;
  if (!version.fixed) co_await loop.Yield();
  if (version.regressed && loop.Chance(1, 2, ChoiceKind::kFault)) co_await loop.Yield();
  counter = seen + 1;
}

// Three workers increment a counter; unless fixed, they lose updates. Its corpus lives under
// `package` (an absolute folder: where it is read from and written to).
Property Counter(const std::string& package, Version version) {
  Property property = PropertyOf("Honesty.Counter", [version](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    for (int w = 0; w < 3; ++w) {
      sim.loop().Spawn(Worker(sim.loop(), *counter, version), Cat("worker/", w));
    }
    sim.Run();
    LAPLACE_ASSERT_EQ(*counter, 3);
  });
  property.package = package;
  return property;
}

std::string Package(const std::string& name) {
  std::string package = ::testing::TempDir() + "/corpus_honesty/" + name;
  std::filesystem::remove_all(package);
  return package;
}

Settings Parse(Environment environment) {
  environment["LAPLACE_BASE_SEED"] = "0";
  absl::StatusOr<Settings> settings = ParseSettings(environment, {});
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

// Records the bug of version 1 as a bug-zoo file (EXPECT_FAILURE) and returns its path.
std::string RecordTheBug(const std::string& package) {
  PropertyResult found = RunProperty(Counter(package, {}),
                                     {.sweep_seeds = 200, .expect_failure = true, .record = true},
                                     Parse({}), PipelineOutput::Silent());
  EXPECT_TRUE(found.ok()) << FormatResult(Counter(package, {}), found);
  if (!found.failure.has_value()) return "";
  EXPECT_FALSE(found.failure->replay_path.empty()) << found.failure->replay_error;
  return found.failure->replay_path;
}

std::string Contents(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string AllProblems(const PropertyResult& result) {
  std::string text;
  for (const Problem& problem : result.problems) text += problem.message + "\n";
  return text;
}

TEST(CorpusHonesty, ADivergedReplayFailsTheTestSayingWhereAndWhatToDo) {
  const std::string package = Package("fail");
  const std::string file = RecordTheBug(package);
  ASSERT_FALSE(file.empty());
  // The fixed code also asks a fault choice per worker, so the file no longer fits it.
  PropertyResult result = RunProperty(Counter(package, {.draws_a_fault = true, .fixed = true}),
                                      {.sweep_seeds = 20}, Parse({}), PipelineOutput::Silent());
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.corpus.size(), 1u);
  const ReplayVerdict& verdict = result.corpus[0].verdict;
  EXPECT_FALSE(verdict.ok);
  EXPECT_TRUE(verdict.diverged);
  const std::string problems = AllProblems(result);
  EXPECT_THAT(problems, HasSubstr(Cat("Laplace replay ", file, " diverged")));
  // Where: the choice, its virtual time (after the workers' 1ms sleep), its step and task.
  EXPECT_THAT(problems, ::testing::ContainsRegex(
                            "where: choice #[0-9]+ at t=1ms, step [1-9][0-9]*, in task #[0-9]+ "
                            "'worker/[0-2]': the tape has schedule [0-9]+/[0-9]+ but the program "
                            "asked for fault \\(bound 3\\)"));
  EXPECT_THAT(problems, HasSubstr("--test_env=LAPLACE_RECORD=1"));
  EXPECT_THAT(problems, HasSubstr("delete the file"));
}

TEST(CorpusHonesty, ATestThatAsksToWarnPassesButSaysItLoudly) {
  const std::string package = Package("warn");
  ASSERT_FALSE(RecordTheBug(package).empty());
  std::vector<std::string> notes;
  PipelineOutput output{.note = [&notes](const std::string& line) { notes.push_back(line); }};
  const Property fixed = Counter(package, {.draws_a_fault = true, .fixed = true});
  PropertyResult result = RunProperty(
      fixed, {.sweep_seeds = 20, .on_divergence = OnDivergence::kWarn}, Parse({}), output);
  EXPECT_TRUE(result.ok()) << FormatResult(fixed, result);
  ASSERT_EQ(result.corpus.size(), 1u);
  EXPECT_TRUE(result.corpus[0].verdict.diverged);
  std::string all;
  for (const std::string& note : notes) all += note + "\n";
  EXPECT_THAT(all, HasSubstr("WARNING (PropertyOptions::on_divergence = OnDivergence::kWarn, so "
                             "the test goes on)"));
  EXPECT_THAT(all, HasSubstr("in task #"));
  // The setting overrides the test's choice, both ways.
  EXPECT_FALSE(RunProperty(fixed, {.sweep_seeds = 20, .on_divergence = OnDivergence::kWarn},
                           Parse({{"LAPLACE_ON_DIVERGENCE", "fail"}}), PipelineOutput::Silent())
                   .ok());
  EXPECT_TRUE(RunProperty(fixed, {.sweep_seeds = 20}, Parse({{"LAPLACE_ON_DIVERGENCE", "warn"}}),
                          PipelineOutput::Silent())
                  .ok());
}

TEST(CorpusHonesty, RecordingRebuildsADivergedFileThatThenReplaysClean) {
  const std::string package = Package("rebuild");
  const std::string file = RecordTheBug(package);
  ASSERT_FALSE(file.empty());
  const std::string old_digest = std::filesystem::path(file).stem().string();
  // The changed code still has the bug: its scenario fails the same way on it.
  const Property changed = Counter(package, {.draws_a_fault = true});
  PropertyResult rebuild =
      RunProperty(changed, {}, Parse({{"LAPLACE_REPLAY", file}, {"LAPLACE_RECORD", "1"}}),
                  PipelineOutput::Silent());
  EXPECT_TRUE(rebuild.ok()) << FormatResult(changed, rebuild);
  ASSERT_EQ(rebuild.corpus.size(), 1u);
  const ReplayVerdict& verdict = rebuild.corpus[0].verdict;
  EXPECT_THAT(verdict.message, HasSubstr("rebuilt on the new code as "));
  EXPECT_THAT(verdict.message, HasSubstr("diverged (choice #"));
  EXPECT_FALSE(std::filesystem::exists(file)) << "the diverged file is replaced";
  absl::StatusOr<std::vector<std::string>> files =
      replays::ListReplayFiles(std::filesystem::path(file).parent_path().string());
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  absl::StatusOr<replays::Replay> rebuilt = replays::ReadReplayFile((*files)[0]);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->rebuilt().from_digest(), old_digest);
  EXPECT_THAT(rebuilt->rebuilt().divergence(), HasSubstr("in task #"));
  EXPECT_EQ(rebuilt->expect(), replays::EXPECT_FAILURE);
  // From now on the corpus replays clean on the changed code.
  PropertyResult again =
      RunProperty(changed, {}, Parse({{"LAPLACE_REPLAY", (*files)[0]}}), PipelineOutput::Silent());
  EXPECT_TRUE(again.ok()) << FormatResult(changed, again);
  ASSERT_EQ(again.corpus.size(), 1u);
  EXPECT_FALSE(again.corpus[0].verdict.diverged);
  EXPECT_THAT(again.corpus[0].verdict.message, HasSubstr("reproduced assertion:"));
}

TEST(CorpusHonesty, AFileThatCannotBeRebuiltSaysWhyAndIsLeftAlone) {
  const std::string package = Package("unbuildable");
  const std::string file = RecordTheBug(package);
  ASSERT_FALSE(file.empty());
  const std::string before = Contents(file);
  // On the fixed code the bug's scenario passes: an EXPECT_FAILURE file cannot be rebuilt.
  const Property fixed = Counter(package, {.draws_a_fault = true, .fixed = true});
  PropertyResult result =
      RunProperty(fixed, {}, Parse({{"LAPLACE_REPLAY", file}, {"LAPLACE_RECORD", "1"}}),
                  PipelineOutput::Silent());
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.corpus.size(), 1u);
  EXPECT_THAT(result.corpus[0].verdict.message,
              HasSubstr("could not be rebuilt: on the new code its scenario no longer fails"));
  EXPECT_THAT(result.corpus[0].verdict.message, HasSubstr("the file is unchanged"));
  EXPECT_EQ(Contents(file), before);
}

TEST(CorpusHonesty, FourShardsThatFindOneBugLeaveOneFile) {
  const std::string package = Package("shards");
  const Property buggy = Counter(package, {});
  std::vector<std::string> digests;
  for (int shard = 0; shard < 4; ++shard) {
    // Unshrunk, so that each shard's failure is a different run (a different file name).
    PropertyResult result = RunProperty(
        buggy, {.sweep_seeds = 200, .shrink_budget = std::chrono::milliseconds(0)},
        Parse({{"TEST_TOTAL_SHARDS", "4"}, {"TEST_SHARD_INDEX", std::to_string(shard)}}),
        PipelineOutput::Silent());
    ASSERT_TRUE(result.failure.has_value()) << "shard " << shard;
    digests.push_back(replays::FormatDigest(result.failure->found.report.digest));
    // Shards after the first find the corpus holding the bug already.
    if (shard > 0) {
      EXPECT_THAT(
          result.failure->replay_note,
          ::testing::AnyOf(HasSubstr("already held this failure"), HasSubstr("replaced 1")));
    }
  }
  absl::StatusOr<std::vector<std::string>> files =
      replays::ListReplayFiles(replays::CorpusDirectory(package, "Honesty.Counter"));
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 1u);
  std::sort(digests.begin(), digests.end());
  EXPECT_EQ(std::unique(digests.begin(), digests.end()), digests.end())
      << "the shards found four different runs";
}

}  // namespace
}  // namespace laplace::properties

namespace laplace::properties {
namespace {

TEST(CorpusHonesty, ARegressionOfAFixedBugReplacesTheFileThatNowPasses) {
  const std::string package = Package("regression");
  PropertyResult found =
      RunProperty(Counter(package, {}), {.sweep_seeds = 200}, Parse({}), PipelineOutput::Silent());
  ASSERT_TRUE(found.failure.has_value());
  const std::string old_file = found.failure->replay_path;
  ASSERT_FALSE(old_file.empty()) << found.failure->replay_error;
  // Fixed, then broken again on another path: the old file draws no fault, so it passes now, and
  // the sweep finds the same signature by a fault. Before, the sweep said "already held" and
  // pointed at the passing file, so the regression was nowhere in the corpus.
  PropertyResult regressed = RunProperty(Counter(package, {.fixed = true, .regressed = true}),
                                         {.sweep_seeds = 200}, Parse({}), PipelineOutput::Silent());
  ASSERT_EQ(regressed.corpus.size(), 1u);
  EXPECT_TRUE(regressed.corpus[0].verdict.passed) << regressed.corpus[0].verdict.message;
  ASSERT_TRUE(regressed.failure.has_value());
  const std::string new_file = regressed.failure->replay_path;
  EXPECT_NE(std::filesystem::path(new_file).filename(), std::filesystem::path(old_file).filename());
  EXPECT_THAT(regressed.failure->replay_note, HasSubstr("passes on today's code"));
  EXPECT_TRUE(std::filesystem::exists(new_file));
  EXPECT_FALSE(std::filesystem::exists(old_file)) << "one file per signature";
  // The new file reproduces the regression.
  PropertyResult replayed =
      RunProperty(Counter(package, {.fixed = true, .regressed = true}), {.sweep_seeds = 1},
                  Parse({{"LAPLACE_REPLAY", new_file}}), PipelineOutput::Silent());
  ASSERT_EQ(replayed.corpus.size(), 1u);
  EXPECT_FALSE(replayed.corpus[0].verdict.passed);
}

}  // namespace
}  // namespace laplace::properties
