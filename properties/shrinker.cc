#include "properties/shrinker.h"

#include <algorithm>
#include <deque>
#include <map>
#include <utility>

#include "base/check.h"
#include "base/strings.h"

namespace laplace::properties {
namespace {

// Shrinking is bounded by wall time, which is outside any simulation.
using WallClock = std::chrono::steady_clock;  // allowed: the shrink budget is wall time

size_t NonZero(const Tape& tape) {
  return static_cast<size_t>(
      std::count_if(tape.begin(), tape.end(), [](const Choice& c) { return c.value != 0; }));
}

// The span sizes of the zero and delete passes: half the tape (rounded up),
// then halving down to 1.
size_t FirstSpanSize(size_t length) { return std::max<size_t>(1, (length + 1) / 2); }

// How many times RealignedZero re-places values before giving up: each
// placement can let the run reach draws it never made before.
constexpr int kRealignRounds = 8;
// How many earlier choices (of the same kind and bound, nearest first) the
// realign pass tries moving a non-zero value to.
constexpr int kMoveEarlierTargets = 4;

}  // namespace

Tape Realign(const Tape& edited, size_t index, const Tape& drawn) {
  LAPLACE_CHECK(index < edited.size()) << "Realign index " << index << " of " << edited.size();
  // The values after `index`, queued per (kind, bound), each with its place.
  struct Queued {
    size_t position;
    uint64_t value;
  };
  std::map<std::pair<ChoiceKind, uint64_t>, std::deque<Queued>> queues;
  for (size_t i = index + 1; i < edited.size(); ++i) {
    queues[{edited[i].kind, edited[i].bound}].push_back(Queued{i, edited[i].value});
  }
  Tape realigned(edited.begin(), edited.begin() + static_cast<ptrdiff_t>(index) + 1);
  std::vector<bool> placed(edited.size(), false);
  for (size_t p = index + 1; p < drawn.size(); ++p) {
    uint64_t value = 0;
    auto it = queues.find({drawn[p].kind, drawn[p].bound});
    if (it != queues.end() && !it->second.empty()) {
      value = it->second.front().value;
      placed[it->second.front().position] = true;
      it->second.pop_front();
    }
    realigned.push_back(Choice{drawn[p].kind, drawn[p].bound, value});
  }
  // Values with no draw to go to yet follow in their old order, so the next
  // run reaches further and shows which draws they belong to.
  for (size_t i = index + 1; i < edited.size(); ++i) {
    if (!placed[i] && edited[i].value != 0) realigned.push_back(edited[i]);
  }
  TrimTrailingZeros(realigned);
  return realigned;
}

bool ShortlexLess(const Tape& a, const Tape& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].value != b[i].value) return a[i].value < b[i].value;
  }
  return false;
}

size_t NonZeroScheduleChoices(const Tape& tape) {
  return static_cast<size_t>(std::count_if(tape.begin(), tape.end(), [](const Choice& c) {
    return c.kind == ChoiceKind::kSchedule && c.value != 0;
  }));
}

size_t NonZeroOtherChoices(const Tape& tape) {
  return NonZero(tape) - NonZeroScheduleChoices(tape);
}

CandidateStream::CandidateStream(Tape current, Pass first)
    : current_(std::move(current)), pass_(first) {
  TrimTrailingZeros(current_);
  if (current_.empty()) pass_ = Pass::kDone;  // nothing is smaller than empty
  size_ = FirstSpanSize(current_.size());
}

void CandidateStream::NextPass() {
  pass_ = static_cast<Pass>(static_cast<int>(pass_) + 1);
  size_ = FirstSpanSize(current_.size());
  index_ = 0;
  step_ = 0;
}

std::optional<Tape> CandidateStream::Next() {
  while (pass_ != Pass::kDone) {
    std::optional<Tape> candidate;
    switch (pass_) {
      case Pass::kTruncate:
        candidate = NextTruncation();
        break;
      case Pass::kZero:
      case Pass::kDelete:
        candidate = NextSpanEdit();
        break;
      case Pass::kLower:
        candidate = NextLowering();
        break;
      case Pass::kShift:
        candidate = NextShift();
        break;
      case Pass::kDone:
        break;
    }
    if (candidate.has_value()) return candidate;
    NextPass();
  }
  return std::nullopt;
}

std::optional<Tape> CandidateStream::NextTruncation() {
  // Prefixes of 0, 1/4, 1/2 and 3/4 of the tape, shortest first.
  const size_t length = current_.size();
  while (index_ < 4) {
    size_t keep = length * index_ / 4;
    bool duplicate = index_ > 0 && keep == length * (index_ - 1) / 4;
    ++index_;
    if (keep >= length || duplicate) continue;
    return Tape(current_.begin(), current_.begin() + static_cast<ptrdiff_t>(keep));
  }
  return std::nullopt;
}

std::optional<Tape> CandidateStream::NextSpanEdit() {
  // Spans of half the tape, then halving down to single choices; the zero
  // pass sets a span to 0 (skipping spans already 0), the delete pass
  // removes it.
  const size_t length = current_.size();
  while (size_ >= 1) {
    while (index_ < length) {
      const size_t start = index_;
      const size_t end = std::min(length, start + size_);
      index_ += size_;
      const auto first = current_.begin() + static_cast<ptrdiff_t>(start);
      const auto last = current_.begin() + static_cast<ptrdiff_t>(end);
      Tape candidate;
      if (pass_ == Pass::kZero) {
        if (std::none_of(first, last, [](const Choice& c) { return c.value != 0; })) continue;
        candidate = current_;
        for (size_t i = start; i < end; ++i) candidate[i].value = 0;
      } else {
        candidate.reserve(length - (end - start));
        candidate.insert(candidate.end(), current_.begin(), first);
        candidate.insert(candidate.end(), last, current_.end());
      }
      TrimTrailingZeros(candidate);
      return candidate;
    }
    if (size_ == 1) break;
    size_ = (size_ + 1) / 2;
    index_ = 0;
  }
  return std::nullopt;
}

std::optional<Tape> CandidateStream::NextLowering() {
  // For each value: value / 2, then value - 1 (0 was the zero pass's).
  while (index_ < current_.size()) {
    const size_t at = index_;
    const uint64_t value = current_[at].value;
    uint64_t lower;
    if (step_ == 0) {
      step_ = 1;
      lower = value / 2;
      if (lower == 0) continue;
    } else {
      step_ = 0;
      ++index_;
      lower = value - 1;
      if (value <= 1 || lower == value / 2) continue;
    }
    Tape candidate = current_;
    candidate[at].value = lower;
    return candidate;
  }
  return std::nullopt;
}

std::optional<Tape> CandidateStream::NextShift() {
  // A non-zero value one place later, past a zero.
  while (index_ + 1 < current_.size()) {
    const size_t at = index_++;
    if (current_[at].value == 0 || current_[at + 1].value != 0) continue;
    Tape candidate = current_;
    std::swap(candidate[at].value, candidate[at + 1].value);
    return candidate;
  }
  return std::nullopt;
}

bool SimplerThan(const Tape& a, const Tape& b) {
  size_t a_nonzero = NonZero(a), b_nonzero = NonZero(b);
  if (a_nonzero != b_nonzero) return a_nonzero < b_nonzero;
  return ShortlexLess(a, b);
}

bool Accepts(const RunReport& candidate, const std::string& signature, const Tape& current) {
  return candidate.failure.has_value() && candidate.failure->signature() == signature &&
         SimplerThan(candidate.tape, current);
}

namespace {

// One shrink: the current smallest failing tape, and the passes that make it
// smaller (see shrinker.h).
class Shrinker {
 public:
  Shrinker(const TapeRunner& run, const RunReport& failing, const ShrinkOptions& options)
      : run_(run),
        options_(options),
        signature_(failing.failure->signature()),
        start_(WallClock::now()) {  // allowed: the shrink budget
    result_.tape = failing.tape;
    TrimTrailingZeros(result_.tape);
    result_.report = failing;
    result_.original_length = result_.tape.size();
  }

  ShrinkResult Run() {
    CandidateStream stream(result_.tape);
    bool improved_this_round = false;
    while (true) {
      std::optional<Tape> candidate = stream.Next();
      if (!candidate.has_value()) {
        if (!improved_this_round && !(options_.realign && RealignPass())) break;  // a fixpoint
        if (result_.budget_exhausted) break;
        improved_this_round = false;
        stream = CandidateStream(result_.tape);
        continue;
      }
      if (OutOfBudget()) break;
      if (TryCandidate(*candidate, nullptr)) {
        improved_this_round = true;
        // Start the same pass again on the smaller tape.
        stream = CandidateStream(result_.tape, stream.pass());
      }
    }
    result_.elapsed = Elapsed();
    return std::move(result_);
  }

 private:
  std::chrono::milliseconds Elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(WallClock::now() - start_);
  }

  void Progress() const {
    if (!options_.progress) return;
    options_.progress(ShrinkProgress{.tried = result_.tried,
                                     .accepted = result_.accepted,
                                     .length = result_.tape.size(),
                                     .nonzero = NonZero(result_.tape),
                                     .elapsed = Elapsed()});
  }

  bool OutOfBudget() {
    if (WallClock::now() - start_ < options_.budget && result_.tried < options_.candidates_max) {
      return false;
    }
    result_.budget_exhausted = true;
    return true;
  }

  // Runs one candidate; true if it became the current tape. Otherwise its
  // report goes to `report_out` (when given).
  bool TryCandidate(const Tape& candidate, RunReport* report_out) {
    RunReport report = run_(candidate);
    ++result_.tried;
    if (Accepts(report, signature_, result_.tape)) {
      ++result_.accepted;
      result_.tape = report.tape;
      result_.report = std::move(report);
      Progress();
      return true;
    }
    if (result_.tried % 100 == 0) Progress();
    if (report_out != nullptr) *report_out = std::move(report);
    return false;
  }

  // Runs `edited` (the current tape with choice `index` changed), then
  // re-places the values after `index` on the draws each run made (Realign)
  // and runs again, until a run is accepted or nothing new gets placed.
  bool TryRealigned(const Tape& edited, size_t index) {
    Tape candidate = edited;
    TrimTrailingZeros(candidate);
    for (int round = 0; round <= kRealignRounds; ++round) {
      if (OutOfBudget()) return false;
      RunReport report;
      if (TryCandidate(candidate, &report)) return true;
      Tape next = Realign(edited, index, report.tape);
      if (next == candidate) break;  // nothing new to place
      candidate = std::move(next);
    }
    return false;
  }

  // The realign pass: switch off each non-zero choice in turn, then move
  // each one earlier.
  bool RealignPass() { return SwitchOffPass() || MoveEarlierPass(); }

  bool SwitchOffPass() {
    const Tape current = result_.tape;
    for (size_t index = 0; index < current.size(); ++index) {
      if (current[index].value == 0) continue;
      Tape edited = current;
      edited[index].value = 0;
      if (TryRealigned(edited, index)) return true;
    }
    return false;
  }

  // Moves each non-zero value to one of the nearest earlier zero choices of
  // the same kind and bound (a crash at the nemesis's first tick rather than
  // its third), which shortens the run if the failure still happens: first
  // dropping the choices in between (they may have led up to it), then
  // keeping them.
  bool MoveEarlierPass() {
    const Tape current = result_.tape;
    for (size_t from = current.size(); from-- > 0;) {
      if (current[from].value == 0) continue;
      int tried_targets = 0;
      for (size_t to = from; to-- > 0 && tried_targets < kMoveEarlierTargets;) {
        if (current[to].kind != current[from].kind || current[to].bound != current[from].bound ||
            current[to].value != 0) {
          continue;
        }
        ++tried_targets;
        Tape edited(current.begin(), current.begin() + static_cast<ptrdiff_t>(to));
        edited.push_back(current[from]);
        edited.insert(edited.end(), current.begin() + static_cast<ptrdiff_t>(from) + 1,
                      current.end());
        if (TryRealigned(edited, to)) return true;
        edited = current;
        edited[to].value = current[from].value;
        edited[from].value = 0;
        if (TryRealigned(edited, to)) return true;
      }
    }
    return false;
  }

  const TapeRunner& run_;
  const ShrinkOptions& options_;
  const std::string signature_;
  const WallClock::time_point start_;
  ShrinkResult result_;
};

}  // namespace

ShrinkResult Shrink(const TapeRunner& run, const RunReport& failing, const ShrinkOptions& options) {
  LAPLACE_CHECK(failing.failed()) << "Shrink needs a failing run";
  return Shrinker(run, failing, options).Run();
}

std::string FormatProgress(const ShrinkProgress& progress) {
  return internal::Cat(progress.length, " choices (", progress.nonzero, " non-zero), ",
                       progress.tried, " tried, ", progress.accepted, " accepted, ",
                       progress.elapsed.count(), "ms");
}

}  // namespace laplace::properties
