// Proves that GoogleTest assertions inside a simulation are failures of the run they are made in:
// an EXPECT_EQ in a task is found by the sweep, shrunk, written as a replay file and reproduced
// by it, with the macro's file:line as its site; an ASSERT_EQ in a helper stops the run the same
// way; and nothing of it reaches the running test while the pipeline explores.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "base/strings.h"
#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "loop/task.h"
#include "properties/property.h"
#include "properties/shrinker.h"
#include "replays/replay_file.h"

namespace laplace::properties {
namespace {

using ::laplace::internal::Cat;
using ::testing::HasSubstr;

int expect_line = 0;  // the EXPECT_EQ's line, set when the checker first runs

Task<> Increment(Loop& loop, int& counter) {
  int seen = counter;
  co_await loop.Yield();
  co_await loop.Yield();
  counter = seen + 1;
}

// Four workers lose updates; a task checks the total with EXPECT_EQ once they are done.
Task<> Checker(Loop& loop, std::vector<TaskHandle<void>> workers, const int& counter) {
  for (TaskHandle<void>& worker : workers) (void)co_await worker;
  co_await loop.Yield();
  expect_line = __LINE__ + 1;
  EXPECT_EQ(counter, 4) << "updates were lost";
}

Property LostUpdate(const std::string& package) {
  Property property = PropertyOf(
      "GoogleTestAssertions.LostUpdate",
      [](Simulation& sim) {
        auto counter = std::make_shared<int>(0);
        std::vector<TaskHandle<void>> workers;
        for (int w = 0; w < 4; ++w) {
          workers.push_back(sim.loop().Spawn(Increment(sim.loop(), *counter), Cat("worker/", w)));
        }
        sim.loop().Spawn(Checker(sim.loop(), std::move(workers), *counter), "checker");
        sim.Run();
      },
      __FILE__);
  property.package = package;
  return property;
}

Settings Parse(Environment environment) {
  environment["LAPLACE_BASE_SEED"] = "0";
  absl::StatusOr<Settings> settings = ParseSettings(environment, {});
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

std::string Package(const std::string& name) {
  std::string package = ::testing::TempDir() + "/gtest_assertions/" + name;
  std::filesystem::remove_all(package);
  return package;
}

// Runs `property` as RunPropertyTest does, and returns what reached the running test.
PropertyResult RunCatching(const Property& property, const PropertyOptions& options,
                           const Settings& settings, ::testing::TestPartResultArray& reached) {
  ::testing::ScopedFakeTestPartResultReporter reporter(
      ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &reached);
  return RunPropertyCatchingGoogleTest(property, options, settings, PipelineOutput::Silent());
}

TEST(GoogleTestAssertions, AnExpectEqInATaskIsFoundShrunkAndReplayedAsTheRunsFailure) {
  const std::string package = Package("expect");
  const Property property = LostUpdate(package);
  ::testing::TestPartResultArray reached;
  PropertyResult result = RunCatching(property, {.sweep_seeds = 500}, Parse({}), reached);
  EXPECT_EQ(reached.size(), 0) << "no run's EXPECT_EQ reached the test as a failure of its own";
  ASSERT_TRUE(result.failure.has_value()) << FormatResult(property, result);
  const FoundCase& found = result.failure->found;
  ASSERT_TRUE(found.report.failure.has_value());
  EXPECT_EQ(found.report.failure->kind, kAssertion);
  EXPECT_EQ(found.report.failure->site, Cat(__FILE__, ":", expect_line));
  EXPECT_THAT(found.report.failure->message, HasSubstr("GoogleTest failure: "));
  EXPECT_THAT(found.report.failure->message, HasSubstr("updates were lost"));
  // Shrunk: one preemption between a read and its write loses an update.
  EXPECT_LT(NonZeroChoices(found.report.tape), found.original_nonzero);
  EXPECT_LE(NonZeroChoices(found.report.tape), 2u);
  // Its replay file reproduces it (an EXPECT_PASS file fails while the bug is there).
  ASSERT_FALSE(result.failure->replay_path.empty()) << result.failure->replay_error;
  ::testing::TestPartResultArray replay_reached;
  PropertyResult replay = RunCatching(
      property, {}, Parse({{"LAPLACE_REPLAY", result.failure->replay_path}}), replay_reached);
  EXPECT_EQ(replay_reached.size(), 0);
  ASSERT_EQ(replay.corpus.size(), 1u);
  EXPECT_THAT(replay.corpus[0].verdict.message, HasSubstr("(the bug this file was recorded for)"));
}

TEST(GoogleTestAssertions, AMultiLineMessageStaysIndentedAndANoShrinkBudgetSaysNotShrunk) {
  const std::string package = Package("layout");
  const Property property = LostUpdate(package);
  ::testing::TestPartResultArray reached;
  PropertyResult result =
      RunCatching(property, {.sweep_seeds = 500, .shrink_budget = std::chrono::milliseconds(0)},
                  Parse({}), reached);
  ASSERT_TRUE(result.failure.has_value());
  const std::string report = FormatResult(property, result);
  // GoogleTest's message has several lines; each continues inside the failure field.
  EXPECT_THAT(report, HasSubstr("\n               counter"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("\nupdates were lost")));
  EXPECT_THAT(report, HasSubstr("shrunk:    not shrunk: the shrink budget ran out"));
}

int assert_line = 0;

void CheckPositive(int value) {
  assert_line = __LINE__ + 1;
  ASSERT_GT(value, 0);
}

TEST(GoogleTestAssertions, AnAssertInAHelperIsTheRunsFailureToo) {
  const std::string package = Package("assert");
  Property property = PropertyOf(
      "GoogleTestAssertions.Negative",
      [](Simulation& sim) {
        CheckPositive(static_cast<int>(sim.loop().Choose(3, ChoiceKind::kDraw)) - 1);
        sim.Run();
      },
      __FILE__);
  property.package = package;
  ::testing::TestPartResultArray reached;
  PropertyResult result = RunCatching(property, {.sweep_seeds = 50}, Parse({}), reached);
  EXPECT_EQ(reached.size(), 0);
  ASSERT_TRUE(result.failure.has_value());
  const Failure& failure = *result.failure->found.report.failure;
  EXPECT_EQ(failure.site, Cat(__FILE__, ":", assert_line));
  EXPECT_THAT(failure.message, HasSubstr("GoogleTest fatal failure: "));
  // Shrunk to the smallest draw that fails: 0, so value -1.
  EXPECT_EQ(NonZeroChoices(result.failure->found.report.tape), 0u);
}

}  // namespace
}  // namespace laplace::properties
