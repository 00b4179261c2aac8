// A RapidCheck search over a property's cases: RapidCheck generates the
// visible arguments, Laplace the hidden tape, and a failure is shrunk in
// both together (see internal/rapidcheck_case.h for how).
//
// PropertyCases::Check (cases.h) calls CheckCases; the pipeline calls that.
//
//   RapidCheckOutcome outcome = cases.Check({.test_name = "Bank.Transfers", .seed = 7});
//   if (outcome.found) { ... outcome.found->report is the shrunk failing run ... }
#ifndef LAPLACE_PROPERTIES_RAPIDCHECK_SEARCH_H_
#define LAPLACE_PROPERTIES_RAPIDCHECK_SEARCH_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "properties/found_case.h"
#include "properties/internal/rapidcheck_case.h"
#include "properties/runner.h"
#include "rapidcheck.h"

namespace laplace::properties {

// The arguments of one case, for reports and replay files.
struct CaseArgs {
  std::string reproduce;               // RapidCheck reproduce data (base64)
  std::vector<std::string> rendering;  // "int a = 3"
};

struct RapidCheckSettings {
  std::string test_name;
  uint64_t seed = 0;  // RapidCheck's seed: the cases follow from it
  int cases = 100;
  int max_size = 100;
  std::chrono::milliseconds shrink_budget{0};
  uint64_t shrink_candidates_max = 0;  // 0: no limit but the time
  RunOptions run;
  // The watchdog's handler for a run of one case (RunOptions::on_hang), made from the case.
  std::function<std::function<std::string(const RunReport&)>(uint64_t seed, int size,
                                                             const CaseArgs& args)>
      hang_writer;
  // Called after every shrink RapidCheck accepts (for progress on a terminal).
  std::function<void(const FoundCase&)> progress;
  // Called after every fresh case (not shrink candidates) with what ran it:
  // its body, seed, size and report. Optional.
  std::function<void(const Body& body, uint64_t case_seed, int size, const RunReport& report)>
      after_case;
  // Asked before every case: true makes the remaining cases pass without
  // running (the pipeline found a problem that ends the search). Optional.
  std::function<bool()> stop;
};

struct RapidCheckOutcome {
  int cases_run = 0;
  int discarded = 0;
  std::optional<FoundCase> found;  // the shrunk failure
  std::string error;               // RapidCheck gave up or failed itself
  // Where RapidCheck's giving up points: the last RC_PRE that discarded a
  // case ("file:line"), if any.
  std::string discard_site;
  // RapidCheck's RC_CLASSIFY/RC_TAG table when it passed: each combination
  // of tags and how many cases had it.
  std::vector<std::pair<std::vector<std::string>, int>> classes;
  // The shrink budget RapidCheck's shrinking left unused.
  std::chrono::milliseconds shrink_budget_left{0};
};

// Runs RapidCheck with `settings` over cases whose body `bind` makes from
// generated arguments (and fills in their CaseArgs).
template <typename Args>
RapidCheckOutcome CheckCases(
    const RapidCheckSettings& settings,
    const std::function<Body(const Args&, const internal::ArgsOrigin&, CaseArgs&)>& bind);

// Implementation details follow.

namespace internal {

// What one RapidCheck check shares across its cases.
struct SearchState {
  const RapidCheckSettings& settings;
  RapidCheckOutcome& outcome;
  std::shared_ptr<ShrinkSession> session;
  int first_failure_run = 0;
  // The tapes of fresh cases that failed, by case seed: RapidCheck evaluates a failing case
  // again, and a strategy that learns across runs (PCT's k) would schedule its seed
  // differently by then, so a seed seen failing replays its tape.
  absl::btree_map<uint64_t, Tape> failed_tapes;
};

// Runs one case with the tape its cell says. Returns for a pass; throws
// RapidCheck's discard for a rejected case, and RapidCheck's failure for a
// failure that counts (see TapeCell).
void RunCase(SearchState& state, const Body& body, const CaseArgs& args, uint64_t case_seed,
             int size, TapeCell& cell);

// Runs RapidCheck's check of `property` with `settings`, filling in what the
// property's runs did not: RapidCheck giving up, or failing itself.
void RunRapidCheck(const rc::detail::Property& property, const RapidCheckSettings& settings,
                   RapidCheckOutcome& outcome);

}  // namespace internal

template <typename Args>
RapidCheckOutcome CheckCases(
    const RapidCheckSettings& settings,
    const std::function<Body(const Args&, const internal::ArgsOrigin&, CaseArgs&)>& bind) {
  RapidCheckOutcome outcome;
  internal::SearchState state{settings, outcome,
                              std::make_shared<internal::ShrinkSession>(
                                  settings.shrink_budget, settings.shrink_candidates_max)};
  rc::Gen<internal::Case<Args>> generator = internal::CaseGenerator<Args>(state.session);
  const auto property = rc::detail::toProperty([&] {
    internal::Case<Args> c = *generator;
    CaseArgs args;
    Body body = bind(c.args, c.origin, args);
    internal::RunCase(state, body, args, c.seed, c.origin.size, *c.cell);
  });
  internal::RunRapidCheck(property, settings, outcome);
  outcome.shrink_budget_left = state.session->Remaining();
  return outcome;
}

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_RAPIDCHECK_SEARCH_H_
