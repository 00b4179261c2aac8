// Proves that every kind of damaged, foreign or hand-broken replay text gives a clear error that
// names the file, the place and the problem, with the documented code, and never a crash.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replays/replay_file.h"

namespace laplace::replays {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kFile[] = "pkg/replays/Bank.Transfers/0123456789abcdef.textpb";

// A valid file: a header comment, then fields in the order FormatReplay writes them.
std::string ValidText(std::string_view extra = "") {
  return "# a replay\n"
         "format_version: 2\n"
         "test_name: \"Bank.Transfers\"\n"
         "bazel_target: \"//examples:bank_test\"\n"
         "strategy {\n  name: \"pct\"\n  parameters {\n    name: \"depth\"\n    value: 3\n  }\n}\n"
         "seed: 42\n"
         "tape {\n  kind: SCHEDULE\n  bound: 3\n  value: 1\n}\n"
         "tape {\n  kind: FAULT\n  bound: 100\n}\n"
         "tape {\n  kind: DRAW\n  bound: 10\n  value: 9\n}\n"
         "expect: EXPECT_FAILURE\n"
         "failure {\n  signature: \"invariant:total\"\n  virtual_time_ns: 5000000\n}\n"
         "trace_digest: \"0123456789abcdef\"\n"
         "trace_tail: \"t=5ms client-2 resumed after sleep\"\n" +
         std::string(extra);
}

// Replaces the first `from` in ValidText() by `to`.
std::string Edited(std::string_view from, std::string_view to) {
  std::string text = ValidText();
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

absl::Status Parse(std::string_view text) { return ParseReplay(text, kFile).status(); }
std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(ParseReplayDamage, TheValidTextUsedBelowParses) { EXPECT_TRUE(Parse(ValidText()).ok()); }

TEST(ParseReplayDamage, ACausalChainParsesAndAFileWithoutOneStillDoes) {
  absl::StatusOr<Replay> with = ParseReplay(
      ValidText("causal_chain: \"#3 t=1ms backup crashed\"\ncausal_ancestors: 7\n"), kFile);
  ASSERT_TRUE(with.ok()) << with.status();
  ASSERT_EQ(with->causal_chain_size(), 1);
  EXPECT_EQ(with->causal_chain(0), "#3 t=1ms backup crashed");
  EXPECT_EQ(with->causal_ancestors(), 7u);
  absl::StatusOr<Replay> without = ParseReplay(ValidText(), kFile);
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(without->causal_chain_size(), 0);
  const absl::Status broken = Parse(ValidText("causal_chain: \"#3 t=1ms\\nbackup crashed\"\n"));
  EXPECT_EQ(broken.code(), absl::StatusCode::kInvalidArgument) << broken;
  EXPECT_THAT(Message(broken), HasSubstr("causal_chain #0 contains a line break"));
}

TEST(ParseReplayDamage, AnEmptyFileIsDataLoss) {
  for (std::string_view text : {"", "\n\n  \t\n", "# only a comment\n"}) {
    absl::Status status = Parse(text);
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
    EXPECT_THAT(Message(status), AllOf(StartsWith(kFile), HasSubstr("has no fields")));
  }
}

TEST(ParseReplayDamage, AFileCutShortAnywhereBeforeTheDigestIsAnErrorNamingTheFile) {
  std::string text = ValidText();
  size_t digest_end = text.find("\"\ntrace_tail");
  for (size_t length = 0; length < digest_end; ++length) {
    absl::Status status = Parse(std::string_view(text).substr(0, length));
    ASSERT_FALSE(status.ok()) << "cut at " << length << ": " << text.substr(0, length);
    EXPECT_TRUE(status.code() == absl::StatusCode::kDataLoss ||
                status.code() == absl::StatusCode::kInvalidArgument)
        << status;
    EXPECT_THAT(Message(status), StartsWith(kFile));
  }
}

TEST(ParseReplayDamage, ACutInsideATokenIsDataLossWithLineAndColumn) {
  std::string text = ValidText();
  absl::Status status = Parse(text.substr(0, text.find("bound: 100") + 3));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(status),
              AllOf(StartsWith(std::string(kFile) + ":"), HasSubstr("not valid replay text format"),
                    HasSubstr("restore it from version control")));
}

TEST(ParseReplayDamage, AFileCutBeforeTheDigestSaysItMayHaveBeenCutShort) {
  std::string text = ValidText();
  absl::Status status = Parse(text.substr(0, text.find("expect:")));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), HasSubstr("trace_digest is missing"));
  EXPECT_THAT(Message(status), HasSubstr("cut short"));
}

TEST(ParseReplayDamage, AValueOfTheWrongTypeIsDataLossNamingTheLine) {
  absl::Status seed = Parse(Edited("seed: 42", "seed: \"forty-two\""));
  EXPECT_EQ(seed.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(seed), StartsWith(std::string(kFile) + ":12:"));
  EXPECT_THAT(Message(seed), HasSubstr("integer"));
  EXPECT_EQ(Parse(Edited("test_name: \"Bank.Transfers\"", "test_name: 12")).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Parse(Edited("seed: 42", "seed: -1")).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Parse(Edited("seed: 42", "seed: 18446744073709551616")).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Parse(Edited("seed: 42", "seed { }")).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Parse(Edited("seed: 42", "strategy: 3")).code(), absl::StatusCode::kDataLoss);
}

TEST(ParseReplayDamage, AnUnknownFieldIsDataLossNamingTheField) {
  absl::Status status = Parse(ValidText("colour: \"blue\"\n"));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(status), AllOf(StartsWith(std::string(kFile) + ":34:"), HasSubstr("colour")));
  EXPECT_EQ(Parse(Edited("bound: 3", "bound: 3 weight: 2")).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Parse(ValidText("[laplace.ext]: 1\n")).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Parse(ValidText("seed: 43\n")).code(), absl::StatusCode::kDataLoss)
      << "a field given twice";
}

TEST(ParseReplayDamage, AFormatOneFileIsRefusedWithAMessageSayingToReRecordIt) {
  absl::Status old = Parse(Edited("format_version: 2", "format_version: 1"));
  EXPECT_EQ(old.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(old), AllOf(HasSubstr("format 1 was recorded before choices had streams"),
                                  HasSubstr("re-record it"), HasSubstr("LAPLACE_RECORD=1")));
}

TEST(ParseReplayDamage, ANewerFormatVersionSaysToUpdateLaplace) {
  constexpr char kNewer[] =
      "written by a newer Laplace (format 3, this build reads up to 2); update Laplace";
  absl::Status plain = Parse(Edited("format_version: 2", "format_version: 3"));
  EXPECT_EQ(plain.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(plain), std::string(kFile) + ": " + kNewer);
  // A newer file usually has fields this build has never heard of.
  std::string with_new_fields = Edited("format_version: 2", "format_version: 3") +
                                "tape { kind: SWIZZLE bound: 2 }\nnew_field { x: 1 }\n";
  absl::Status newer = Parse(with_new_fields);
  EXPECT_EQ(newer.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(newer), HasSubstr(kNewer));
  // A format_version nested in a message is not the file's version.
  absl::Status nested = Parse(ValidText("failure { format_version: 7 }\n"));
  EXPECT_EQ(nested.code(), absl::StatusCode::kDataLoss);
}

TEST(ParseReplayDamage, AMissingFormatVersionIsInvalid) {
  absl::Status status = Parse(Edited("format_version: 2\n", ""));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), HasSubstr("format_version is missing"));
}

TEST(ParseReplayDamage, ATapeValueNotBelowItsBoundIsInvalidAndNamesTheEntry) {
  absl::Status status = Parse(Edited("bound: 3\n  value: 1", "bound: 3\n  value: 3"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), AllOf(StartsWith(kFile), HasSubstr("tape entry #0 (SCHEDULE 3/3): "),
                                     HasSubstr("value 3 is not below its bound 3")));
}

TEST(ParseReplayDamage, ATapeEntryWithoutAUsableBoundOrKindIsInvalid) {
  EXPECT_THAT(Message(Parse(Edited("bound: 100", "bound: 1"))),
              HasSubstr("tape entry #1 (FAULT 0/1): bound 1 is below 2"));
  EXPECT_THAT(Message(Parse(Edited("kind: FAULT\n", ""))),
              HasSubstr("tape entry #1 (CHOICE_KIND_UNSPECIFIED 0/100): kind is missing"));
  // Proto3 enums are open, so the parser takes a number that names no kind.
  absl::Status numeric = Parse(Edited("kind: FAULT", "kind: 17"));
  EXPECT_EQ(numeric.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(numeric), HasSubstr("tape entry #1 (kind 17 0/100): kind 17 is unknown"));
}

TEST(ParseReplayDamage, AnUnknownKindNameIsDataLossNamingTheValue) {
  absl::Status status = Parse(Edited("kind: FAULT", "kind: EARTHQUAKE"));
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Message(status), HasSubstr("EARTHQUAKE"));
}

TEST(ParseReplayDamage, ManyBadTapeEntriesAreSummarized) {
  std::string text = ValidText();
  for (int i = 0; i < 50; ++i) text += "tape { kind: DRAW bound: 2 value: 5 }\n";
  absl::Status status = ParseReplay(text, kFile).status();
  EXPECT_THAT(Message(status),
              AllOf(HasSubstr("tape entry #3 "), HasSubstr("tape entry #7 "),
                    Not(HasSubstr("tape entry #8 ")), HasSubstr("and 45 more bad tape entries")));
}

TEST(ParseReplayDamage, MalformedNamesAndDigestsAreInvalid) {
  struct Case {
    std::string_view from, to, problem;
  };
  const Case kCases[] = {
      {"\"Bank.Transfers\"", "\"\"", "test_name is missing"},
      {"\"Bank.Transfers\"", "\"BankTransfers\"", "is not of the form \"Suite.Test\""},
      {"\"Bank.Transfers\"", "\"Bank.Trans.fers\"", "is not of the form"},
      {"\"Bank.Transfers\"", "\"../Bank.x\"", "is not of the form"},
      {"\"//examples:bank_test\"", "\"rm -rf /\"", "is not a Bazel label"},
      {"name: \"pct\"", "name: \"\"", "strategy.name is missing"},
      {"name: \"depth\"", "name: \"\"", "strategy parameter #0"},
      {"\"0123456789abcdef\"", "\"0123456789ABCDEF\"", "is not 16 lowercase hex digits"},
      {"\"0123456789abcdef\"", "\"0123\"", "is not 16 lowercase hex digits"},
      {"\"0123456789abcdef\"", "\"\"", "trace_digest is missing"},
      {"signature: \"invariant:total\"", "", "failure.signature is missing"},
      {"virtual_time_ns: 5000000", "virtual_time_ns: -1", "virtual time starts at 0"},
      {"resumed after sleep", "resumed\\nafter sleep", "trace_tail #0 contains a line break"},
  };
  for (const Case& c : kCases) {
    absl::Status status = Parse(Edited(c.from, c.to));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.to << ": " << status;
    EXPECT_THAT(Message(status), AllOf(StartsWith(kFile), HasSubstr(c.problem))) << c.to;
  }
}

TEST(ParseReplayDamage, BinaryGarbageIsDataLossAndPrintedSafely) {
  std::string garbage;
  for (int i = 0; i < 256; ++i) garbage.push_back(static_cast<char>((i * 167 + 13) & 0xff));
  for (std::string_view text : {std::string_view(garbage), std::string_view("\0\0\0", 3),
                                std::string_view("\x89PNG\r\n\x1a\n")}) {
    absl::Status status = Parse(text);
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
    for (char c : Message(status)) {
      EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "unprintable byte " << static_cast<int>(c);
    }
  }
}

TEST(ParseReplayDamage, AnEmptyFileNameIsShownAsAPlaceholder) {
  EXPECT_THAT(Message(ParseReplay("", "").status()), StartsWith("<replay>: "));
}

}  // namespace
}  // namespace laplace::replays
