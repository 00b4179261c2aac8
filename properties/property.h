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
// `sim` (a Simulation, see simulation.h) is the body's handle on the run. Each
// test:
//   1. replays its corpus, <package>/replays/<Suite>.<Test>/*.textpb, so a
//      checked-in failure stays fixed (or, for EXPECT_FAILURE files, stays
//      reproducible);
//   2. runs `cases` RapidCheck cases (or a seed sweep, see PropertyOptions);
//   3. on a failure, shrinks the arguments and the tape together (within the
//      shrink budget), writes a replay file into the corpus and fails with a
//      report ending in the one command that reproduces it.
// Environment variables, for a single run:
//   LAPLACE_SEED=S[:Z]   run only the case of seed S (at size Z), with its
//                        whole trace printed if it fails
//   LAPLACE_REPLAY=FILE  replay only FILE (LAPLACE_TRACE=1 prints its trace)
//   LAPLACE_CASES=N, LAPLACE_SWEEP=N, LAPLACE_SWEEP_SECONDS=T,
//   LAPLACE_SHRINK_SECONDS=T, LAPLACE_WRITE_REPLAYS=0   override the options
//   LAPLACE_RECORD=1     a bug-zoo test (expect_failure) records its failure
// The same as flags of the test binary (properties/main.cc), e.g.
//   bazel run //examples/bank:bank_test -- --laplace_seed=7 --gtest_filter=Bank.*
// Link "//properties:main" (laplace_property_test does) for those flags and so
// that Bazel and GoogleTest sharding split every property's cases across
// shards.
#ifndef LAPLACE_PROPERTIES_PROPERTY_H_
#define LAPLACE_PROPERTIES_PROPERTY_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/internal/strings.h"
#include "loop/loop.h"
#include "properties/assertions.h"
#include "properties/internal/rapidcheck_case.h"
#include "properties/replay_support.h"
#include "properties/runner.h"
#include "properties/shrinker.h"
#include "properties/simulation.h"
#include "rapidcheck.h"

namespace laplace::properties {

struct PropertyOptions {
  // RapidCheck cases to run (LAPLACE_CASES).
  int cases = 100;
  // RapidCheck's largest generation size.
  int max_size = 100;
  // When non-zero, a fast seed sweep of this many seeds replaces RapidCheck
  // (LAPLACE_SWEEP); the arguments come from each seed too.
  uint64_t sweep_seeds = 0;
  // Wall-clock budget of a sweep; zero means none (LAPLACE_SWEEP_SECONDS).
  std::chrono::milliseconds sweep_budget{0};
  // Wall-clock budget for shrinking one failure (LAPLACE_SHRINK_SECONDS).
  std::chrono::milliseconds shrink_budget = std::chrono::seconds(10);
  // Budgets and strategy for every run's Loop.
  LoopOptions loop;
  // Wall-clock limit of one run, for tasks that never yield.
  std::chrono::seconds watchdog = std::chrono::seconds(120);
  // Write a replay file for a new failure (LAPLACE_WRITE_REPLAYS=0: no).
  bool write_replays = true;
  // How many trace events a failure report and a replay file keep.
  size_t trace_tail = 40;
  // The bug zoo: the property is known to fail (a system with a deliberate
  // bug). The test then passes only if a failure is found, shrinks, and its
  // replay reproduces the same failure and trace digest. Its replay file is
  // written (with EXPECT_FAILURE) only when LAPLACE_RECORD=1.
  bool expect_failure = false;
};

// What the driver knows of a property.
struct PropertyInfo {
  std::string test_name;    // "Suite.Test"
  std::string source_file;  // __FILE__ of the test
  std::string parameters;   // the parameter list as written, "(int a, int b)"
};

// The arguments of one case, for reports and replay files.
struct CaseArgs {
  std::string reproduce;               // RapidCheck reproduce data (base64)
  std::vector<std::string> rendering;  // "int a = 3"
};

struct RapidCheckSettings {
  std::string test_name;
  uint64_t seed = 0;
  int cases = 100;
  int max_size = 100;
  std::chrono::milliseconds shrink_budget{0};
  RunOptions run;
  // Called after every shrink RapidCheck accepts (for progress on a terminal).
  std::function<void(const FoundCase&)> progress;
};

struct RapidCheckOutcome {
  int cases_run = 0;
  std::optional<FoundCase> found;  // the shrunk failure
  std::string error;               // RapidCheck gave up or failed itself
  // The shrink budget RapidCheck's shrinking left unused.
  std::chrono::milliseconds shrink_budget_left{0};
};

// The typed half of a property, behind an interface so that the driver
// (property.cc) is ordinary code.
class PropertyCases {
 public:
  virtual ~PropertyCases() = default;
  // The body with arguments generated from rc::Random(seed) at `size`.
  virtual Body ForSeed(uint64_t seed, int size, CaseArgs& args) = 0;
  // The body with arguments regenerated from reproduce data ("" for none).
  virtual absl::StatusOr<Body> ForReproduce(const std::string& reproduce, CaseArgs& args) = 0;
  // Runs RapidCheck over the property, shrinking a failure.
  virtual RapidCheckOutcome Check(const RapidCheckSettings& settings) = 0;
};

// Runs one LAPLACE_PROPERTY test (steps 1-3 above), reporting through
// GoogleTest.
void RunPropertyTest(const PropertyInfo& info, PropertyCases& cases, PropertyOptions options);

// The parameter declarations of a parameter list: "(int a, std::pair<int, int> b)"
// gives {"int a", "std::pair<int, int> b"}.
std::vector<std::string> SplitParameters(const std::string& parameters);

// Adapts a GoogleMock matcher on a future's value for
// Simulation::ExpectResolvesTo: the result must be OK and its value match.
//   sim.ExpectResolvesTo(reply, ValueMatches<int>(::testing::Gt(0)), "positive-reply");
template <typename T, typename Matcher>
auto ValueMatches(Matcher matcher) {
  return [m = ::testing::SafeMatcherCast<const T&>(matcher)](const auto& result) {
    return result.ok() && m.Matches(*result);
  };
}

// A LAPLACE_PROPERTY body's base class: gives the body `sim`.
class PropertyBase {
 public:
  explicit PropertyBase(Simulation& simulation) : sim(simulation) {}

 protected:
  Simulation& sim;
};

namespace internal {

template <typename T>
struct MemberArguments;
template <typename Class, typename... Ts>
struct MemberArguments<void (Class::*)(Ts...)> {
  using type = std::tuple<std::decay_t<Ts>...>;
};

template <typename Property>
class TypedCases final : public PropertyCases {
 public:
  using Args = typename MemberArguments<decltype(&Property::operator())>::type;

  explicit TypedCases(const PropertyInfo& info) : names_(SplitParameters(info.parameters)) {}

  Body ForSeed(uint64_t seed, int size, CaseArgs& args) override {
    ArgsOrigin origin{rc::Random(seed), size, {}};
    return Bind(ArgumentsGenerator<Args>()(origin.random, origin.size).value(), origin, args);
  }

  absl::StatusOr<Body> ForReproduce(const std::string& reproduce, CaseArgs& args) override {
    if (reproduce.empty()) {
      if constexpr (std::tuple_size_v<Args> == 0) return Bind(Args(), ArgsOrigin{}, args);
      return absl::InvalidArgumentError(
          "the replay has no argument data, but the property takes arguments");
    }
    absl::StatusOr<ArgsOrigin> origin = DecodeArgsOrigin(reproduce);
    if (!origin.ok()) return origin.status();
    std::optional<rc::Shrinkable<Args>> node = ArgumentsAt<Args>(*origin);
    if (!node.has_value()) {
      return absl::InvalidArgumentError(
          "the replay's argument shrink path no longer exists: the property's arguments or "
          "their generators changed since it was recorded");
    }
    return Bind(node->value(), *origin, args);
  }

  RapidCheckOutcome Check(const RapidCheckSettings& settings) override;

 private:
  Body Bind(Args values, const ArgsOrigin& origin, CaseArgs& args) {
    args.reproduce = std::tuple_size_v<Args> == 0 ? "" : EncodeArgsOrigin(origin);
    args.rendering = Render(values);
    return [values](Simulation& sim) {
      Property property(sim);
      std::apply([&property](const auto&... value) { property(value...); }, values);
    };
  }

  std::vector<std::string> Render(const Args& values) const {
    std::vector<std::string> lines;
    std::apply(
        [&](const auto&... value) {
          ((lines.push_back((lines.size() < names_.size() ? names_[lines.size()] : "arg") + " = " +
                            rc::toString(value))),
           ...);
        },
        values);
    return lines;
  }

  std::vector<std::string> names_;
};

// Runs RapidCheck's check of `property` with `settings`, filling in what the
// property's runs did not: RapidCheck giving up, or failing itself.
void RunRapidCheck(const rc::detail::Property& property, const RapidCheckSettings& settings,
                   RapidCheckOutcome& outcome);

template <typename Property>
RapidCheckOutcome TypedCases<Property>::Check(const RapidCheckSettings& settings) {
  RapidCheckOutcome outcome;
  auto session = std::make_shared<ShrinkSession>(settings.shrink_budget);
  rc::Gen<Case<Args>> generator = CaseGenerator<Args>(session);
  int first_failure_run = 0;
  const auto property = rc::detail::toProperty([&] {
    Case<Args> c = *generator;
    CaseArgs args;
    Body body = Bind(c.args, c.origin, args);
    TapeCell& cell = *c.cell;
    TapeSpec spec = cell.seed.has_value() ? TapeSpec::Seed(*cell.seed)
                                          : TapeSpec::Replay(cell.tape, TapeSource::Mode::kLenient);
    RunOptions run = settings.run;
    run.reproduce_hint =
        ::laplace::internal::Cat(cell.seed.has_value() ? "rerun with" : "shrinking the case of",
                                 " LAPLACE_SEED=", c.seed, ":", c.origin.size);
    RunReport report = RunOnce(body, spec, run);
    ++outcome.cases_run;
    if (report.discarded) RC_DISCARD("a precondition (RC_PRE) does not hold");
    bool counts = report.failed() &&
                  (cell.required_signature.empty() ||
                   report.failure->signature() == cell.required_signature) &&
                  (!cell.must_be_smaller_than.has_value() ||
                   SimplerThan(report.tape, *cell.must_be_smaller_than));
    cell.counted = counts;
    cell.report = report;
    if (outcome.found.has_value()) {
      outcome.found->candidates_tried = outcome.cases_run - first_failure_run;
      outcome.found->shrink_budget_exhausted = session->exhausted_seen();
    }
    if (!counts) return;
    if (!outcome.found.has_value()) {
      session->StartShrinking();
      first_failure_run = outcome.cases_run;
      outcome.found =
          FoundCase{.seed = c.seed, .size = c.origin.size, .original_length = report.tape.size()};
    }
    outcome.found->args_reproduce = args.reproduce;
    outcome.found->args_rendering = args.rendering;
    outcome.found->report = report;
    if (settings.progress) settings.progress(*outcome.found);
    RC_FAIL(report.failure->ToString());
  });
  RunRapidCheck(property, settings, outcome);
  outcome.shrink_budget_left = session->Remaining();
  return outcome;
}

}  // namespace internal
}  // namespace laplace::properties

#define LAPLACE_PROPERTY(Suite, Name, ArgList) \
  LAPLACE_PROPERTY_WITH_OPTIONS(Suite, Name, ::laplace::properties::PropertyOptions{}, ArgList)

// As LAPLACE_PROPERTY, with a PropertyOptions expression.
#define LAPLACE_PROPERTY_WITH_OPTIONS(Suite, Name, Options, ArgList)                           \
  class LaplaceProperty_##Suite##_##Name : public ::laplace::properties::PropertyBase {        \
   public:                                                                                     \
    using PropertyBase::PropertyBase;                                                          \
    void operator() ArgList;                                                                   \
  };                                                                                           \
  TEST(Suite, Name) {                                                                          \
    ::laplace::properties::PropertyInfo info{#Suite "." #Name, __FILE__, #ArgList};            \
    ::laplace::properties::internal::TypedCases<LaplaceProperty_##Suite##_##Name> cases(info); \
    ::laplace::properties::RunPropertyTest(info, cases, Options);                              \
  }                                                                                            \
  void LaplaceProperty_##Suite##_##Name::operator() ArgList

#endif  // LAPLACE_PROPERTIES_PROPERTY_H_
