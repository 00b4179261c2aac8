#include "properties/shrinker.h"

#include <algorithm>
#include <utility>

#include "base/check.h"
#include "base/strings.h"

namespace laplace::properties {
namespace {

using ::laplace::internal::Append;
using ::laplace::internal::Cat;

// Shrinking is bounded by wall time, which is outside any simulation.
using WallClock = std::chrono::steady_clock;  // allowed: the shrink budget is wall time

std::string Seconds(std::chrono::microseconds time) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fs", static_cast<double>(time.count()) / 1e6);
  return text;
}

}  // namespace

bool ShortlexLess(const Tape& a, const Tape& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].value != b[i].value) return a[i].value < b[i].value;
  }
  return false;
}

size_t NonZeroChoices(const Tape& tape) {
  return static_cast<size_t>(
      std::count_if(tape.begin(), tape.end(), [](const Choice& c) { return c.value != 0; }));
}

size_t NonZeroScheduleChoices(const Tape& tape) {
  return static_cast<size_t>(std::count_if(tape.begin(), tape.end(), [](const Choice& c) {
    return c.kind == ChoiceKind::kSchedule && c.value != 0;
  }));
}

size_t NonZeroOtherChoices(const Tape& tape) {
  return NonZeroChoices(tape) - NonZeroScheduleChoices(tape);
}

bool SimplerThan(const Tape& a, const Tape& b) {
  size_t a_nonzero = NonZeroChoices(a), b_nonzero = NonZeroChoices(b);
  if (a_nonzero != b_nonzero) return a_nonzero < b_nonzero;
  return ShortlexLess(a, b);
}

bool SimplerRun(const RunReport& a, const RunReport& b) {
  size_t a_nonzero = NonZeroChoices(a.tape), b_nonzero = NonZeroChoices(b.tape);
  if (a_nonzero != b_nonzero) return a_nonzero < b_nonzero;
  if (a.preemptions != b.preemptions) return a.preemptions < b.preemptions;
  return ShortlexLess(a.tape, b.tape);
}

std::string_view CandidateOutcomeName(CandidateOutcome outcome) {
  switch (outcome) {
    case CandidateOutcome::kSameFailure:
      return "same failure";
    case CandidateOutcome::kPassed:
      return "passed";
    case CandidateOutcome::kOtherFailure:
      return "other failure";
    case CandidateOutcome::kOverBound:
      return "over bound";
  }
  return "unknown";
}

size_t ShrinkStats::tried() const {
  size_t total = 0;
  for (size_t count : candidates) total += count;
  return total;
}

void ShrinkStats::Add(const ShrinkStats& other) {
  for (size_t i = 0; i < kCandidateOutcomeCount; ++i) {
    candidates[i] += other.candidates[i];
    time[i] += other.time[i];
  }
  accepted += other.accepted;
  for (const auto& [pass, count] : other.progress) progress[pass] += count;
}

std::string FormatShrinkStats(const ShrinkStats& stats) {
  std::string out = Cat(stats.tried(), stats.tried() == 1 ? " candidate" : " candidates");
  for (size_t i = 0; i < kCandidateOutcomeCount; ++i) {
    Append(out, i == 0 ? ": " : ", ", stats.candidates[i], " ",
           CandidateOutcomeName(static_cast<CandidateOutcome>(i)), " ", Seconds(stats.time[i]));
  }
  if (stats.progress.empty()) return out + "; no pass made progress";
  bool first = true;
  for (const auto& [pass, count] : stats.progress) {
    Append(out, first ? "; progress: " : ", ", pass, " ", count);
    first = false;
  }
  return out;
}

std::string FormatProgress(const ShrinkProgress& progress) {
  std::string out = Cat(
      progress.length, " choices (", progress.nonzero, " non-zero, ", progress.preemptions,
      progress.preemptions == 1 ? " preemption), " : " preemptions), ", progress.tried, " tried (");
  for (size_t i = 0; i < kCandidateOutcomeCount; ++i) {
    Append(out, i == 0 ? "" : ", ", progress.stats.candidates[i], " ",
           CandidateOutcomeName(static_cast<CandidateOutcome>(i)));
  }
  Append(out, "), ", progress.accepted, " accepted, ", progress.elapsed.count(), "ms");
  return out;
}

RunBound CandidateBound(const RunReport& failing) {
  LAPLACE_CHECK(failing.failed()) << "a candidate bound comes from a failing run";
  if (failing.failure->kind == kBudget) return RunBound{};
  const uint64_t work = failing.steps + failing.callbacks;
  const Duration time = failing.end_time - Time();
  return RunBound{
      .steps_max = 2 * work + kBoundStepsSlack,
      .time_max = time > Duration::max() / 4 ? Duration::max() : 2 * time + kBoundTimeSlack};
}

CandidateOutcome Classify(const RunReport& candidate, const std::string& signature) {
  if (candidate.over_bound) return CandidateOutcome::kOverBound;
  if (!candidate.failed()) return CandidateOutcome::kPassed;
  return candidate.failure->signature() == signature ? CandidateOutcome::kSameFailure
                                                     : CandidateOutcome::kOtherFailure;
}

bool Accepts(const RunReport& candidate, const std::string& signature, const RunReport& current) {
  return Classify(candidate, signature) == CandidateOutcome::kSameFailure &&
         SimplerRun(candidate, current);
}

namespace {

// A run's tape with the zero choices it made past the last non-zero one.
Tape Recorded(const RunReport& run) {
  Tape tape = run.tape;
  tape.insert(tape.end(), run.trailing_zeros.begin(), run.trailing_zeros.end());
  return tape;
}

// One shrink: the current smallest failing run, and the passes that make it
// smaller (see shrinker.h and candidates.h).
class Shrinker {
 public:
  Shrinker(const TapeRunner& run, const RunReport& failing, const ShrinkOptions& options)
      : run_(run),
        options_(options),
        signature_(failing.failure->signature()),
        start_(WallClock::now()) {  // allowed: the shrink budget
    result_.report = failing;
    recorded_tape_ = Recorded(failing);
    TrimTrailingZeros(result_.report.tape);
    result_.tape = result_.report.tape;
    result_.original_length = result_.tape.size();
    bound_ = CandidateBound(result_.report);
  }

  ShrinkResult Run() {
    // Switching surprises off first (truncate, zero, delete, then the
    // fixpoint passes), and only then making the rest smaller (lower,
    // shift): lowering a delay of 10^8 ns takes dozens of steps, best spent
    // on the surprises that must stay.
    using Pass = CandidateStream::Pass;
    while (!result_.budget_exhausted) {
      if (StreamPasses(Pass::kTruncate, Pass::kLower)) continue;
      if (result_.budget_exhausted) break;
      if (options_.fixpoint_passes && FixpointPasses()) continue;
      if (result_.budget_exhausted || !StreamPasses(Pass::kLower, Pass::kDone))
        break;  // a fixpoint
    }
    result_.elapsed = Elapsed();
    result_.tried = result_.stats.tried();
    result_.accepted = result_.stats.accepted;
    return std::move(result_);
  }

 private:
  std::chrono::milliseconds Elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(WallClock::now() - start_);
  }

  void Progress() const {
    if (!options_.progress) return;
    options_.progress(ShrinkProgress{.tried = result_.stats.tried(),
                                     .accepted = result_.stats.accepted,
                                     .length = result_.tape.size(),
                                     .nonzero = NonZeroChoices(result_.tape),
                                     .preemptions = result_.report.preemptions,
                                     .elapsed = Elapsed(),
                                     .stats = result_.stats});
  }

  bool OutOfBudget() {
    if (WallClock::now() - start_ < options_.budget &&
        result_.stats.tried() < options_.candidates_max) {
      return false;
    }
    result_.budget_exhausted = true;
    return true;
  }

  // One round of CandidateStream's passes from `first` to `end`; true if
  // any candidate was accepted.
  bool StreamPasses(CandidateStream::Pass first, CandidateStream::Pass end) {
    bool improved = false;
    CandidateStream stream(result_.tape, first, end);
    while (std::optional<Tape> candidate = stream.Next()) {
      if (OutOfBudget()) return improved;
      if (TryCandidate(*candidate, PassName(stream.pass()))) {
        improved = true;
        // Start the same pass again on the smaller tape.
        stream = CandidateStream(result_.tape, stream.pass(), end);
      }
    }
    return improved;
  }

  // The fixpoint passes in order, until one makes progress.
  bool FixpointPasses() {
    for (FixpointPass pass : kFixpointPasses) {
      for (const Tape& candidate :
           FixpointCandidates(recorded_tape_, pass, result_.report.stream_names)) {
        if (OutOfBudget()) return false;
        if (TryCandidate(candidate, PassName(pass))) return true;
      }
    }
    return false;
  }

  // Runs one candidate within the current bound; true if it became the
  // current run.
  bool TryCandidate(const Tape& candidate, std::string_view pass) {
    const WallClock::time_point started = WallClock::now();  // allowed: shrink statistics
    RunReport report = run_(candidate, bound_);
    const CandidateOutcome outcome = Classify(report, signature_);
    const auto index = static_cast<size_t>(outcome);
    ++result_.stats.candidates[index];
    result_.stats.time[index] += std::chrono::duration_cast<std::chrono::microseconds>(
        WallClock::now() - started);  // allowed: shrink statistics
    if (outcome == CandidateOutcome::kSameFailure && SimplerRun(report, result_.report)) {
      ++result_.stats.accepted;
      ++result_.stats.progress[std::string(pass)];
      result_.tape = report.tape;
      recorded_tape_ = Recorded(report);
      result_.report = std::move(report);
      bound_ = CandidateBound(result_.report);
      Progress();
      return true;
    }
    if (result_.stats.tried() % 100 == 0) Progress();
    return false;
  }

  const TapeRunner& run_;
  const ShrinkOptions& options_;
  const std::string signature_;
  const WallClock::time_point start_;
  RunBound bound_;
  ShrinkResult result_;
  // The current run's tape with its trailing zeros (Recorded): the move
  // pass's targets past the last non-zero choice.
  Tape recorded_tape_;
};

}  // namespace

ShrinkResult Shrink(const TapeRunner& run, const RunReport& failing, const ShrinkOptions& options) {
  LAPLACE_CHECK(failing.failed()) << "Shrink needs a failing run";
  return Shrinker(run, failing, options).Run();
}

}  // namespace laplace::properties
