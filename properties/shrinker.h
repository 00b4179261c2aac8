// The tape shrinker: from a failing run to a small one that fails the same way.
//
// A tape is the list of a run's choices (see loop/choice.h); 0 is always the
// least surprising choice and past the end every choice is 0. So a shorter
// tape with smaller values is a simpler run, and shrinking is editing a list
// of integers (Hypothesis's insight, applied to schedules and faults). The
// passes, in order, each proposing candidates from the current tape:
//   truncate   keep only a prefix (0, 1/4, 1/2, 3/4 of it)
//   zero       set spans to 0, halves first, down to single choices
//   delete     remove spans, halves first, down to single choices
//   lower      halve a value, then try value - 1
//   shift      move a non-zero choice one place later (past a zero)
// and, at each fixpoint of those, one that needs runs of its own:
//   realign    zero one non-zero choice, or move its value to an earlier
//              choice of the same kind and bound (dropping the choices in
//              between, or not), and re-place the values after it on the
//              draws the changed run makes (see Realign): for faults that
//              change how many choices follow them
// A candidate runs with a lenient TapeSource; it is accepted only if it fails
// with the same signature AND the choices it actually made (trailing zeros
// trimmed) are simpler than the current tape: fewer non-zero choices, or as
// many and shortlex-smaller (SimplerThan). That makes every accepted step
// strictly smaller in a well-founded order, so shrinking always ends; the
// time budget ends it sooner when needed.
//
//   ShrinkResult shrunk = Shrink(
//       [&](const Tape& tape) {
//         return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), {});
//       },
//       failing_report, {.budget = std::chrono::seconds(10)});
//   // shrunk.report fails like failing_report, with shrunk.tape
#ifndef LAPLACE_PROPERTIES_SHRINKER_H_
#define LAPLACE_PROPERTIES_SHRINKER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "loop/choice.h"
#include "properties/runner.h"

namespace laplace::properties {

// True if `a` is shorter than `b`, or as long and lexicographically smaller
// by value. Kinds and bounds do not take part.
bool ShortlexLess(const Tape& a, const Tape& b);

// True if `a` has fewer non-zero choices than `b`, or as many and is
// ShortlexLess: the order accepted candidates must descend in.
bool SimplerThan(const Tape& a, const Tape& b);

// The number of non-zero schedule choices (each is a preemption or an
// out-of-order pick).
size_t NonZeroScheduleChoices(const Tape& tape);

// The number of non-zero choices of every other kind: faults, delays, timer
// ties and the test's own draws.
size_t NonZeroOtherChoices(const Tape& tape);

// Proposes candidate tapes from one current tape, lazily and in pass order.
// Every candidate is shortlex-smaller than the current tape.
class CandidateStream {
 public:
  enum class Pass { kTruncate, kZero, kDelete, kLower, kShift, kDone };

  explicit CandidateStream(Tape current, Pass first = Pass::kTruncate);

  // The next candidate, or nullopt when every pass is exhausted.
  std::optional<Tape> Next();
  // The pass the last candidate came from.
  Pass pass() const { return pass_; }

 private:
  void NextPass();
  // Each pass's next candidate, or nullopt when the pass is exhausted.
  std::optional<Tape> NextTruncation();
  std::optional<Tape> NextSpanEdit();  // kZero and kDelete
  std::optional<Tape> NextLowering();
  std::optional<Tape> NextShift();

  Tape current_;
  Pass pass_;
  // Position within the pass: a span size and a start, or an entry index
  // and a step within it.
  size_t size_ = 0;
  size_t index_ = 0;
  int step_ = 0;
};

struct ShrinkProgress {
  size_t tried = 0;     // candidates run
  size_t accepted = 0;  // candidates that became the current tape
  size_t length = 0;    // current tape length
  size_t nonzero = 0;   // current non-zero choices
  std::chrono::milliseconds elapsed{0};
};

struct ShrinkOptions {
  // Wall-clock budget; shrinking stops when it runs out.
  std::chrono::milliseconds budget = std::chrono::seconds(10);
  // At most this many candidates.
  size_t candidates_max = static_cast<size_t>(-1);
  // Called after every accepted candidate and every 100 tried.
  std::function<void(const ShrinkProgress&)> progress;
  // At each fixpoint of the passes, also try the realign pass (see Realign).
  bool realign = true;
};

struct ShrinkResult {
  Tape tape;         // the smallest failing tape found
  RunReport report;  // its run
  size_t original_length = 0;
  size_t tried = 0;
  size_t accepted = 0;
  bool budget_exhausted = false;
  std::chrono::milliseconds elapsed{0};
};

// Re-places the values of `edited` after choice `index` on the draws a run of
// it made (`drawn`, that run's recorded tape): entries up to `index` stay as
// in `edited`, and the n-th draw after `index` of a given kind and bound gets
// the n-th value `edited` has for that kind and bound after `index` (0 once
// they run out). Values no draw took yet follow in their old order. `edited`
// is the current tape with choice `index` changed (zeroed, or given a value
// moved from later on): this is how a shrink changes a fault whose presence
// decides how many choices come after it (a message delivered instead of
// lost means more traffic), where by position every later value would land
// on the wrong draw.
Tape Realign(const Tape& edited, size_t index, const Tape& drawn);

// Runs a candidate tape (with a lenient TapeSource) and reports.
using TapeRunner = std::function<RunReport(const Tape&)>;

// True if `candidate` fails like `signature` and made a simpler tape than
// `current` (SimplerThan): the acceptance rule.
bool Accepts(const RunReport& candidate, const std::string& signature, const Tape& current);

// Shrinks a failing run's tape to a fixpoint of the passes or the budget.
// Requires failing.failed().
ShrinkResult Shrink(const TapeRunner& run, const RunReport& failing, const ShrinkOptions& options);

// "3 choices (1 non-zero), 12 tried, 4 accepted, 0.2s".
std::string FormatProgress(const ShrinkProgress& progress);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_SHRINKER_H_
