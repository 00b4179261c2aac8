// Reading, checking and writing Laplace replay files (replay.proto, text format).
//
// A replay file holds one failing case of a property: the test, the strategy,
// the seed, the tape of choices, the failure and the trace digest. This is the
// only code that turns bytes into a `Replay` and back, so it is where damaged,
// truncated or foreign files are caught: every function here returns a clear
// error that names the file, and none of them crashes on any input.
//
//   laplace::replays::Replay replay;
//   replay.set_format_version(laplace::replays::kFormatVersion);
//   replay.set_test_name("Bank.TransfersPreserveTotal");
//   replay.set_trace_digest(laplace::replays::FormatDigest(loop.trace().digest()));
//   laplace::replays::SetReplayTape(source.tape(), report.stream_names, replay);
//   absl::Status written = laplace::replays::WriteReplayFileAtomically(path, replay);
//
//   absl::StatusOr<laplace::replays::Replay> read =
//       laplace::replays::ReadReplayFile(path, "Bank.TransfersPreserveTotal");
//   if (!read.ok()) return read.status();  // names the file and the problem
//   laplace::Tape tape = laplace::replays::TapeFromReplay(*read);
//
// Error codes (the whole package uses these, and only these, for files):
// - kDataLoss: the bytes are not a `Replay` in Protobuf text format at all:
//   empty, truncated mid-field, binary garbage, a syntax error, an unknown
//   field name, a value of the wrong type for its field, an unknown enum name.
//   The message gives file:line:column and says to restore or delete the file.
// - kInvalidArgument: the file parses, but its content is not a usable replay:
//   format_version missing or newer than this build reads, a malformed test
//   name, a tape entry with an unknown kind or value >= bound, a malformed
//   trace digest, a file written for a different test than expected, ...
//   The message lists every problem found and what to do about it.
// - kNotFound: ReadReplayFile() was given a path where no file exists.
// - Other canonical codes (kPermissionDenied, ...) for I/O failures, derived
//   from errno.
#ifndef LAPLACE_REPLAYS_REPLAY_FILE_H_
#define LAPLACE_REPLAYS_REPLAY_FILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loop/choice.h"
#include "replays/replay.pb.h"

namespace laplace::replays {

// The replay format version this build writes, and the newest it reads.
inline constexpr uint32_t kFormatVersion = 2;

// The largest replay file ReadReplayFile() accepts. A real replay is a few
// kilobytes (a tape of 100,000 entries is about 3 MB); anything bigger is not
// a replay file, and reading it whole would only waste memory.
inline constexpr uint64_t kReplayFileBytesMax = 64ull << 20;

// Parses `text` as a replay in Protobuf text format and validates it (see the
// error codes above). `file_name` is used only in error messages; pass the
// path the text came from. Never crashes, whatever the bytes.
absl::StatusOr<Replay> ParseReplay(std::string_view text, std::string_view file_name);

// Returns OK when `replay` has everything a replay needs: ParseReplay() runs
// this on every message it parses. Otherwise kInvalidArgument listing every
// problem, prefixed by `file_name`.
absl::Status ValidateReplay(const Replay& replay, std::string_view file_name);

// Reads and parses the file at `path`. kNotFound (naming the path) when there
// is no such file; kInvalidArgument when it is larger than kReplayFileBytesMax
// or not a regular file; otherwise as ParseReplay().
absl::StatusOr<Replay> ReadReplayFile(const std::string& path);

// As ReadReplayFile(), and additionally requires the file to be a replay of
// `expected_test_name` ("Suite.Test"): a replay of another test gives
// kInvalidArgument "this replay is for test X, not Y".
absl::StatusOr<Replay> ReadReplayFile(const std::string& path, std::string_view expected_test_name);

// Renders `replay` as text format: a comment block saying what the file is and
// how to rerun it, then the fields in field-number order. Deterministic: the
// same message always gives the same bytes (no timestamps, no hash order).
// ParseReplay(FormatReplay(r)) gives back a message equal to `r` for every
// valid `r`.
std::string FormatReplay(const Replay& replay);

// Writes `replay` to `path` atomically: creates the parent directories,
// writes a temporary file in the same directory, fsyncs it, renames it over
// `path` and fsyncs the directory. Readers see either the old file or the
// whole new one, never a partial file; on any error the temporary file is
// removed. Refuses (kInvalidArgument, writing nothing) a replay that
// ValidateReplay() rejects, so every file written can be read back.
absl::Status WriteReplayFileAtomically(const std::string& path, const Replay& replay);

// The tape stored in `replay`. Requires a replay that passed validation
// (every kind known, bound >= 2, value < bound); aborts otherwise.
laplace::Tape TapeFromReplay(const Replay& replay);

// How the streams of `replay`'s tape are written, by id.
laplace::StreamNames StreamNamesFromReplay(const Replay& replay);

// Replaces `replay`'s tape with `tape`, entry for entry (trailing zeros are
// kept; call laplace::TrimTrailingZeros() first to drop them), each stream
// written as `names` has it (UnknownStreamText when missing, which reads
// back as the same stream). Requires every entry to have bound >= 2 and
// value < bound, as ChoiceSource guarantees.
void SetReplayTape(const laplace::Tape& tape, const laplace::StreamNames& names, Replay& replay);
// The same with no names known (tests, tapes on the unnamed stream).
inline void SetReplayTape(const laplace::Tape& tape, Replay& replay) {
  SetReplayTape(tape, {}, replay);
}

// The file's enum for a loop ChoiceKind, and back. FromProtoChoiceKind()
// returns nullopt for CHOICE_KIND_UNSPECIFIED and unknown values.
TapeEntryKind ToProtoChoiceKind(laplace::ChoiceKind kind);
std::optional<laplace::ChoiceKind> FromProtoChoiceKind(TapeEntryKind kind);

// A 64-bit trace digest as 16 lowercase hex digits, e.g. "00c0ffee12345678".
std::string FormatDigest(uint64_t digest);

// Parses FormatDigest()'s output: exactly 16 lowercase hex digits, else
// nullopt.
std::optional<uint64_t> ParseDigest(std::string_view text);

}  // namespace laplace::replays

#endif  // LAPLACE_REPLAYS_REPLAY_FILE_H_
