// The GoogleTest layer over the pipeline: a PropertyResult becomes the running test's verdict.
#include "properties/property.h"

#include <cstdlib>
#include <string>

#include "base/strings.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "properties/failure.h"
#include "properties/simulation.h"

namespace laplace::properties {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

// Where a found failure's report points: its assertion's file:line when it
// has one in this source file's workspace, else the property.
std::pair<std::string, int> FailureLocation(const Property& property, const Failure& failure) {
  if (failure.kind == kAssertion) {
    size_t colon = failure.site.rfind(':');
    if (colon != std::string::npos && colon + 1 < failure.site.size()) {
      int line = std::atoi(failure.site.c_str() + colon + 1);
      if (line > 0) return {failure.site.substr(0, colon), line};
    }
  }
  return {property.source_file, property.line};
}

// The failure's facts as JUnit XML properties of the running test (CI
// dashboards show them): seed, signature, strategy, replay and artifacts.
void RecordFailureProperties(const FoundFailure& failure) {
  const FoundCase& found = failure.found;
  ::testing::Test::RecordProperty("laplace_seed", Cat(found.seed, ":", found.size));
  ::testing::Test::RecordProperty("laplace_signature", found.report.failure->signature());
  ::testing::Test::RecordProperty("laplace_strategy", found.strategy.ToString());
  if (!failure.replay_path.empty()) {
    ::testing::Test::RecordProperty("laplace_replay", failure.replay_path);
  }
  std::string artifacts;
  for (const std::string& path : failure.artifacts)
    Append(artifacts, artifacts.empty() ? "" : " ", path);
  if (!artifacts.empty()) ::testing::Test::RecordProperty("laplace_artifacts", artifacts);
}

// Turns a GoogleTest failure (EXPECT_*, ASSERT_*, ADD_FAILURE) made inside a simulation -- in
// a property's body or in any of its tasks -- into that run's failure, an assertion failure
// whose site is the macro's file:line, so it is found, shrunk and replayed like LAPLACE_ASSERT
// instead of marking the test red while the sweep reports its seeds as passed. (ASSERT_* only
// returns from the function it is in, as ever; the run stops at the next scheduling point.)
// Results outside any simulation are collected in `outside`, to be reported once it is gone.
class RunFailureReporter : public ::testing::ScopedFakeTestPartResultReporter {
 public:
  explicit RunFailureReporter(::testing::TestPartResultArray* outside)
      : ScopedFakeTestPartResultReporter(INTERCEPT_ONLY_CURRENT_THREAD, outside) {}

  void ReportTestPartResult(const ::testing::TestPartResult& result) override {
    Simulation* sim = Simulation::Current();
    if (sim == nullptr || !result.failed()) {
      ScopedFakeTestPartResultReporter::ReportTestPartResult(result);
      return;
    }
    const char* file = result.file_name() != nullptr ? result.file_name() : "unknown file";
    sim->Fail(
        kAssertion, Cat(file, ":", result.line_number()),
        Cat("GoogleTest ", result.fatally_failed() ? "fatal " : "", "failure: ", result.summary()));
  }
};

// Reports `results` (made outside any simulation) to GoogleTest as they were made.
void ReportAgain(const ::testing::TestPartResultArray& results) {
  for (int i = 0; i < results.size(); ++i) {
    const ::testing::TestPartResult& result = results.GetTestPartResult(i);
    ::testing::internal::AssertHelper(result.type(), result.file_name(), result.line_number(),
                                      result.message()) = ::testing::Message();
  }
}

}  // namespace

void ReportToGoogleTest(const Property& property, const PropertyResult& result) {
  if (result.outcome == PropertyResult::Outcome::kSkipped) {
    GTEST_SKIP() << result.skip_reason;
  }
  for (const Problem& problem : result.problems) {
    std::string file = problem.file.empty() ? property.source_file : problem.file;
    int line = problem.file.empty() ? property.line : problem.line;
    ADD_FAILURE_AT(file.c_str(), line) << problem.message;
  }
  if (result.failure.has_value()) RecordFailureProperties(*result.failure);
  if (result.failure.has_value() && !result.known_bug_confirmed) {
    auto [file, line] = FailureLocation(property, *result.failure->found.report.failure);
    ADD_FAILURE_AT(file.c_str(), line) << FormatFailure(property, *result.failure);
  }
}

PropertyResult RunPropertyCatchingGoogleTest(const Property& property,
                                             const PropertyOptions& options,
                                             const Settings& settings,
                                             const PipelineOutput& output) {
  ::testing::TestPartResultArray outside;
  PropertyResult result;
  {
    RunFailureReporter reporter(&outside);
    result = RunProperty(property, options, settings, output);
  }
  ReportAgain(outside);
  return result;
}

void RunPropertyTest(const Property& property, const PropertyOptions& options) {
  ReportToGoogleTest(property, RunPropertyCatchingGoogleTest(property, options));
}

}  // namespace laplace::properties
