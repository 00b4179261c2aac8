#include "loop/choice.h"

#include <cstdio>
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

StreamId MakeStreamId(std::string_view prefix, std::string_view name, uint64_t key) {
  if (prefix.empty() && name.empty() && key == 0) return kUnnamedStream;
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, 64-bit
  for (std::string_view part : {prefix, name}) {
    for (char c : part) hash = (hash ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  }
  // SplitMix64's finalizer over the name's hash and the key.
  uint64_t z = hash + (key + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z == kUnnamedStream ? 1 : z;
}

namespace {

// The length of `text` without a trailing "#<digits>" (text.size() if none).
size_t KeylessLength(std::string_view text) {
  size_t hash = text.rfind('#');
  if (hash == std::string_view::npos || hash + 1 == text.size()) return text.size();
  for (size_t i = hash + 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return text.size();
  }
  return hash;
}

}  // namespace

std::string StreamText(std::string_view name, uint64_t key) {
  if (key == 0 && KeylessLength(name) == name.size()) return std::string(name);
  return internal::Cat(name, "#", key);
}

std::string UnknownStreamText(StreamId stream) {
  char hex[19];
  std::snprintf(hex, sizeof hex, "0x%016llx", static_cast<unsigned long long>(stream));
  return internal::Cat("stream ", hex);
}

std::pair<std::string_view, uint64_t> SplitStreamText(std::string_view text) {
  const size_t length = KeylessLength(text);
  if (length == text.size()) return {text, 0};
  uint64_t key = 0;
  for (char c : text.substr(length + 1)) key = key * 10 + static_cast<uint64_t>(c - '0');
  return {text.substr(0, length), key};
}

StreamId ParseStreamId(std::string_view text) {
  constexpr std::string_view kUnknown = "stream 0x";
  if (text.size() == kUnknown.size() + 16 && text.substr(0, kUnknown.size()) == kUnknown) {
    StreamId id = 0;
    bool hex = true;
    for (char c : text.substr(kUnknown.size())) {
      const bool digit = c >= '0' && c <= '9', letter = c >= 'a' && c <= 'f';
      hex = hex && (digit || letter);
      id = id * 16 + static_cast<uint64_t>(digit ? c - '0' : c - 'a' + 10);
    }
    if (hex) return id;
  }
  const auto [name, key] = SplitStreamText(text);
  return MakeStreamId({}, name, key);
}

void ChoiceSource::RecordDecided(ChoiceKind kind, uint64_t bound, uint64_t value, StreamId stream) {
  LAPLACE_CHECK(!replays()) << "a replaying source answers every choice from its tape";
  LAPLACE_CHECK(bound >= 2) << "a decision between " << bound << " options is no choice";
  LAPLACE_CHECK(value < bound) << "decided " << value << " of " << bound;
  Record(kind, bound, value, stream);
}

TapeSource::TapeSource(Tape tape, Mode mode) : input_(std::move(tape)), mode_(mode) {
  LAPLACE_CHECK(input_.size() < (uint64_t{1} << 32)) << "a tape of " << input_.size();
  for (size_t i = 0; i < input_.size(); ++i) {
    cursors_[CursorKey(input_[i].stream, input_[i].kind)].entries.push_back(
        static_cast<uint32_t>(i));
  }
}

std::pair<StreamId, int> TapeSource::CursorKey(StreamId stream, ChoiceKind kind) const {
  return {stream, mode_ == Mode::kStrict ? -1 : static_cast<int>(kind)};
}

uint64_t TapeSource::Choose(uint64_t bound, ChoiceKind kind, StreamId stream) {
  LAPLACE_CHECK(bound >= 2) << "the Loop answers single-option choices itself";
  auto it = cursors_.find(CursorKey(stream, kind));
  if (it == cursors_.end() || it->second.next >= it->second.entries.size()) {
    return Record(kind, bound, 0, stream);
  }
  const size_t index = it->second.entries[it->second.next++];
  ++consumed_;
  const Choice& expected = input_[index];
  if (mode_ == Mode::kStrict && (expected.kind != kind || expected.bound != bound)) {
    if (!divergence_.has_value()) divergence_ = Divergence{index, expected, kind, bound};
    return Record(kind, bound, 0, stream);
  }
  uint64_t value = expected.value;
  if (value >= bound) {
    // A strict tape with the right bound cannot get here unless the file was
    // edited; treat it like a lenient one rather than trusting it.
    value %= bound;
  }
  return Record(kind, bound, value, stream);
}

uint64_t ByteSource::Choose(uint64_t bound, ChoiceKind kind, StreamId stream) {
  LAPLACE_CHECK(bound >= 2) << "the Loop answers single-option choices itself";
  uint64_t largest = bound - 1;
  uint64_t value = 0;
  int shift = 0;
  while (largest != 0 && position_ < bytes_.size()) {
    value |= static_cast<uint64_t>(bytes_[position_++]) << shift;
    shift += 8;
    largest >>= 8;
  }
  return Record(kind, bound, value % bound, stream);
}

void PrintTo(const Choice& choice, std::ostream* out) { *out << FormatChoice(choice); }

Tape ChoiceSource::tape() const {
  Tape tape;
  tape.reserve(recorder_.size());
  recorder_.ForEach([&](ChoiceKind kind, uint64_t bound, uint64_t value, StreamId stream) {
    tape.push_back(Choice{kind, bound, value, stream});
  });
  return tape;
}

void TrimTrailingZeros(Tape& tape) {
  while (!tape.empty() && tape.back().value == 0) tape.pop_back();
}

}  // namespace laplace
