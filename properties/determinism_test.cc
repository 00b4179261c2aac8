// Proves the determinism check: two runs are compared step by step and the first differing
// step is named with both runs' events; a property that leaks a static counter is reported as
// nondeterministic (not as a bug that cannot be reproduced), whether the leak shows at the
// first case or only in a found failure that does not reproduce on an immediate rerun; the
// sampled share is what the settings say; run records survive their text form.
#include "properties/determinism.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/pipeline.h"

namespace laplace::properties {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Settings Parse(Environment environment) {
  environment["LAPLACE_BASE_SEED"] = "0";
  environment["LAPLACE_CORPUS_ROOT"] = ::testing::TempDir() + "/determinism_test_corpus";
  absl::StatusOr<Settings> settings = ParseSettings(environment, {});
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

Task<> Worker(Loop& loop, int& shared, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    shared += 1;
    co_await loop.Yield();
  }
}

// Spawns `workers` tasks that yield in turn.
void Workload(Simulation& sim, int workers) {
  auto shared = std::make_shared<int>(0);
  for (int w = 0; w < workers; ++w) sim.loop().Spawn(Worker(sim.loop(), *shared, 3));
  sim.Run();
}

RunReport RunWorkload(int workers) {
  return RunOnce([workers](Simulation& sim) { Workload(sim, workers); }, TapeSpec::Seed(5),
                 {.record_steps = true});
}

TEST(Determinism, TwoRunsOfOneCaseAgree) {
  RunReport a = RunWorkload(3);
  RunReport b = RunWorkload(3);
  ASSERT_FALSE(a.step_digests.empty());
  EXPECT_EQ(a.step_digests.size(), a.steps);
  EXPECT_EQ(DescribeDifference(RecordOfRun(a), "a", RecordOfRun(b), "b"), std::nullopt);
}

TEST(Determinism, TheFirstDifferingStepIsNamedWithBothRunsEvents) {
  std::optional<std::string> text = DescribeDifference(RecordOfRun(RunWorkload(2)), "run one",
                                                       RecordOfRun(RunWorkload(3)), "run two");
  ASSERT_TRUE(text.has_value());
  // The third worker's spawn is the first event that differs: before any step.
  EXPECT_THAT(*text, HasSubstr("the runs differ first at step"));
  EXPECT_THAT(*text, HasSubstr("first differing event: #"));
  EXPECT_THAT(*text, HasSubstr("  run one, events #"));
  EXPECT_THAT(*text, HasSubstr("  run two, events #"));
  EXPECT_THAT(*text, HasSubstr("    > #"));
}

TEST(Determinism, RunsWithoutStepDigestsAreComparedByTheirKeptEvents) {
  RunReport a = RunOnce([](Simulation& sim) { Workload(sim, 2); }, TapeSpec::Seed(5), {});
  RunReport b = RunOnce([](Simulation& sim) { Workload(sim, 3); }, TapeSpec::Seed(5), {});
  ASSERT_TRUE(a.step_digests.empty());
  std::optional<std::string> text = DescribeDifference(RecordOfRun(a), "a", RecordOfRun(b), "b");
  ASSERT_TRUE(text.has_value());
  EXPECT_THAT(*text, HasSubstr("step"));
  EXPECT_THAT(*text, HasSubstr("digest 0x"));
}

TEST(Determinism, ARunRecordSurvivesItsTextForm) {
  RunRecord record = RecordOfRun(RunWorkload(2));
  record.events.emplace_back(7, "a note with a \\ and a\nnewline");
  const std::string path = ::testing::TempDir() + "/record.txt";
  ASSERT_TRUE(WriteRunRecord(path, record).ok());
  absl::StatusOr<RunRecord> read = ReadRunRecord(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->digest, record.digest);
  EXPECT_EQ(read->outcome, record.outcome);
  EXPECT_EQ(read->step_digests, record.step_digests);
  EXPECT_EQ(read->events, record.events);
  EXPECT_EQ(DescribeDifference(record, "a", *read, "b"), std::nullopt);
}

TEST(Determinism, ADamagedRunRecordIsRefusedWithItsLine) {
  const std::string path = ::testing::TempDir() + "/damaged.txt";
  {
    std::ofstream out(path);
    out << "laplace-run-record 1\ndigest 12\nsteps many\n";
  }
  absl::StatusOr<RunRecord> read = ReadRunRecord(path);
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path + ":3: unreadable line"));
}

TEST(Determinism, TheSampledShareIsTheSettingsShare) {
  int sampled = 0;
  for (uint64_t seed = 0; seed < 10'000; ++seed) sampled += SampledForDeterminismCheck(seed, 5);
  EXPECT_GT(sampled, 400);
  EXPECT_LT(sampled, 600);
  EXPECT_FALSE(SampledForDeterminismCheck(3, 0));
  EXPECT_TRUE(SampledForDeterminismCheck(3, 100));
}

// The issue's case: a static counter that leaks across runs changes how
// many workers the next run spawns.
Property LeakingCounter() {
  return PropertyOf("Determinism.LeakingCounter", [](Simulation& sim) {
    static int runs = 0;
    Workload(sim, 1 + ++runs % 2);
  });
}

TEST(Determinism, AStaticCounterIsReportedAsNondeterminismAtTheFirstCase) {
  PropertyResult result =
      RunProperty(LeakingCounter(), {.sweep_seeds = 100}, Parse({}), PipelineOutput::Silent());
  EXPECT_FALSE(result.ok());
  ASSERT_TRUE(result.nondeterminism.has_value());
  EXPECT_THAT(*result.nondeterminism,
              HasSubstr("Laplace found nondeterminism in Determinism.LeakingCounter: seed 0"));
  EXPECT_THAT(*result.nondeterminism, HasSubstr("the runs differ first at step"));
  EXPECT_THAT(*result.nondeterminism, HasSubstr("static or global variables"));
  EXPECT_EQ(result.runs, 1u);  // the sweep stopped at the case that differed
  EXPECT_FALSE(result.failure.has_value());
}

// The issue's other case: the leak shows only in the third run, which fails;
// its seed then passes when rerun.
Property FailsOnItsThirdRun() {
  return PropertyOf("Determinism.FailsOnItsThirdRun", [](Simulation& sim) {
    static int runs = 0;
    const bool third = ++runs == 3;
    Workload(sim, 2);
    LAPLACE_ASSERT(!third) << "the third run of this process";
  });
}

TEST(Determinism, AFailureThatDoesNotReproduceOnAnImmediateRerunSaysSo) {
  PropertyResult result =
      RunProperty(FailsOnItsThirdRun(), {.sweep_seeds = 100},
                  Parse({{"LAPLACE_CHECK_DETERMINISM", "0%"}}), PipelineOutput::Silent());
  EXPECT_FALSE(result.ok());
  ASSERT_TRUE(result.nondeterminism.has_value()) << FormatResult(FailsOnItsThirdRun(), result);
  const std::string& text = *result.nondeterminism;
  // The portfolio's member for seed 2 learns across runs, so the rerun replays the tape.
  EXPECT_THAT(text, HasSubstr("seed 2 (size 2), from its tape (scheduled by pct:depth=2"));
  EXPECT_THAT(text, HasSubstr("did not run the same way twice"));
  EXPECT_THAT(text, HasSubstr("It failed (seed 2 after 3 run(s), scheduled by pct:depth=2"));
  EXPECT_THAT(text, HasSubstr("but its reruns did not all fail the same way"));
  EXPECT_THAT(text, HasSubstr("no replay file is written"));
  EXPECT_THAT(text, HasSubstr("the third run of this process"));
  EXPECT_THAT(text, HasSubstr("step"));
  EXPECT_THAT(text, HasSubstr("(reruns 1 and 2 ran exactly as rerun 3)"));
  // Not reported as a found bug, and no replay file.
  EXPECT_FALSE(result.failure.has_value());
}

TEST(Determinism, ADeterministicPropertyPassesEveryCheck) {
  PropertyResult result = RunProperty(
      PropertyOf("Determinism.Deterministic", [](Simulation& sim) { Workload(sim, 3); }),
      {.sweep_seeds = 30}, Parse({{"LAPLACE_CHECK_DETERMINISM", "all"}}), PipelineOutput::Silent());
  EXPECT_TRUE(result.ok()) << result.problems.front().message;
  EXPECT_EQ(result.determinism_checked, 30u);
}

TEST(Determinism, OffChecksNothingNotEvenAFoundFailure) {
  PropertyResult result =
      RunProperty(FailsOnItsThirdRun(), {.sweep_seeds = 100, .write_replays = false},
                  Parse({{"LAPLACE_CHECK_DETERMINISM", "off"}}), PipelineOutput::Silent());
  EXPECT_EQ(result.determinism_checked, 0u);
  EXPECT_FALSE(result.nondeterminism.has_value());
}

TEST(Determinism, RapidCheckCasesAreCheckedToo) {
  struct Leaks : PropertyBase {
    using PropertyBase::PropertyBase;
    void operator()(int) {
      static int runs = 0;
      Workload(sim, 1 + ++runs % 2);
    }
  };
  Property property{"Determinism.RapidCheckLeak", __FILE__, __LINE__,
                    std::make_shared<TypedCases<Leaks>>("(int ignored)")};
  PropertyResult result = RunProperty(property, {.cases = 20}, Parse({}), PipelineOutput::Silent());
  EXPECT_FALSE(result.ok());
  ASSERT_TRUE(result.nondeterminism.has_value());
  EXPECT_THAT(*result.nondeterminism, HasSubstr("the runs differ first at step"));
}

TEST(Determinism, BadSettingsSayWhatIsAccepted) {
  for (const char* bad : {"5", "101%", "fresh", "off,fresh", "all,stale", "-1%"}) {
    absl::StatusOr<Settings> settings = ParseSettings({{"LAPLACE_CHECK_DETERMINISM", bad}}, {});
    ASSERT_FALSE(settings.ok()) << bad;
    EXPECT_THAT(std::string(settings.status().message()),
                HasSubstr("expected off, a share of cases from 0% to 100%, or all"));
  }
  absl::StatusOr<Settings> fresh = ParseSettings({}, {"--laplace_check_determinism=25%,fresh"});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->check_determinism->share_percent, 25);
  EXPECT_TRUE(fresh->check_determinism->fresh_process);
}

}  // namespace
}  // namespace laplace::properties
