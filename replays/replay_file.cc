#include "replays/replay_file.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <climits>
#include <string>
#include <utility>
#include <vector>

#include "base/check.h"
#include "base/strings.h"
#include "replays/internal/file_io.h"
#include "replays/internal/text.h"
#include "replays/internal/validate.h"

namespace laplace::replays {
namespace {

using ::laplace::internal::Cat;
using ::laplace::replays::internal::Escape;
using ::laplace::replays::internal::ShownFileName;

// How deeply the parser may nest messages; see ParseReplay().
constexpr int kNestingDepthMax = 16;

constexpr std::string_view kDamagedAdvice =
    "The file is damaged, truncated or not a Laplace replay; restore it from version control, or "
    "delete it and rerun the test to record a new one.";

// Keeps the first error of a parse, with 1-based line and column.
class FirstErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    ++count_;
    if (count_ > 1) return;
    line_ = line + 1;
    column_ = column + 1;
    message_ = message;
    // Protobuf ends most messages with a period; ours continue the sentence.
    while (!message_.empty() && (message_.back() == '.' || message_.back() == ' ')) {
      message_.pop_back();
    }
  }

  int count() const { return count_; }
  // "3:7: Expected integer, got: \"abc\"".
  std::string Describe() const { return Cat(line_, ":", column_, ": ", Escape(message_, 240)); }

 private:
  int count_ = 0;
  int line_ = 0;
  int column_ = 0;
  std::string message_;
};

// Swallows errors: used only for a best-effort look at a file that failed to
// parse.
class IgnoringErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
};

// The value of a top-level "format_version: N" in text that may not parse as
// a whole (a newer file with fields this build does not know), if any.
std::optional<uint64_t> ScanFormatVersion(std::string_view text) {
  using google::protobuf::io::Tokenizer;
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  IgnoringErrorCollector errors;
  Tokenizer tokenizer(&input, &errors);
  tokenizer.set_comment_style(Tokenizer::SH_COMMENT_STYLE);
  int depth = 0;
  bool after_name = false;  // the previous tokens were "format_version" and maybe ':'
  while (tokenizer.Next()) {
    const Tokenizer::Token& token = tokenizer.current();
    if (token.type == Tokenizer::TYPE_SYMBOL) {
      if (token.text == "{" || token.text == "<") ++depth;
      if (token.text == "}" || token.text == ">") --depth;
      if (after_name && token.text == ":") continue;
    } else if (after_name && token.type == Tokenizer::TYPE_INTEGER) {
      uint64_t value = 0;
      if (Tokenizer::ParseInteger(token.text, UINT64_MAX, &value)) return value;
      return std::nullopt;
    }
    after_name =
        depth == 0 && token.type == Tokenizer::TYPE_IDENTIFIER && token.text == "format_version";
  }
  return std::nullopt;
}

std::string NewerFormatMessage(std::string_view shown, uint64_t version) {
  uint32_t clamped = version > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(version);
  return Cat(shown, ": ", internal::NewerFormatProblem(clamped, kFormatVersion));
}

std::string JoinProblems(const std::vector<std::string>& problems) {
  std::string joined;
  for (const std::string& problem : problems) {
    if (!joined.empty()) joined.append("; ");
    joined.append(problem);
  }
  return joined;
}

// "# " + `text` made safe for a one-line comment.
std::string CommentSafe(std::string_view text) {
  return Escape(text, 4 * internal::kShownBytesMax);
}

}  // namespace

absl::StatusOr<Replay> ParseReplay(std::string_view text, std::string_view file_name) {
  std::string shown = ShownFileName(file_name);
  if (text.size() > kReplayFileBytesMax) {
    return absl::InvalidArgumentError(Cat(shown, ": ", text.size(), " bytes is more than the ",
                                          kReplayFileBytesMax,
                                          " a replay file may have; it is not a replay file"));
  }
  FirstErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  // The schema nests two levels deep and unknown fields are refused, so this
  // limit never binds on a real file; it bounds the parser's recursion
  // whatever the bytes (Protobuf's default is INT_MAX).
  parser.SetRecursionLimit(kNestingDepthMax);
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  Replay replay;
  if (!parser.Parse(&input, &replay)) {
    // A newer Laplace may have added fields or enum values; say so rather
    // than calling its file damaged.
    std::optional<uint64_t> version = ScanFormatVersion(text);
    if (version.has_value() && *version > kFormatVersion) {
      return absl::InvalidArgumentError(NewerFormatMessage(shown, *version));
    }
    std::string where = errors.count() > 0 ? errors.Describe() : "parse error";
    return absl::DataLossError(
        Cat(shown, ":", where, " (not valid replay text format). ", kDamagedAdvice));
  }
  if (replay.ByteSizeLong() == 0) {
    return absl::DataLossError(
        Cat(shown, ": the file has no fields (it is empty or only comments). ", kDamagedAdvice));
  }
  if (absl::Status valid = ValidateReplay(replay, file_name); !valid.ok()) return valid;
  return replay;
}

absl::Status ValidateReplay(const Replay& replay, std::string_view file_name) {
  std::vector<std::string> problems = internal::FindProblems(replay, kFormatVersion);
  if (problems.empty()) return absl::OkStatus();
  std::string shown = ShownFileName(file_name);
  if (replay.format_version() > kFormatVersion) {
    return absl::InvalidArgumentError(NewerFormatMessage(shown, replay.format_version()));
  }
  return absl::InvalidArgumentError(
      Cat(shown, ": not a usable replay: ", JoinProblems(problems),
          ". Fix the file by hand, or delete it and rerun the test to record a new one."));
}

absl::StatusOr<Replay> ReadReplayFile(const std::string& path) {
  absl::StatusOr<std::string> text = internal::ReadSmallFile(path, kReplayFileBytesMax);
  if (!text.ok()) return text.status();
  return ParseReplay(*text, path);
}

absl::StatusOr<Replay> ReadReplayFile(const std::string& path,
                                      std::string_view expected_test_name) {
  absl::StatusOr<Replay> replay = ReadReplayFile(path);
  if (!replay.ok()) return replay;
  if (replay->test_name() != expected_test_name) {
    return absl::InvalidArgumentError(Cat(path, ": this replay is for test ", replay->test_name(),
                                          ", not ", Escape(expected_test_name),
                                          "; move it to the corpus folder of ", replay->test_name(),
                                          " or delete it"));
  }
  return replay;
}

std::string FormatReplay(const Replay& replay) {
  std::string name = CommentSafe(replay.test_name());
  std::string target = CommentSafe(replay.bazel_target());
  std::string out = Cat("# Laplace replay file (format ", replay.format_version(),
                        ") for the property ", name, ".\n");
  out.append("# Recorded when the property failed; the run reproduces exactly from this file.\n");
  out.append("# Inspect: bazel run //replays:laplace -- show <this file>\n");
  out.append("# Rerun:   bazel run //replays:laplace -- replay <this file> [--trace]\n");
  if (!replay.bazel_target().empty()) {
    out.append("#   which runs, from the workspace root:\n");
    // --test_sharding_strategy=disabled: `bazel run` refuses a test with shard_count > 1
    // without it (replays/internal/command.h).
    out.append(Cat("#   LAPLACE_REPLAY=<this file> bazel run --test_sharding_strategy=disabled ",
                   target, " -- --gtest_filter=", name, "\n"));
  }
  out.append("\n");
  google::protobuf::TextFormat::Printer printer;
  // Keep UTF-8 in messages and trace lines readable instead of octal escapes.
  printer.SetUseUtf8StringEscaping(true);
  std::string body;
  LAPLACE_CHECK(printer.PrintToString(replay, &body)) << "TextFormat::Printer failed";
  out.append(body);
  return out;
}

absl::Status WriteReplayFileAtomically(const std::string& path, const Replay& replay) {
  if (absl::Status valid = ValidateReplay(replay, path); !valid.ok()) {
    return absl::InvalidArgumentError(
        Cat("refusing to write an invalid replay: ", std::string(valid.message())));
  }
  return internal::WriteFileAtomically(path, FormatReplay(replay));
}

laplace::Tape TapeFromReplay(const Replay& replay) {
  laplace::Tape tape;
  tape.reserve(static_cast<size_t>(replay.tape_size()));
  for (const TapeEntry& entry : replay.tape()) {
    std::optional<laplace::ChoiceKind> kind = FromProtoChoiceKind(entry.kind());
    LAPLACE_CHECK(kind.has_value())
        << "tape entry of unknown kind " << entry.kind() << "; validate the replay first";
    LAPLACE_CHECK(entry.value() < entry.bound())
        << "tape entry " << entry.value() << "/" << entry.bound() << "; validate the replay first";
    tape.push_back(laplace::Choice{*kind, entry.bound(), entry.value(),
                                   laplace::ParseStreamId(entry.stream())});
  }
  return tape;
}

laplace::StreamNames StreamNamesFromReplay(const Replay& replay) {
  laplace::StreamNames names;
  for (const TapeEntry& entry : replay.tape()) {
    names.emplace(laplace::ParseStreamId(entry.stream()), entry.stream());
  }
  return names;
}

void SetReplayTape(const laplace::Tape& tape, const laplace::StreamNames& names, Replay& replay) {
  replay.clear_tape();
  replay.mutable_tape()->Reserve(static_cast<int>(tape.size()));
  for (const laplace::Choice& choice : tape) {
    LAPLACE_CHECK(choice.bound >= 2) << "a recorded choice has bound >= 2, got " << choice.bound;
    LAPLACE_CHECK(choice.value < choice.bound)
        << "a recorded choice has value < bound, got " << choice.value << "/" << choice.bound;
    TapeEntry* entry = replay.add_tape();
    entry->set_kind(ToProtoChoiceKind(choice.kind));
    entry->set_bound(choice.bound);
    entry->set_value(choice.value);
    if (choice.stream == laplace::kUnnamedStream) continue;
    auto name = names.find(choice.stream);
    entry->set_stream(name != names.end() ? name->second
                                          : laplace::UnknownStreamText(choice.stream));
  }
}

TapeEntryKind ToProtoChoiceKind(laplace::ChoiceKind kind) {
  switch (kind) {
    case laplace::ChoiceKind::kSchedule:
      return SCHEDULE;
    case laplace::ChoiceKind::kTimerTie:
      return TIMER_TIE;
    case laplace::ChoiceKind::kFault:
      return FAULT;
    case laplace::ChoiceKind::kDelay:
      return DELAY;
    case laplace::ChoiceKind::kDraw:
      return DRAW;
  }
  LAPLACE_CHECK(false) << "unknown laplace::ChoiceKind " << static_cast<int>(kind);
  return CHOICE_KIND_UNSPECIFIED;
}

std::optional<laplace::ChoiceKind> FromProtoChoiceKind(TapeEntryKind kind) {
  switch (kind) {
    case SCHEDULE:
      return laplace::ChoiceKind::kSchedule;
    case TIMER_TIE:
      return laplace::ChoiceKind::kTimerTie;
    case FAULT:
      return laplace::ChoiceKind::kFault;
    case DELAY:
      return laplace::ChoiceKind::kDelay;
    case DRAW:
      return laplace::ChoiceKind::kDraw;
    default:
      return std::nullopt;
  }
}

std::string FormatDigest(uint64_t digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kHex[digest & 0xf];
    digest >>= 4;
  }
  return out;
}

std::optional<uint64_t> ParseDigest(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  uint64_t digest = 0;
  for (char c : text) {
    uint64_t nibble;
    if (c >= '0' && c <= '9') {
      nibble = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      nibble = static_cast<uint64_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    digest = (digest << 4) | nibble;
  }
  return digest;
}

}  // namespace laplace::replays
