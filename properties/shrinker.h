// The tape shrinker: from a failing run to a small one that fails the same way.
//
// Candidates come from the passes of candidates.h. A candidate runs with a
// lenient TapeSource (choices matched by stream), bounded by what the
// current failing run needed (twice its steps and callbacks plus
// kBoundStepsSlack, twice its virtual time plus kBoundTimeSlack), so a
// candidate that wanders off (a client retrying forever once a fault is
// gone) ends at once as "over its bound" instead of eating the budget. It
// is accepted only if it fails with the same signature AND its run is
// simpler than the current one (SimplerRun): fewer non-zero choices, then
// fewer preemptions, then shortlex-smaller. Every accepted step is strictly
// smaller in that well-founded order, so shrinking always ends; the time
// budget ends it sooner when needed. Every shrink keeps statistics
// (ShrinkStats): candidates and wall time by outcome, and which passes made
// progress.
//
//   ShrinkResult shrunk = Shrink(
//       [&](const Tape& tape, const RunBound& bound) {
//         RunOptions options;
//         options.bound = bound;
//         return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), options);
//       },
//       failing_report, {.budget = std::chrono::seconds(10)});
//   // shrunk.report fails like failing_report, with shrunk.tape;
//   // FormatShrinkStats(shrunk.stats) says what it cost.
#ifndef LAPLACE_PROPERTIES_SHRINKER_H_
#define LAPLACE_PROPERTIES_SHRINKER_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/btree_map.h"
#include "loop/choice.h"
#include "properties/candidates.h"
#include "properties/runner.h"

namespace laplace::properties {

// True if `a` is shorter than `b`, or as long and lexicographically smaller
// by value. Kinds, bounds and streams do not take part.
bool ShortlexLess(const Tape& a, const Tape& b);

// True if `a` has fewer non-zero choices than `b`, or as many and is
// ShortlexLess.
bool SimplerThan(const Tape& a, const Tape& b);

// The order accepted candidates descend in: fewer non-zero choices, then
// fewer preemptions (RunReport::preemptions), then ShortlexLess.
bool SimplerRun(const RunReport& a, const RunReport& b);

// The number of non-zero choices of every kind: what a shrink lowers first.
size_t NonZeroChoices(const Tape& tape);

// The number of non-zero schedule choices (each is a preemption or an
// out-of-order pick).
size_t NonZeroScheduleChoices(const Tape& tape);

// The number of non-zero choices of every other kind: faults, delays, timer
// ties and the test's own draws.
size_t NonZeroOtherChoices(const Tape& tape);

// What became of a candidate run.
enum class CandidateOutcome {
  kSameFailure,   // failed with the failing run's signature (accepted or not simpler)
  kPassed,        // did not fail (or was discarded)
  kOtherFailure,  // failed with another signature
  kOverBound,     // ran past the steps or virtual time the failing run needed
};
inline constexpr size_t kCandidateOutcomeCount = 4;
// "same failure", "passed", "other failure", "over bound".
std::string_view CandidateOutcomeName(CandidateOutcome outcome);

// What a shrink cost and what made it progress.
struct ShrinkStats {
  std::array<size_t, kCandidateOutcomeCount> candidates{};
  std::array<std::chrono::microseconds, kCandidateOutcomeCount> time{};
  size_t accepted = 0;
  // Accepted candidates by pass name (PassName), for the passes that made
  // progress.
  absl::btree_map<std::string, size_t> progress;

  size_t tried() const;
  size_t count(CandidateOutcome outcome) const { return candidates[static_cast<size_t>(outcome)]; }
  std::chrono::microseconds time_of(CandidateOutcome outcome) const {
    return time[static_cast<size_t>(outcome)];
  }
  // Adds `other`'s counts and times to these.
  void Add(const ShrinkStats& other);
};

// One line: "340 candidates: 41 same failure 0.21s, 280 passed 1.10s, 10
// other failure 0.02s, 9 over bound 0.05s; progress: keep-one 2, zero 12".
std::string FormatShrinkStats(const ShrinkStats& stats);

struct ShrinkProgress {
  size_t tried = 0;          // candidates run
  size_t accepted = 0;       // candidates that became the current tape
  size_t length = 0;         // current tape length
  size_t nonzero = 0;        // current non-zero choices
  uint64_t preemptions = 0;  // the current run's preemptions
  std::chrono::milliseconds elapsed{0};
  ShrinkStats stats;  // so far
};

// "3 choices (1 non-zero, 1 preemption), 12 tried (4 same failure, 7
// passed, 0 other failure, 1 over bound), 4 accepted, 200ms".
std::string FormatProgress(const ShrinkProgress& progress);

// The slack a candidate's bound adds to twice what the failing run needed.
inline constexpr uint64_t kBoundStepsSlack = 1000;
inline constexpr Duration kBoundTimeSlack = std::chrono::seconds(1);

// The bound for candidates of `failing`: none for a budget failure (the
// budget is the failure), else twice its steps and callbacks plus
// kBoundStepsSlack and twice its virtual time plus kBoundTimeSlack. A
// liveness failure's deadline moves with the run that reaches it, and the
// margin lets a candidate reach a later one.
RunBound CandidateBound(const RunReport& failing);

struct ShrinkOptions {
  // Wall-clock budget; shrinking stops when it runs out.
  std::chrono::milliseconds budget = std::chrono::seconds(10);
  // At most this many candidates.
  size_t candidates_max = static_cast<size_t>(-1);
  // Called after every accepted candidate and every 100 tried.
  std::function<void(const ShrinkProgress&)> progress;
  // At each fixpoint of CandidateStream's passes, also run the fixpoint
  // passes (candidates.h).
  bool fixpoint_passes = true;
};

struct ShrinkResult {
  Tape tape;         // the smallest failing tape found
  RunReport report;  // its run
  size_t original_length = 0;
  size_t tried = 0;
  size_t accepted = 0;
  bool budget_exhausted = false;
  std::chrono::milliseconds elapsed{0};
  ShrinkStats stats;
};

// Runs a candidate tape (with a lenient TapeSource) within `bound`.
using TapeRunner = std::function<RunReport(const Tape&, const RunBound&)>;

// What a candidate's run means for a shrink of a failure with `signature`.
CandidateOutcome Classify(const RunReport& candidate, const std::string& signature);

// True if `candidate` fails like `signature` and ran simpler than `current`
// (SimplerRun): the acceptance rule.
bool Accepts(const RunReport& candidate, const std::string& signature, const RunReport& current);

// Shrinks a failing run's tape to a fixpoint of the passes or the budget.
// Requires failing.failed().
ShrinkResult Shrink(const TapeRunner& run, const RunReport& failing, const ShrinkOptions& options);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_SHRINKER_H_
