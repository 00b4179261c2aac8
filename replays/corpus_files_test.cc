// Proves that a corpus folder keeps one file per failure: a simpler file replaces a less simple
// one with the same signature, a less simple one is not written, concurrent writers (shards in
// separate processes) leave one file, and Duplicates() names what `laplace corpus dedupe` removes.
#include "replays/corpus_files.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replays/corpus.h"
#include "replays/replay_file.h"

namespace laplace::replays {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string TestDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "corpus_files_test" / info->name();
  std::filesystem::remove_all(dir);
  return dir.string();
}

// A replay of Bank.Transfers failing with `signature`, whose tape is `values` (schedule choices
// of bound 4), named by `digest`.
Replay Failing(std::string signature, std::vector<uint64_t> values, std::string digest) {
  Replay replay;
  replay.set_format_version(kFormatVersion);
  replay.set_test_name("Bank.Transfers");
  replay.mutable_strategy()->set_name("random-walk");
  replay.set_expect(EXPECT_PASS);
  replay.mutable_failure()->set_signature(std::move(signature));
  replay.mutable_failure()->set_kind("assertion");
  for (uint64_t value : values) {
    TapeEntry* entry = replay.add_tape();
    entry->set_kind(SCHEDULE);
    entry->set_bound(4);
    entry->set_value(value);
  }
  replay.set_trace_digest(std::move(digest));
  return replay;
}

std::vector<std::string> Names(const std::string& directory) {
  std::vector<std::string> names;
  const std::vector<std::string> paths = ListReplayFiles(directory).value();
  for (const std::string& path : paths) {
    names.push_back(std::filesystem::path(path).filename().string());
  }
  return names;
}

TEST(CorpusFiles, ASimplerFailureReplacesTheFileOfItsSignature) {
  const std::string dir = TestDir();
  ASSERT_TRUE(AddToCorpus(dir, Failing("assertion:a.cc:1", {1, 2, 3}, "000000000000000a")).ok());
  absl::StatusOr<CorpusAddition> added =
      AddToCorpus(dir, Failing("assertion:a.cc:1", {0, 2, 0}, "000000000000000b"));
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_TRUE(added->written);
  EXPECT_THAT(added->removed, ElementsAre(dir + "/000000000000000a.textpb"));
  EXPECT_THAT(Names(dir), ElementsAre("000000000000000b.textpb"));
}

TEST(CorpusFiles, AFailureNoSimplerThanTheOneKeptIsNotWritten) {
  const std::string dir = TestDir();
  ASSERT_TRUE(AddToCorpus(dir, Failing("assertion:a.cc:1", {0, 1}, "000000000000000a")).ok());
  // As many non-zero choices; a longer tape.
  absl::StatusOr<CorpusAddition> added =
      AddToCorpus(dir, Failing("assertion:a.cc:1", {0, 0, 3}, "000000000000000b"));
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_FALSE(added->written);
  EXPECT_EQ(added->path, dir + "/000000000000000a.textpb");
  EXPECT_THAT(Names(dir), ElementsAre("000000000000000a.textpb"));
}

TEST(CorpusFiles, DifferentSignaturesKeepOneFileEach) {
  const std::string dir = TestDir();
  ASSERT_TRUE(AddToCorpus(dir, Failing("assertion:a.cc:1", {1}, "000000000000000a")).ok());
  ASSERT_TRUE(AddToCorpus(dir, Failing("deadlock", {1, 1}, "000000000000000b")).ok());
  EXPECT_THAT(Names(dir), ElementsAre("000000000000000a.textpb", "000000000000000b.textpb"));
}

TEST(CorpusFiles, AFileBeingRebuiltIsReplacedEvenByALessSimpleOne) {
  const std::string dir = TestDir();
  ASSERT_TRUE(AddToCorpus(dir, Failing("assertion:a.cc:1", {1}, "000000000000000a")).ok());
  absl::StatusOr<CorpusAddition> added = AddToCorpus(
      dir, Failing("assertion:a.cc:1", {1, 1, 1}, "000000000000000b"), "000000000000000a.textpb");
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_TRUE(added->written);
  EXPECT_THAT(Names(dir), ElementsAre("000000000000000b.textpb"));
}

TEST(CorpusFiles, FourShardsFindingOneBugWriteOneFile) {
  const std::string dir = TestDir();
  // Each shard shrank the bug to a different tape; shard 2's is the simplest.
  const std::vector<std::vector<uint64_t>> tapes = {{1, 2, 3}, {0, 2, 3, 1}, {0, 0, 1}, {3, 3}};
  std::vector<pid_t> shards;
  for (size_t shard = 0; shard < tapes.size(); ++shard) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      std::string digest = "000000000000000" + std::to_string(shard);
      bool ok = AddToCorpus(dir, Failing("assertion:a.cc:1", tapes[shard], digest)).ok();
      _exit(ok ? 0 : 1);
    }
    shards.push_back(pid);
  }
  for (pid_t pid : shards) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_THAT(Names(dir), ElementsAre("0000000000000002.textpb"));
}

TEST(CorpusFiles, DuplicatesAreEveryFileButTheSimplestOfItsSignature) {
  const std::string dir = TestDir();
  std::filesystem::create_directories(dir);
  for (const Replay& replay : {Failing("assertion:a.cc:1", {1, 1}, "000000000000000a"),
                               Failing("assertion:a.cc:1", {1}, "000000000000000b"),
                               Failing("assertion:a.cc:1", {2}, "000000000000000c"),
                               Failing("deadlock", {1, 1, 1}, "000000000000000d")}) {
    // Written directly, as copies from several machines would arrive.
    ASSERT_TRUE(WriteReplayFileAtomically(dir + "/" + ReplayFileName(replay), replay).ok());
  }
  std::vector<std::string> duplicates;
  for (const Duplicate& duplicate : Duplicates(ReadCorpusFolder(dir))) {
    EXPECT_EQ(duplicate.kept, dir + "/000000000000000b.textpb");
    duplicates.push_back(std::filesystem::path(duplicate.entry.path).filename().string());
  }
  EXPECT_THAT(duplicates, ElementsAre("000000000000000a.textpb", "000000000000000c.textpb"));
  EXPECT_THAT(Duplicates({}), IsEmpty());
}

// The trial's footgun: a rebuilt file (it fits the new code, but its tape is longer) next to the
// diverged original it replaced. Simplicity alone would keep the stale original.
TEST(CorpusFiles, ARebuildSupersedesItsOriginalHoweverSimpleTheOriginalIs) {
  const std::string dir = TestDir();
  std::filesystem::create_directories(dir);
  const Replay original = Failing("invariant:ids-unique", {1}, "c36268edc3f61576");
  Replay rebuilt = Failing("invariant:ids-unique", {0, 1, 1, 0}, "aa15cdc305934160");
  rebuilt.mutable_rebuilt()->set_from_digest("c36268edc3f61576");
  rebuilt.mutable_rebuilt()->set_divergence("choice #1 at t=0, step 1");
  for (const Replay& replay : {original, rebuilt}) {
    ASSERT_TRUE(WriteReplayFileAtomically(dir + "/" + ReplayFileName(replay), replay).ok());
  }
  const std::vector<Duplicate> duplicates = Duplicates(ReadCorpusFolder(dir));
  ASSERT_EQ(duplicates.size(), 1u);
  EXPECT_EQ(duplicates[0].entry.path, dir + "/c36268edc3f61576.textpb");
  EXPECT_EQ(duplicates[0].kept, dir + "/aa15cdc305934160.textpb");
  EXPECT_TRUE(duplicates[0].superseded);
}

}  // namespace
}  // namespace laplace::replays
