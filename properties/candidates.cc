#include "properties/candidates.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/btree_set.h"
#include "base/check.h"

namespace laplace::properties {
namespace {

// The span sizes of the zero and delete passes: half the tape (rounded up),
// then halving down to 1.
size_t FirstSpanSize(size_t length) { return std::max<size_t>(1, (length + 1) / 2); }

std::vector<size_t> NonZeroPositions(const Tape& tape) {
  std::vector<size_t> positions;
  for (size_t i = 0; i < tape.size(); ++i) {
    if (tape[i].value != 0) positions.push_back(i);
  }
  return positions;
}

// Collects candidates: trimmed, never the current tape itself, at most
// `max` of them.
class Collector {
 public:
  Collector(const Tape& current, size_t max) : current_(current), max_(max) {}
  bool full() const { return out_.size() >= max_; }
  void Add(Tape candidate) {
    TrimTrailingZeros(candidate);
    if (full() || candidate == current_) return;
    out_.push_back(std::move(candidate));
  }
  std::vector<Tape> Take() { return std::move(out_); }

 private:
  const Tape& current_;
  const size_t max_;
  std::vector<Tape> out_;
};

// Every run of `length` consecutive non-zero choices zeroed, at every offset,
// longest runs first.
void ZeroWindows(const Tape& current, Collector& out) {
  const std::vector<size_t> nonzero = NonZeroPositions(current);
  for (size_t length = nonzero.size() > 0 ? nonzero.size() - 1 : 0; length >= 2; --length) {
    for (size_t first = 0; first + length <= nonzero.size() && !out.full(); ++first) {
      Tape candidate = current;
      for (size_t k = first; k < first + length; ++k) candidate[nonzero[k]].value = 0;
      out.Add(std::move(candidate));
    }
  }
}

// Only one surprise kept: all others zeroed; then only one schedule choice
// kept, with every other kind's left as it is.
void KeepOne(const Tape& current, Collector& out) {
  const std::vector<size_t> nonzero = NonZeroPositions(current);
  for (bool schedule_only : {false, true}) {
    for (size_t kept : nonzero) {
      if (schedule_only && current[kept].kind != ChoiceKind::kSchedule) continue;
      Tape candidate = current;
      for (size_t i : nonzero) {
        if (i == kept) continue;
        if (schedule_only && current[i].kind != ChoiceKind::kSchedule) continue;
        candidate[i].value = 0;
      }
      out.Add(std::move(candidate));
    }
  }
}

// Choice `from`'s value moved to `to`, fitted to its bound: as it is when it
// fits, else the largest; for schedule picks also at the same distance from
// the end of the candidates (the newest ready tasks are last).
void AddMoves(const Tape& current, size_t from, size_t to, Collector& out) {
  const Choice& source = current[from];
  const uint64_t bound = current[to].bound;
  std::vector<uint64_t> values = {std::min(source.value, bound - 1)};
  if (source.kind == ChoiceKind::kSchedule && source.bound - source.value < bound) {
    values.push_back(bound - (source.bound - source.value));
  }
  for (size_t v = 0; v < values.size(); ++v) {
    if (values[v] == 0 || (v > 0 && values[v] == values[0])) continue;
    Tape candidate = current;
    candidate[from].value = 0;
    candidate[to].value = values[v];
    out.Add(std::move(candidate));
  }
}

void Moves(const Tape& current, size_t reach, Collector& out) {
  for (size_t from : NonZeroPositions(current)) {
    const ChoiceKind kind = current[from].kind;
    size_t found = 0;
    for (size_t to = from; to-- > 0 && found < reach;) {
      if (current[to].kind != kind || current[to].value != 0) continue;
      ++found;
      AddMoves(current, from, to, out);
    }
    found = 0;
    for (size_t to = from + 1; to < current.size() && found < reach; ++to) {
      if (current[to].kind != kind || current[to].value != 0) continue;
      ++found;
      AddMoves(current, from, to, out);
    }
  }
}

// The index of the `ordinal`-th entry of (`stream`, `kind`) in `tape`.
std::optional<size_t> FindEntry(const Tape& tape, StreamId stream, ChoiceKind kind,
                                size_t ordinal) {
  for (size_t i = 0; i < tape.size(); ++i) {
    if (tape[i].stream != stream || tape[i].kind != kind) continue;
    if (ordinal-- == 0) return i;
  }
  return std::nullopt;
}

// Where entry `i` stands within its (stream, kind).
size_t OrdinalOf(const Tape& tape, size_t i) {
  size_t ordinal = 0;
  for (size_t j = 0; j < i; ++j) {
    if (tape[j].stream == tape[i].stream && tape[j].kind == tape[i].kind) ++ordinal;
  }
  return ordinal;
}

void Rekeys(const Tape& current, const StreamNames& names, size_t reach, Collector& out) {
  // The keys of the streams that hold non-zero values, each once.
  absl::btree_set<uint64_t> keys;
  for (size_t i : NonZeroPositions(current)) {
    auto name = names.find(current[i].stream);
    if (name != names.end()) keys.insert(SplitStreamText(name->second).second);
  }
  for (uint64_t key : keys) {
    for (uint64_t earlier = key; earlier-- > 0 && key - earlier <= reach;) {
      Tape candidate = current;
      bool moved = false;
      for (size_t i : NonZeroPositions(current)) {
        auto name = names.find(current[i].stream);
        if (name == names.end()) continue;
        const auto [base, own_key] = SplitStreamText(name->second);
        if (own_key != key) continue;
        std::optional<size_t> target = FindEntry(current, MakeStreamId({}, base, earlier),
                                                 current[i].kind, OrdinalOf(current, i));
        if (!target.has_value()) continue;
        candidate[*target].value = std::min(current[i].value, current[*target].bound - 1);
        candidate[i].value = 0;
        moved = true;
      }
      if (moved) out.Add(std::move(candidate));
    }
  }
}

}  // namespace

std::string_view PassName(CandidateStream::Pass pass) {
  switch (pass) {
    case CandidateStream::Pass::kTruncate:
      return "truncate";
    case CandidateStream::Pass::kZero:
      return "zero";
    case CandidateStream::Pass::kDelete:
      return "delete";
    case CandidateStream::Pass::kLower:
      return "lower";
    case CandidateStream::Pass::kShift:
      return "shift";
    case CandidateStream::Pass::kDone:
      break;
  }
  return "done";
}

std::string_view PassName(FixpointPass pass) {
  switch (pass) {
    case FixpointPass::kZeroWindow:
      return "zero-window";
    case FixpointPass::kKeepOne:
      return "keep-one";
    case FixpointPass::kMove:
      return "move";
    case FixpointPass::kRekey:
      return "rekey";
  }
  return "unknown";
}

std::vector<Tape> FixpointCandidates(const Tape& current, FixpointPass pass,
                                     const StreamNames& names, size_t candidates_max,
                                     size_t reach) {
  Tape trimmed = current;
  TrimTrailingZeros(trimmed);
  Collector out(trimmed, candidates_max);
  switch (pass) {
    case FixpointPass::kZeroWindow:
      ZeroWindows(trimmed, out);
      break;
    case FixpointPass::kKeepOne:
      KeepOne(trimmed, out);
      break;
    case FixpointPass::kMove:
      Moves(current, reach, out);
      break;
    case FixpointPass::kRekey:
      Rekeys(trimmed, names, reach, out);
      break;
  }
  return out.Take();
}

CandidateStream::CandidateStream(Tape current, Pass first, Pass end)
    : current_(std::move(current)), pass_(first), end_(end) {
  TrimTrailingZeros(current_);
  if (current_.empty() || pass_ == end_) pass_ = Pass::kDone;  // nothing is smaller than empty
  size_ = FirstSpanSize(current_.size());
}

void CandidateStream::NextPass() {
  pass_ = static_cast<Pass>(static_cast<int>(pass_) + 1);
  if (pass_ == end_) pass_ = Pass::kDone;
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

}  // namespace laplace::properties
