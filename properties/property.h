// LAPLACE_PROPERTY: a simulation property as a GoogleTest test, with
// RapidCheck generating its arguments and a hidden tape of every scheduling,
// fault and delay choice, shrunk together when it fails.
//
//   LAPLACE_PROPERTY(Bank, TransfersKeepTheTotal, (int clients, int transfers)) {
//     RC_PRE(clients >= 1 && clients <= 4);   // RapidCheck preconditions work
//     Bank bank(sim.loop(), {.fixed = true});
//     sim.AddInvariant("total-preserved", [&] { return bank.total() == 300; });
//     for (int c = 0; c < clients; ++c) sim.loop().Spawn(Client(sim.loop(), bank, transfers));
//     sim.Run();  // the body runs the loop: its locals die when it returns
//   }
//
// `sim` (a Simulation, see simulation.h) is the body's handle on the run.
// Each test runs the property pipeline (pipeline.h: the corpus first, then
// RapidCheck cases or a seed sweep, shrinking, a replay file) and turns its
// result into the test's result: a found failure fails the test with a
// report that ends in the one command reproducing it. This header is only
// that thin GoogleTest layer; RunProperty works without it.
//
// The run is shaped by PropertyOptions (LAPLACE_PROPERTY_WITH_OPTIONS) and by
// the process's settings: flags such as --laplace_seed=S, --laplace_replay=FILE,
// --laplace_sweep=N and their LAPLACE_* variables (settings.h; `--help` lists
// them all), e.g.
//   bazel run //examples/bank:bank_test -- --laplace_seed=7 --gtest_filter=Bank.*
// Build the test with laplace_property_test (defs.bzl): it links the Laplace
// main (properties/main.cc), which parses the settings before any test runs
// and spreads every property's cases across Bazel or GoogleTest shards.
#ifndef LAPLACE_PROPERTIES_PROPERTY_H_
#define LAPLACE_PROPERTIES_PROPERTY_H_

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "properties/assertions.h"
#include "properties/cases.h"
#include "properties/pipeline.h"
#include "properties/registry.h"
#include "properties/simulation.h"
#include "rapidcheck.h"

namespace laplace::properties {

// Runs `property` through the pipeline with the process's settings and
// reports to the running GoogleTest test: a skip, a failure per problem, the
// report of a found failure, notes on stderr. GoogleTest assertions made
// inside a run (EXPECT_*, ASSERT_*, ADD_FAILURE in the body or in any task)
// are that run's failure, as a LAPLACE_ASSERT's would be (site: the macro's
// file:line): found, shrunk and written as a replay file, not a red test
// whose sweep says every seed passed (see RunPropertyCatchingGoogleTest).
void RunPropertyTest(const Property& property, const PropertyOptions& options);

// RunProperty with GoogleTest failures made inside a simulation turned into
// the failure of the run they were made in; those made outside any
// simulation are reported to the running test as usual, once it returns.
// RunPropertyTest is ReportToGoogleTest of this.
PropertyResult RunPropertyCatchingGoogleTest(
    const Property& property, const PropertyOptions& options,
    const Settings& settings = ProcessSettings(),
    const PipelineOutput& output = PipelineOutput::Stderr());

// Turns a pipeline result into GoogleTest's verdict for the running test.
void ReportToGoogleTest(const Property& property, const PropertyResult& result);

// Adapts a GoogleMock matcher on a future's value for
// Simulation::ExpectResolvesTo: the result must be OK and its value match.
//   sim.ExpectResolvesTo(reply, ValueMatches<int>(::testing::Gt(0)), "positive-reply");
template <typename T, typename Matcher>
auto ValueMatches(Matcher matcher) {
  return [m = ::testing::SafeMatcherCast<const T&>(matcher)](const auto& result) {
    return result.ok() && m.Matches(*result);
  };
}

}  // namespace laplace::properties

#define LAPLACE_PROPERTY(Suite, Name, ArgList) \
  LAPLACE_PROPERTY_WITH_OPTIONS(Suite, Name, ::laplace::properties::PropertyOptions{}, ArgList)

// As LAPLACE_PROPERTY, with a PropertyOptions expression. The property is
// also registered by name (registry.h), for laplace_fuzz_test.
#define LAPLACE_PROPERTY_WITH_OPTIONS(Suite, Name, Options, ArgList)                               \
  class LaplaceProperty_##Suite##_##Name : public ::laplace::properties::PropertyBase {            \
   public:                                                                                         \
    using PropertyBase::PropertyBase;                                                              \
    void operator() ArgList;                                                                       \
  };                                                                                               \
  static ::laplace::properties::RegisteredProperty LaplaceMake_##Suite##_##Name() {                \
    return {                                                                                       \
        ::laplace::properties::Property{                                                           \
            #Suite "." #Name, __FILE__, __LINE__,                                                  \
            std::make_shared<::laplace::properties::TypedCases<LaplaceProperty_##Suite##_##Name>>( \
                #ArgList)},                                                                        \
        Options};                                                                                  \
  }                                                                                                \
  [[maybe_unused]] static const bool laplace_registered_##Suite##_##Name =                         \
      ::laplace::properties::RegisterProperty(#Suite "." #Name, &LaplaceMake_##Suite##_##Name);    \
  TEST(Suite, Name) {                                                                              \
    ::laplace::properties::RegisteredProperty made = LaplaceMake_##Suite##_##Name();               \
    ::laplace::properties::RunPropertyTest(made.property, made.options);                           \
  }                                                                                                \
  void LaplaceProperty_##Suite##_##Name::operator() ArgList

#endif  // LAPLACE_PROPERTIES_PROPERTY_H_
