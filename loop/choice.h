// Choice sources and the tape: every decision a simulation makes goes here.
//
// Which ready task runs next, which of two simultaneous timers fires first,
// whether a message is dropped, how long a delay is, any value a test draws:
// each is a bounded choice `Choose(bound, kind, stream) -> [0, bound)`
// answered by one ChoiceSource. A source records every answer on a tape of
// (kind, bound, value, stream) entries in the order they were made; replaying
// that tape reproduces the run exactly. Value 0 is always the least
// surprising outcome (no preemption, no fault, no delay), and past the end of
// a tape every choice is 0, so shorter tapes with smaller values are simpler
// runs: that is what shrinking relies on.
//
// Streams: every choice belongs to a stream, named by whoever draws it (one
// per message for the network's loss and latency, one per nemesis tick and
// decision, one per disk operation, ...; scheduling picks and a test's own
// draws go on the unnamed stream).
// A replay matches the n-th choice of a (stream, kind) to the n-th tape entry
// of that (stream, kind), not to the n-th entry overall, so a run that makes
// more or fewer choices somewhere (a message delivered instead of lost draws
// its latency; a retry sends again) leaves every other stream's values where
// they were. docs/design.md, "A tape of streams", says why.
//
//   laplace::SeededSource seeded(/*seed=*/7);
//   laplace::Stream link = laplace::Stream::Named("net n1->n2 put", 3);
//   uint64_t drop = seeded.Choose(100, laplace::ChoiceKind::kFault, link.id);
//   laplace::Tape tape = seeded.tape();        // {kFault, 100, drop, link.id}
//
//   laplace::TapeSource replay(tape, laplace::TapeSource::Mode::kStrict);
//   assert(replay.Choose(100, laplace::ChoiceKind::kFault, link.id) == drop);
#ifndef LAPLACE_LOOP_CHOICE_H_
#define LAPLACE_LOOP_CHOICE_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"  // allowed: lookups only
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

// A stream's identity: a 64-bit hash of its name and key (MakeStreamId). It
// never reaches a digest; files store the name (StreamText) and readers hash
// it again.
using StreamId = uint64_t;
// The stream of choices nobody named: scheduling picks and a test's own
// draws.
inline constexpr StreamId kUnnamedStream = 0;

// The id of the stream `prefix` + `name` with `key` (FNV-1a over the bytes,
// then mixed with key; 0 only for the empty name with key 0). Pure: the same
// text gives the same id in every process.
StreamId MakeStreamId(std::string_view prefix, std::string_view name, uint64_t key);
// How a stream is written in files and reports: the name, then "#key" when
// key is not 0 (or the name itself ends in '#' and digits).
std::string StreamText(std::string_view name, uint64_t key);
// The id of a stream written by StreamText (or by UnknownStreamText).
StreamId ParseStreamId(std::string_view text);
// StreamText's name and key back: ("nemesis crash", 4) from "nemesis
// crash#4", (text, 0) from a text with no key.
std::pair<std::string_view, uint64_t> SplitStreamText(std::string_view text);
// "stream 0x<16 hex digits>": how a stream whose name is not known is
// written; ParseStreamId reads it back as the same id.
std::string UnknownStreamText(StreamId stream);

// How the streams of a tape are written, by id.
using StreamNames = absl::btree_map<StreamId, std::string>;

// A named stream, as a drawing site hands it to Loop::Choose: `name` says
// what decides (e.g. "net n1->n2 put"), `key` which occurrence (the
// message's ordinal on that link, the nemesis's tick). The name is copied
// only the first time a Loop sees the stream.
struct Stream {
  StreamId id = kUnnamedStream;
  std::string_view name;
  uint64_t key = 0;

  static Stream Named(std::string_view name, uint64_t key = 0) {
    return Stream{MakeStreamId({}, name, key), name, key};
  }
};

// One answered choice: `value` is in [0, bound), drawn on `stream`.
struct Choice {
  ChoiceKind kind = ChoiceKind::kSchedule;
  uint64_t bound = 0;
  uint64_t value = 0;
  StreamId stream = kUnnamedStream;

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
  Choice expected;   // what the tape holds there (its stream is the program's)
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

  // Returns a value in [0, bound) for the next choice of (`stream`, `kind`)
  // and appends it to tape(). Requires bound >= 2.
  virtual uint64_t Choose(uint64_t bound, ChoiceKind kind, StreamId stream) = 0;
  uint64_t Choose(uint64_t bound, ChoiceKind kind) { return Choose(bound, kind, kUnnamedStream); }

  // True when the source answers from a given tape or bytes (a replay, a
  // shrink candidate, a fuzzer's input) rather than deciding: the Loop then
  // schedules as the random walk does, whatever its strategy, because the
  // tape already holds every pick (see strategy.h).
  virtual bool replays() const { return false; }

  // Appends a choice that something else decided (a strategy's pick, see
  // strategy.h), so the tape holds it as if it had been drawn: a replay then
  // answers `value` here. Requires value < bound, bound >= 2, and a source
  // that does not replay.
  void RecordDecided(ChoiceKind kind, uint64_t bound, uint64_t value, StreamId stream);

  // Every choice answered so far, in order (a copy: sources record in a
  // compact form, see internal/tape_recorder.h).
  Tape tape() const;
  // How many choices have been answered: tape().size(), without the copy.
  size_t tape_size() const { return recorder_.size(); }

  // The first choice that did not fit a replayed tape, if any. Only replaying
  // sources ever diverge.
  const std::optional<Divergence>& divergence() const { return divergence_; }

 protected:
  LAPLACE_HOT_INLINE uint64_t Record(ChoiceKind kind, uint64_t bound, uint64_t value,
                                     StreamId stream) {
    recorder_.Append(kind, bound, value, stream);
    return value;
  }

  internal::TapeRecorder recorder_;
  std::optional<Divergence> divergence_;
};

// Answers from a seeded Prng: value = Prng(seed).Below(bound), one draw per
// choice in the order they are asked, whatever the kind and stream. This is
// what a fresh, random run uses.
class SeededSource final : public ChoiceSource {
 public:
  explicit SeededSource(uint64_t seed) : prng_(seed), seed_(seed) {}

  using ChoiceSource::Choose;
  LAPLACE_HOT_INLINE uint64_t Choose(uint64_t bound, ChoiceKind kind, StreamId stream) override {
    return Record(kind, bound, prng_.Below(bound), stream);
  }

  uint64_t seed() const { return seed_; }

 private:
  Prng prng_;
  uint64_t seed_;
};

// Answers from a recorded or edited tape, by stream: the n-th choice of a
// stream gets the n-th entry of that stream, 0 once they run out.
class TapeSource final : public ChoiceSource {
 public:
  enum class Mode {
    // Replaying a file: one cursor per stream, and a kind or bound that
    // differs from the stream's next entry is a divergence. The first one is
    // recorded and answered 0, and the run continues best-effort (the other
    // streams still replay) while the Loop reports it.
    kStrict,
    // Shrinking and fuzzing: the tape is just numbers in streams, one cursor
    // per (stream, kind), so a fault switched off does not hand its stream's
    // next fault value to a delay. Bounds are ignored, and a value >= bound
    // is reduced modulo bound.
    kLenient,
  };

  TapeSource(Tape tape, Mode mode);

  using ChoiceSource::Choose;
  uint64_t Choose(uint64_t bound, ChoiceKind kind, StreamId stream) override;
  bool replays() const override { return true; }

  // How many entries of the input tape have been consumed.
  size_t position() const { return consumed_; }
  const Tape& input() const { return input_; }

 private:
  struct Cursor {
    std::vector<uint32_t> entries;  // indexes into input_, in order
    size_t next = 0;
  };

  // (stream, kind), the kind -1 in strict mode (one cursor per stream).
  std::pair<StreamId, int> CursorKey(StreamId stream, ChoiceKind kind) const;

  Tape input_;
  Mode mode_;
  absl::flat_hash_map<std::pair<StreamId, int>, Cursor> cursors_;  // allowed: lookups only
  size_t consumed_ = 0;
};

// Answers from raw bytes, as a coverage-guided fuzzer (libFuzzer, AFL++)
// hands them over: each choice consumes the fewest whole bytes that can
// express bound - 1, little-endian, reduced modulo bound; 0 past the end.
class ByteSource final : public ChoiceSource {
 public:
  explicit ByteSource(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  using ChoiceSource::Choose;
  uint64_t Choose(uint64_t bound, ChoiceKind kind, StreamId stream) override;
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
