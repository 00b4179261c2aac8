// The RapidCheck plumbing of a property: a case's argument origin as RapidCheck reproduce data,
// the shrink session's wall-time budget, running one case and RapidCheck's check.
#include "properties/internal/rapidcheck_case.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "base/strings.h"
#include "properties/rapidcheck_search.h"
#include "properties/shrinker.h"
#include "rapidcheck.h"
#include "rapidcheck/detail/TestListener.h"

namespace laplace::properties {
namespace internal {
namespace {

using WallClock = std::chrono::steady_clock;  // allowed: the shrink budget is wall time

}  // namespace

std::string EncodeArgsOrigin(const ArgsOrigin& origin) {
  rc::detail::Reproduce reproduce{origin.random, origin.size, origin.path};
  std::string bytes;
  rc::detail::serialize(reproduce, std::back_inserter(bytes));
  std::string encoded;
  absl::Base64Escape(bytes, &encoded);
  return encoded;
}

absl::StatusOr<ArgsOrigin> DecodeArgsOrigin(const std::string& encoded) {
  std::string bytes;
  if (!absl::Base64Unescape(encoded, &bytes)) {
    return absl::InvalidArgumentError("rapidcheck_reproduce is not base64");
  }
  rc::detail::Reproduce reproduce;
  try {
    auto end = rc::detail::deserialize(bytes.begin(), bytes.end(), reproduce);
    if (end != bytes.end()) {
      return absl::InvalidArgumentError("rapidcheck_reproduce has trailing bytes");
    }
  } catch (const std::exception& error) {
    return absl::InvalidArgumentError(std::string("rapidcheck_reproduce is damaged: ") +
                                      error.what());
  }
  return ArgsOrigin{reproduce.random, reproduce.size, reproduce.shrinkPath};
}

void ShrinkSession::StartShrinking() {
  deadline_ = WallClock::now() + budget_;  // allowed: the shrink budget is wall time
}

bool ShrinkSession::Exhausted() const {
  if (!deadline_.has_value()) return false;
  if (candidates_max_ != 0 && candidates_ >= candidates_max_) {
    exhausted_seen_ = true;
    return true;
  }
  if (WallClock::now() < *deadline_) return false;  // allowed: the shrink budget
  exhausted_seen_ = true;
  return true;
}

std::chrono::milliseconds ShrinkSession::Remaining() const {
  if (!deadline_.has_value()) return budget_;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      *deadline_ - WallClock::now());  // allowed: the shrink budget
  return std::max(left, std::chrono::milliseconds(0));
}

namespace {

// RapidCheck renders a string tag with its quotes ("\"even\""); reports show the words.
std::string Unquoted(const std::string& tag) {
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
    return tag.substr(1, tag.size() - 2);
  }
  return tag;
}

// Whether a case's failing run counts: any failure for a fresh case; for a
// shrink candidate, the same signature, and for a tape shrink also a simpler
// tape (the shrinker's acceptance rule, Accepts), so shrinking always ends.
bool Counts(const RunReport& report, const TapeCell& cell) {
  if (!report.failed()) return false;
  if (cell.required_signature.empty()) return true;
  if (cell.must_be_smaller_than.has_value()) {
    return report.failure->signature() == cell.required_signature && !report.over_bound &&
           SimplerThan(report.tape, *cell.must_be_smaller_than);
  }
  return report.failure->signature() == cell.required_signature;
}

}  // namespace

void RunCase(SearchState& state, const Body& body, const CaseArgs& args, uint64_t case_seed,
             int size, TapeCell& cell) {
  if (state.settings.stop && state.settings.stop()) return;
  // A seed seen failing replays its tape (SearchState::failed_tapes); the random walk learns
  // nothing, so its runs need not.
  const bool learned = cell.seed.has_value() && !cell.random_walk;
  const auto failed_before =
      learned ? state.failed_tapes.find(*cell.seed) : state.failed_tapes.end();
  const bool fresh = cell.seed.has_value() && failed_before == state.failed_tapes.end();
  TapeSpec spec = fresh
                      ? TapeSpec::Seed(*cell.seed)
                      : TapeSpec::Replay(cell.seed.has_value() ? failed_before->second : cell.tape,
                                         TapeSource::Mode::kLenient);
  RunOptions run = state.settings.run;
  run.bound = cell.bound;
  RandomWalk random_walk;
  if (cell.random_walk) run.loop.strategy = &random_walk;
  run.reproduce_hint = ::laplace::internal::Cat(fresh ? "rerun with" : "shrinking the case of",
                                                " LAPLACE_SEED=", case_seed, ":", size);
  RunReport report = RunOnce(body, spec, run);
  RapidCheckOutcome& outcome = state.outcome;
  ++outcome.cases_run;
  state.session->CountCandidate();
  // A fresh case (not a rerun of one seen failing, nor an argument shrink's random walk).
  if (learned && fresh && state.settings.after_case) {
    // What after_case runs (determinism reruns) is not a case: its
    // RC_CLASSIFY/RC_TAG tags go to RapidCheck's default context, which
    // drops them.
    rc::detail::ImplicitParam<rc::detail::param::CurrentPropertyContext> outside(
        rc::detail::param::CurrentPropertyContext::defaultValue());
    state.settings.after_case(body, case_seed, size, report);
  }
  if (report.discarded) {
    ++outcome.discarded;
    if (!report.discard_site.empty()) outcome.discard_site = report.discard_site;
    RC_DISCARD("a precondition (RC_PRE) does not hold");
  }
  cell.counted = Counts(report, cell);
  if (learned && fresh && report.failed()) state.failed_tapes.emplace(*cell.seed, report.tape);
  cell.report = report;
  if (outcome.found.has_value()) {
    outcome.found->candidates_tried = outcome.cases_run - state.first_failure_run;
    outcome.found->shrink_budget_exhausted = state.session->exhausted_seen();
  }
  if (!cell.counted) return;
  if (!outcome.found.has_value()) {
    state.session->StartShrinking();
    state.first_failure_run = outcome.cases_run;
    outcome.found = FoundCase{.strategy = report.strategy,
                              .seed = case_seed,
                              .size = size,
                              .original_length = report.tape.size(),
                              .original_nonzero = NonZeroChoices(report.tape)};
  }
  outcome.found->args_reproduce = args.reproduce;
  outcome.found->args_rendering = args.rendering;
  outcome.found->report = report;
  if (state.settings.progress) state.settings.progress(*outcome.found);
  RC_FAIL(report.failure->ToString());
}

namespace {

class QuietListener : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

}  // namespace

void RunRapidCheck(const rc::detail::Property& property, const RapidCheckSettings& settings,
                   RapidCheckOutcome& outcome) {
  rc::detail::TestMetadata metadata;
  metadata.id = settings.test_name;
  rc::detail::TestParams params;
  params.seed = settings.seed;
  params.maxSuccess = settings.cases;
  params.maxSize = settings.max_size;
  params.maxDiscardRatio = 10;
  // Laplace reports the failure and its reproduce line itself; RapidCheck's
  // default listener would print a second recipe ("Some of your RapidCheck
  // properties had failures ... RC_PARAMS=reproduce=...") at exit, even after
  // a bug-zoo property that passed, and its configuration banner.
  QuietListener quiet;
  rc::detail::TestResult result = rc::detail::checkProperty(property, metadata, params, quiet, {});
  if (result.template is<rc::detail::SuccessResult>()) {
    for (const auto& [tags, count] :
         result.template get<rc::detail::SuccessResult>().distribution) {
      if (tags.empty()) continue;
      std::vector<std::string> words;
      for (const std::string& tag : tags) words.push_back(Unquoted(tag));
      outcome.classes.emplace_back(std::move(words), count);
    }
  } else if (result.template is<rc::detail::GaveUpResult>()) {
    outcome.error = "gave up: " + result.template get<rc::detail::GaveUpResult>().description;
  } else if (result.template is<rc::detail::Error>()) {
    outcome.error = result.template get<rc::detail::Error>().description;
  } else if (result.template is<rc::detail::FailureResult>() && !outcome.found.has_value()) {
    outcome.error = "failed outside any Laplace run: " +
                    result.template get<rc::detail::FailureResult>().description;
  }
}

}  // namespace internal
}  // namespace laplace::properties
