#include "loop/choice.h"

#include <ostream>

#include "base/check.h"
#include "base/strings.h"

namespace laplace {
namespace {

constexpr std::string_view kKindNames[kChoiceKindCount] = {"schedule", "timer_tie", "fault",
                                                           "delay", "draw"};

}  // namespace

std::string_view ChoiceKindName(ChoiceKind kind) {
  auto index = static_cast<size_t>(kind);
  LAPLACE_CHECK(index < kChoiceKindCount) << "unknown ChoiceKind " << index;
  return kKindNames[index];
}

std::optional<ChoiceKind> ParseChoiceKind(std::string_view name) {
  for (int i = 0; i < kChoiceKindCount; ++i) {
    if (kKindNames[i] == name) return static_cast<ChoiceKind>(i);
  }
  return std::nullopt;
}

std::string FormatChoice(const Choice& choice) {
  return internal::Cat(ChoiceKindName(choice.kind), " ", choice.value, "/", choice.bound);
}

std::string Divergence::ToString() const {
  return internal::Cat("choice #", index, ": the tape has ", FormatChoice(expected),
                       " but the program asked for ", ChoiceKindName(actual_kind), " (bound ",
                       actual_bound, ")");
}

void ChoiceSource::RecordDecided(ChoiceKind kind, uint64_t bound, uint64_t value) {
  LAPLACE_CHECK(!replays()) << "a replaying source answers every choice from its tape";
  LAPLACE_CHECK(bound >= 2) << "a decision between " << bound << " options is no choice";
  LAPLACE_CHECK(value < bound) << "decided " << value << " of " << bound;
  Record(kind, bound, value);
}

uint64_t TapeSource::Choose(uint64_t bound, ChoiceKind kind) {
  LAPLACE_CHECK(bound >= 2) << "the Loop answers single-option choices itself";
  if (position_ >= input_.size() || divergence_.has_value()) {
    return Record(kind, bound, 0);
  }
  const Choice& expected = input_[position_];
  if (mode_ == Mode::kStrict && (expected.kind != kind || expected.bound != bound)) {
    divergence_ = Divergence{position_, expected, kind, bound};
    ++position_;
    return Record(kind, bound, 0);
  }
  ++position_;
  uint64_t value = expected.value;
  if (value >= bound) {
    // A strict tape with the right bound cannot get here unless the file was
    // edited; treat it like a lenient one rather than trusting it.
    value %= bound;
  }
  return Record(kind, bound, value);
}

uint64_t ByteSource::Choose(uint64_t bound, ChoiceKind kind) {
  LAPLACE_CHECK(bound >= 2) << "the Loop answers single-option choices itself";
  uint64_t largest = bound - 1;
  uint64_t value = 0;
  int shift = 0;
  while (largest != 0 && position_ < bytes_.size()) {
    value |= static_cast<uint64_t>(bytes_[position_++]) << shift;
    shift += 8;
    largest >>= 8;
  }
  return Record(kind, bound, value % bound);
}

void PrintTo(const Choice& choice, std::ostream* out) { *out << FormatChoice(choice); }

Tape ChoiceSource::tape() const {
  Tape tape;
  tape.reserve(recorder_.size());
  recorder_.ForEach([&](ChoiceKind kind, uint64_t bound, uint64_t value) {
    tape.push_back(Choice{kind, bound, value});
  });
  return tape;
}

void TrimTrailingZeros(Tape& tape) {
  while (!tape.empty() && tape.back().value == 0) tape.pop_back();
}

}  // namespace laplace
