// Proves that replay files round-trip exactly, are written atomically, and that every kind of
// damaged or foreign file gives a clear error naming the file, never a crash.
#include "replays/replay_file.h"

#include <fcntl.h>
#include <google/protobuf/util/message_differencer.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/choice.h"

namespace laplace::replays {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kFile[] = "pkg/replays/Bank.Transfers/00c0ffee12345678.textpb";

Replay FullReplay() {
  Replay replay;
  replay.set_format_version(kFormatVersion);
  replay.set_test_name("Bank.Transfers");
  replay.set_bazel_target("//examples:bank_test");
  replay.mutable_strategy()->set_name("pct");
  Parameter* depth = replay.mutable_strategy()->add_parameters();
  depth->set_name("depth");
  depth->set_value(3);
  replay.set_seed(0xfedcba9876543210ULL);
  SetReplayTape({{laplace::ChoiceKind::kSchedule, 3, 1},
                 {laplace::ChoiceKind::kTimerTie, 2, 0},
                 {laplace::ChoiceKind::kFault, 100, 99},
                 {laplace::ChoiceKind::kDelay, 1000, 7},
                 {laplace::ChoiceKind::kDraw, UINT64_MAX, UINT64_MAX - 1}},
                replay);
  replay.mutable_arguments()->set_rapidcheck_reproduce("AAECAwQF+/8=");
  replay.mutable_arguments()->add_rendering("int amount = 3");
  replay.mutable_arguments()->add_rendering("std::string note = \"caf\xc3\xa9 \\\"quoted\\\"\"");
  replay.set_expect(EXPECT_FAILURE);
  FailureRecord* failure = replay.mutable_failure();
  failure->set_signature("invariant:total-balance-preserved");
  failure->set_kind("invariant");
  failure->set_message("total was 99, expected 100\nafter 2 transfers");
  failure->set_virtual_time_ns(5'000'000);
  failure->set_step(17);
  replay.set_trace_digest("00c0ffee12345678");
  replay.add_trace_tail("t=5ms client-2 resumed after sleep");
  replay.mutable_shrinking()->set_original_length(120);
  replay.mutable_shrinking()->set_shrunk_length(5);
  replay.mutable_shrinking()->set_candidates_tried(311);
  replay.mutable_environment()->set_compiler("g++ 12.2.0");
  return replay;
}

std::string FullText() { return FormatReplay(FullReplay()); }

// A minimal valid file with `extra` appended.
std::string MinimalText(std::string_view extra = "") {
  return "format_version: 2\ntest_name: \"Bank.Transfers\"\nstrategy { name: \"random-walk\" }\n"
         "trace_digest: \"0123456789abcdef\"\n" +
         std::string(extra);
}

bool Equal(const Replay& a, const Replay& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// A fresh, empty directory for one test.
std::string TestDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "replay_file_test" / info->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void WriteRaw(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(ParseReplay, ReadsBackWhatFormatReplayWrote) {
  absl::StatusOr<Replay> parsed = ParseReplay(FullText(), kFile);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(Equal(*parsed, FullReplay())) << parsed->DebugString();
}

TEST(ParseReplay, AcceptsAMinimalFile) {
  absl::StatusOr<Replay> parsed = ParseReplay(MinimalText(), kFile);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->test_name(), "Bank.Transfers");
}

TEST(FormatReplay, StartsWithACommentSayingWhatTheFileIsAndHowToRerunIt) {
  std::string text = FullText();
  EXPECT_EQ(text.rfind("# Laplace replay file (format 2)", 0), 0u) << text;
  EXPECT_THAT(text, HasSubstr("laplace -- replay <this file>"));
  EXPECT_THAT(text, HasSubstr("bazel run --test_sharding_strategy=disabled //examples:bank_test "
                              "-- --gtest_filter=Bank.Transfers"));
}

TEST(FormatReplay, IsDeterministicAndWritesFieldsInSchemaOrder) {
  std::string text = FullText();
  EXPECT_EQ(text, FullText());
  EXPECT_LT(text.find("format_version: 2"), text.find("test_name:"));
  EXPECT_LT(text.find("tape {"), text.find("trace_digest:"));
  EXPECT_THAT(text, HasSubstr("caf\xc3\xa9")) << "UTF-8 stays readable";
}

TEST(FormatReplay, KeepsAHostileTestNameInsideTheComment) {
  Replay replay = FullReplay();
  replay.set_test_name("Bank.Transfers\nformat_version: 9");
  std::string text = FormatReplay(replay);
  // The name is escaped in the comment, so the only parse problem is the name itself.
  absl::StatusOr<Replay> parsed = ParseReplay(text, kFile);
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << parsed.status();
  EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("test_name"));
}

TEST(ReplayFile, WriteThenReadGivesAnEqualMessage) {
  std::string path = TestDir() + "/a/b/00c0ffee12345678.textpb";
  ASSERT_TRUE(WriteReplayFileAtomically(path, FullReplay()).ok());
  absl::StatusOr<Replay> read = ReadReplayFile(path, "Bank.Transfers");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(Equal(*read, FullReplay()));
}

TEST(ReplayFile, TheAtomicWriterLeavesNoTemporaryFilesBehind) {
  std::string dir = TestDir();
  std::string path = dir + "/00c0ffee12345678.textpb";
  ASSERT_TRUE(WriteReplayFileAtomically(path, FullReplay()).ok());
  Replay changed = FullReplay();
  changed.set_seed(1);
  ASSERT_TRUE(WriteReplayFileAtomically(path, changed).ok());
  EXPECT_EQ(FilesIn(dir), std::vector<std::string>{"00c0ffee12345678.textpb"});
  EXPECT_EQ(ReadReplayFile(path)->seed(), 1u) << "the second write replaced the first";
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::others_read);
}

TEST(ReplayFile, AWriteRemovesTheTemporaryFilesAKilledWriterLeftButNotALiveOnes) {
  std::string dir = TestDir();
  std::filesystem::create_directories(dir);
  // A killed writer's leftover (nobody holds its lock), and one a live writer holds locked.
  const std::string abandoned = dir + "/.00c0ffee12345678.textpb.tmp-a1b2c3";
  const std::string live = dir + "/.00c0ffee12345678.textpb.tmp-d4e5f6";
  for (const std::string& name : {abandoned, live}) {
    int fd = open(name.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    close(fd);
  }
  int held = open(live.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(held, 0);
  // flock locks belong to the open file description: a second one (as another process would
  // have) conflicts with it.
  ASSERT_EQ(flock(held, LOCK_EX), 0);
  ASSERT_TRUE(WriteReplayFileAtomically(dir + "/00c0ffee12345678.textpb", FullReplay()).ok());
  EXPECT_FALSE(std::filesystem::exists(abandoned)) << "the leftover was not removed";
  EXPECT_TRUE(std::filesystem::exists(live)) << "a file being written was removed";
  close(held);
}

TEST(ReplayFile, AFailedWriteRemovesItsTemporaryFileAndKeepsTheTarget) {
  std::string dir = TestDir();
  // A directory where the file should go makes the final rename fail.
  std::string path = dir + "/00c0ffee12345678.textpb";
  std::filesystem::create_directories(path + "/occupied");
  absl::Status status = WriteReplayFileAtomically(path, FullReplay());
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr(path));
  EXPECT_EQ(FilesIn(dir), std::vector<std::string>{"00c0ffee12345678.textpb"});
  EXPECT_TRUE(std::filesystem::is_directory(path));
}

TEST(ReplayFile, TheWriterRefusesAnInvalidReplayAndWritesNothing) {
  std::string dir = TestDir();
  Replay replay = FullReplay();
  replay.mutable_tape(0)->set_value(3);
  absl::Status status = WriteReplayFileAtomically(dir + "/x.textpb", replay);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("tape entry #0"));
  EXPECT_TRUE(FilesIn(dir).empty());
}

TEST(ReplayFile, AMissingFileIsNotFoundAndNamesThePath) {
  std::string path = TestDir() + "/nothing-here.textpb";
  absl::StatusOr<Replay> read = ReadReplayFile(path);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path));
}

TEST(ReplayFile, ADirectoryIsNotAReplayFile) {
  std::string dir = TestDir();
  absl::StatusOr<Replay> read = ReadReplayFile(dir);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(dir));
}

TEST(ReplayFile, AFileForAnotherTestSaysWhichTestItIsFor) {
  std::string path = TestDir() + "/00c0ffee12345678.textpb";
  ASSERT_TRUE(WriteReplayFileAtomically(path, FullReplay()).ok());
  absl::StatusOr<Replay> read = ReadReplayFile(path, "Cache.Evicts");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(read.status().message()),
              HasSubstr("this replay is for test Bank.Transfers, not Cache.Evicts"));
  EXPECT_THAT(std::string(read.status().message()), HasSubstr(path));
}

TEST(ReplayFile, ReadsFilesWrittenOnDiskWithDamage) {
  std::string dir = TestDir();
  WriteRaw(dir + "/empty.textpb", "");
  WriteRaw(dir + "/garbage.textpb", std::string("\x00\xff\x13\x37 {{{ \x80", 11));
  EXPECT_EQ(ReadReplayFile(dir + "/empty.textpb").status().code(), absl::StatusCode::kDataLoss);
  absl::Status garbage = ReadReplayFile(dir + "/garbage.textpb").status();
  EXPECT_EQ(garbage.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(garbage.message()), HasSubstr(dir + "/garbage.textpb:1:"));
}

// The checked-in examples, which also seed the fuzzer, with the code each must give.
TEST(ReplayFile, EveryCheckedInExampleGivesItsDocumentedResult) {
  const std::pair<const char*, absl::StatusCode> kExamples[] = {
      {"ok_full.textpb", absl::StatusCode::kOk},
      {"ok_minimal.textpb", absl::StatusCode::kOk},
      {"ok_parameterized.textpb", absl::StatusCode::kOk},
      {"bad_comment_only.textpb", absl::StatusCode::kDataLoss},
      {"bad_digest.textpb", absl::StatusCode::kInvalidArgument},
      {"bad_empty.textpb", absl::StatusCode::kDataLoss},
      {"bad_garbage.bin", absl::StatusCode::kDataLoss},
      {"bad_newer_version.textpb", absl::StatusCode::kInvalidArgument},
      {"bad_nul_bytes.textpb", absl::StatusCode::kDataLoss},
      {"bad_tape_kind.textpb", absl::StatusCode::kDataLoss},
      {"bad_tape_kind_number.textpb", absl::StatusCode::kInvalidArgument},
      {"bad_tape_value.textpb", absl::StatusCode::kInvalidArgument},
      {"bad_test_name.textpb", absl::StatusCode::kInvalidArgument},
      {"bad_truncated.textpb", absl::StatusCode::kDataLoss},
      {"bad_unbalanced.textpb", absl::StatusCode::kDataLoss},
      {"bad_unknown_field.textpb", absl::StatusCode::kDataLoss},
      {"bad_wrong_type.textpb", absl::StatusCode::kDataLoss},
  };
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator("replays/testdata")) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, std::size(kExamples)) << "a new example needs a line here";
  for (const auto& [name, code] : kExamples) {
    std::string path = std::string("replays/testdata/") + name;
    absl::Status status = ReadReplayFile(path).status();
    EXPECT_EQ(status.code(), code) << status;
    if (!status.ok()) {
      EXPECT_THAT(std::string(status.message()), HasSubstr(path));
    }
  }
}

TEST(ReplayFile, TheFullExampleIsExactlyWhatFormatReplayWrites) {
  std::ifstream in("replays/testdata/ok_full.textpb", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  absl::StatusOr<Replay> replay = ParseReplay(text, "ok_full.textpb");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(FormatReplay(*replay), text);
}

TEST(Conversions, ATapeRoundTripsThroughTheFileForEveryKind) {
  laplace::Tape tape = {{laplace::ChoiceKind::kSchedule, 2, 1},
                        {laplace::ChoiceKind::kTimerTie, 5, 4},
                        {laplace::ChoiceKind::kFault, 100, 0},
                        {laplace::ChoiceKind::kDelay, 7, 3},
                        {laplace::ChoiceKind::kDraw, UINT64_MAX, UINT64_MAX - 1}};
  Replay replay;
  SetReplayTape(tape, replay);
  EXPECT_EQ(replay.tape(0).kind(), SCHEDULE);
  EXPECT_EQ(replay.tape(4).kind(), DRAW);
  EXPECT_EQ(TapeFromReplay(replay), tape);
  for (int kind = 0; kind < laplace::kChoiceKindCount; ++kind) {
    auto loop_kind = static_cast<laplace::ChoiceKind>(kind);
    EXPECT_EQ(FromProtoChoiceKind(ToProtoChoiceKind(loop_kind)), loop_kind);
  }
  EXPECT_EQ(FromProtoChoiceKind(CHOICE_KIND_UNSPECIFIED), std::nullopt);
  EXPECT_EQ(FromProtoChoiceKind(static_cast<TapeEntryKind>(99)), std::nullopt);
}

TEST(Conversions, SettingATapeReplacesTheOldOne) {
  Replay replay = FullReplay();
  SetReplayTape({{laplace::ChoiceKind::kDraw, 2, 1}}, replay);
  ASSERT_EQ(replay.tape_size(), 1);
}

TEST(Conversions, ADigestIsSixteenLowercaseHexDigitsBothWays) {
  EXPECT_EQ(FormatDigest(0), "0000000000000000");
  EXPECT_EQ(FormatDigest(0x00c0ffee12345678ULL), "00c0ffee12345678");
  EXPECT_EQ(FormatDigest(UINT64_MAX), "ffffffffffffffff");
  for (uint64_t digest : {0ULL, 1ULL, 0xdeadbeefULL, 0x8000000000000000ULL, ~0ULL}) {
    EXPECT_EQ(ParseDigest(FormatDigest(digest)), digest);
  }
  EXPECT_EQ(ParseDigest("00C0FFEE12345678"), std::nullopt);
  EXPECT_EQ(ParseDigest("00c0ffee1234567"), std::nullopt);
  EXPECT_EQ(ParseDigest("00c0ffee123456789"), std::nullopt);
  EXPECT_EQ(ParseDigest("00c0ffee1234567g"), std::nullopt);
  EXPECT_EQ(ParseDigest(""), std::nullopt);
}

TEST(ConversionsDeathTest, ATapeWithAnInvalidEntryIsAProgrammerError) {
  Replay replay;
  TapeEntry* entry = replay.add_tape();
  entry->set_kind(SCHEDULE);
  entry->set_bound(3);
  entry->set_value(3);
  EXPECT_DEATH(TapeFromReplay(replay), "validate the replay first");
  EXPECT_DEATH(SetReplayTape({{laplace::ChoiceKind::kDraw, 1, 0}}, replay), "bound >= 2");
}

}  // namespace
}  // namespace laplace::replays
