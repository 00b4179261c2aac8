// The shrinker's candidates: edits of a failing tape that might still fail.
//
// A tape is the list of a run's choices in the order they were made (see
// loop/choice.h); 0 is always the least surprising choice, and past the end
// of a stream every choice is 0. A replay matches choices to draws by stream,
// so an edit of one entry leaves every other stream's values where they were:
// zeroing a message's loss makes that message draw its latency from its own
// (empty, so 0) stream, and moves nothing else. Shrinking is therefore plain
// editing of a list of integers (Hypothesis's insight, applied to schedules
// and faults). The passes, each a function of the current tape alone:
//   truncate     keep only a prefix (0, 1/4, 1/2, 3/4 of it)
//   zero         set spans to 0, halves first, down to single choices
//   delete       remove spans, halves first, down to single choices
//   lower        halve a value, then try value - 1
//   shift        move a non-zero choice one place later (past a zero)
// and, at a fixpoint of those, the ones whose candidates grow with the
// square of the non-zero choices:
//   zero-window  zero every run of consecutive non-zero choices, at every
//                offset (the zero pass's spans start at multiples of their
//                size, so a tape whose one needed choice sits between two
//                surplus runs keeps them)
//   keep-one     keep only one surprise: every other non-zero choice zeroed
//                (or every other schedule choice, the faults kept)
//   move         move a non-zero value to another choice of the same kind
//                nearby, earlier or later (a crash on a nearby tick; a
//                preemption where the same task is picked with fewer other
//                surprises)
//   rekey        move every non-zero value on streams with key k (the
//                nemesis's tick 7, a link's 5th message) to the same-named
//                streams with an earlier key: the same decisions, sooner,
//                all at once (one at a time, the first alone would not fail)
//
//   CandidateStream stream(current);
//   while (std::optional<Tape> candidate = stream.Next()) { ...run it... }
//   for (const Tape& candidate : FixpointCandidates(current, FixpointPass::kKeepOne)) ...
#ifndef LAPLACE_PROPERTIES_CANDIDATES_H_
#define LAPLACE_PROPERTIES_CANDIDATES_H_

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "loop/choice.h"

namespace laplace::properties {

// Proposes candidate tapes from one current tape, lazily and in pass order.
// Every candidate is shortlex-smaller than the current tape.
class CandidateStream {
 public:
  enum class Pass { kTruncate, kZero, kDelete, kLower, kShift, kDone };

  // The passes from `first` up to, not including, `end`.
  explicit CandidateStream(Tape current, Pass first = Pass::kTruncate, Pass end = Pass::kDone);

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
  Pass end_;
  // Position within the pass: a span size and a start, or an entry index
  // and a step within it.
  size_t size_ = 0;
  size_t index_ = 0;
  int step_ = 0;
};

// "truncate", "zero", "delete", "lower" or "shift".
std::string_view PassName(CandidateStream::Pass pass);

// The passes run at a fixpoint of CandidateStream's (see the banner).
enum class FixpointPass { kZeroWindow, kKeepOne, kMove, kRekey };
inline constexpr FixpointPass kFixpointPasses[] = {
    FixpointPass::kKeepOne, FixpointPass::kZeroWindow, FixpointPass::kRekey, FixpointPass::kMove};

// "zero-window", "keep-one", "move" or "rekey".
std::string_view PassName(FixpointPass pass);

// Every candidate of `pass` from `current` (trailing zeros trimmed), in the
// order to try them: at most `candidates_max`. The move pass looks at most
// `reach` choices of the same kind away on either side, past the last
// non-zero choice too when `current` is the run's whole recorded tape (its
// trailing zeros are choices the run made: a preemption can move to a later
// point where the task had finished and the pick is free), the rekey pass at
// most `reach` earlier keys; it reads stream names from `names` (the run's
// RunReport::stream_names).
std::vector<Tape> FixpointCandidates(const Tape& current, FixpointPass pass,
                                     const StreamNames& names = {}, size_t candidates_max = 4096,
                                     size_t reach = 6);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_CANDIDATES_H_
