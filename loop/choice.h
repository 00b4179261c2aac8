// Choice sources and the tape: every decision a simulation makes goes here.
//
// Which ready task runs next, which of two simultaneous timers fires first,
// whether a message is dropped, how long a delay is, any value a test draws:
// each is a bounded choice `Choose(bound, kind) -> [0, bound)` answered by one
// ChoiceSource. A source records every answer on a tape of (kind, bound,
// value) entries; replaying that tape reproduces the run exactly. Value 0 is
// always the least surprising outcome (no preemption, no fault, no delay), and
// past the end of a tape every choice is 0, so shorter tapes with smaller
// values are simpler runs: that is what shrinking relies on.
//
//   laplace::SeededSource seeded(/*seed=*/7);
//   uint64_t pick = seeded.Choose(3, laplace::ChoiceKind::kSchedule);
//   laplace::Tape tape = seeded.tape();        // {kSchedule, 3, pick}
//
//   laplace::TapeSource replay(tape, laplace::TapeSource::Mode::kStrict);
//   assert(replay.Choose(3, laplace::ChoiceKind::kSchedule) == pick);
#ifndef LAPLACE_LOOP_CHOICE_H_
#define LAPLACE_LOOP_CHOICE_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loop/internal/tape_recorder.h"
#include "loop/prng.h"

namespace laplace {

// What a choice decides. Recorded on the tape so that a replay notices when
// the code under it has changed.
enum class ChoiceKind : uint8_t {
  kSchedule = 0,  // which ready task runs next; 0 keeps the current one
  kTimerTie = 1,  // order of timers due at the same instant; 0 = order set
  kFault = 2,     // whether a fault happens; 0 = no fault
  kDelay = 3,     // how long something takes; 0 = the minimum
  kDraw = 4,      // a value the test itself draws; 0 = the smallest
};
inline constexpr int kChoiceKindCount = 5;

// "schedule", "timer_tie", "fault", "delay" or "draw".
std::string_view ChoiceKindName(ChoiceKind kind);

// Parses ChoiceKindName()'s output; nullopt for anything else.
std::optional<ChoiceKind> ParseChoiceKind(std::string_view name);

// One answered choice: `value` is in [0, bound).
struct Choice {
  ChoiceKind kind = ChoiceKind::kSchedule;
  uint64_t bound = 0;
  uint64_t value = 0;

  friend bool operator==(const Choice&, const Choice&) = default;
};

// The ordered record of a run's choices.
using Tape = std::vector<Choice>;

// "schedule 1/3" style rendering of one choice: kind, value, bound.
std::string FormatChoice(const Choice& choice);
// For GoogleTest's messages: FormatChoice.
void PrintTo(const Choice& choice, std::ostream* out);

// A choice made while replaying that does not fit the tape: the code asked
// for a different kind or bound than the tape recorded at that index.
struct Divergence {
  size_t index = 0;  // position on the tape (0-based)
  Choice expected;   // what the tape holds there
  ChoiceKind actual_kind = ChoiceKind::kSchedule;
  uint64_t actual_bound = 0;

  // "choice #12: the tape has schedule 1/3 but the program asked for fault
  // (bound 100)".
  std::string ToString() const;
};

// Answers bounded choices and records them.
//
// Sources are single-threaded and belong to one simulation. The Loop calls
// Choose() only with bound >= 2: a choice between one option is no choice and
// is neither asked nor recorded, so tapes stay aligned across strategies.
class ChoiceSource {
 public:
  ChoiceSource() = default;
  ChoiceSource(const ChoiceSource&) = delete;
  ChoiceSource& operator=(const ChoiceSource&) = delete;
  virtual ~ChoiceSource() = default;

  // Returns a value in [0, bound) and appends it to tape(). Requires bound >= 2.
  virtual uint64_t Choose(uint64_t bound, ChoiceKind kind) = 0;

  // True when the source answers from a given tape or bytes (a replay, a
  // shrink candidate, a fuzzer's input) rather than deciding: the Loop then
  // schedules as the random walk does, whatever its strategy, because the
  // tape already holds every pick (see strategy.h).
  virtual bool replays() const { return false; }

  // Appends a choice that something else decided (a strategy's pick, see
  // strategy.h), so the tape holds it as if it had been drawn: a replay then
  // answers `value` here. Requires value < bound, bound >= 2, and a source
  // that does not replay.
  void RecordDecided(ChoiceKind kind, uint64_t bound, uint64_t value);

  // Every choice answered so far, in order (a copy: sources record in a
  // compact form, see internal/tape_recorder.h).
  Tape tape() const;
  // How many choices have been answered: tape().size(), without the copy.
  size_t tape_size() const { return recorder_.size(); }

  // The first choice that did not fit a replayed tape, if any. Only replaying
  // sources ever diverge.
  const std::optional<Divergence>& divergence() const { return divergence_; }

 protected:
  LAPLACE_HOT_INLINE uint64_t Record(ChoiceKind kind, uint64_t bound, uint64_t value) {
    recorder_.Append(kind, bound, value);
    return value;
  }

  internal::TapeRecorder recorder_;
  std::optional<Divergence> divergence_;
};

// Answers from a seeded Prng: value = Prng(seed).Below(bound), one draw per
// choice, whatever the kind. This is what a fresh, random run uses.
class SeededSource final : public ChoiceSource {
 public:
  explicit SeededSource(uint64_t seed) : prng_(seed), seed_(seed) {}

  LAPLACE_HOT_INLINE uint64_t Choose(uint64_t bound, ChoiceKind kind) override {
    return Record(kind, bound, prng_.Below(bound));
  }

  uint64_t seed() const { return seed_; }

 private:
  Prng prng_;
  uint64_t seed_;
};

// Answers from a recorded or edited tape; 0 past its end.
class TapeSource final : public ChoiceSource {
 public:
  enum class Mode {
    // Replaying a file: a kind or bound that differs from the tape is a
    // divergence. The first one is recorded and every later choice is 0, so
    // the run can continue best-effort while the Loop reports it.
    kStrict,
    // Shrinking and fuzzing: the tape is just a list of numbers. Kinds and
    // bounds are ignored, and a value >= bound is reduced modulo bound.
    kLenient,
  };

  TapeSource(Tape tape, Mode mode) : input_(std::move(tape)), mode_(mode) {}

  uint64_t Choose(uint64_t bound, ChoiceKind kind) override;
  bool replays() const override { return true; }

  // How many entries of the input tape have been consumed.
  size_t position() const { return position_; }
  const Tape& input() const { return input_; }

 private:
  Tape input_;
  Mode mode_;
  size_t position_ = 0;
};

// Answers from raw bytes, as a coverage-guided fuzzer (libFuzzer, AFL++)
// hands them over: each choice consumes the fewest whole bytes that can
// express bound - 1, little-endian, reduced modulo bound; 0 past the end.
class ByteSource final : public ChoiceSource {
 public:
  explicit ByteSource(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  uint64_t Choose(uint64_t bound, ChoiceKind kind) override;
  bool replays() const override { return true; }

 private:
  std::span<const uint8_t> bytes_;
  size_t position_ = 0;
};

// Removes trailing zero entries: past the end of a tape every choice is 0,
// so they carry no information.
void TrimTrailingZeros(Tape& tape);

}  // namespace laplace

#endif  // LAPLACE_LOOP_CHOICE_H_
