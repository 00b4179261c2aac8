// Proves the disk keeps synced writes, loses unsynced ones, injects its faults, and replays.
#include "sim/disk.h"

#include <string>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/internal/replay_testing.h"

namespace laplace::sim {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

// Runs `task` to completion on `loop` and gives back its value.
template <typename T>
T RunTask(Loop& loop, Task<T> task) {
  TaskHandle<T> handle = loop.Spawn(std::move(task), "disk-op");
  RunResult run = loop.RunUntilComplete(handle);
  EXPECT_TRUE(run.ok()) << run.ToString();
  return *handle.result();
}

absl::Status RunStatus(Loop& loop, Task<absl::Status> task) {
  TaskHandle<absl::Status> handle = loop.Spawn(std::move(task), "disk-op");
  RunResult run = loop.RunUntilComplete(handle);
  EXPECT_TRUE(run.ok()) << run.ToString();
  return handle.result();
}

absl::StatusOr<std::string> RunRead(Loop& loop, Disk& disk, std::string file, uint64_t offset,
                                    uint64_t length) {
  TaskHandle<absl::StatusOr<std::string>> handle =
      loop.Spawn(disk.Read(std::move(file), offset, length), "read");
  RunResult run = loop.RunUntilComplete(handle);
  EXPECT_TRUE(run.ok()) << run.ToString();
  return handle.result();
}

TEST(Disk, ReadsBackWhatWasWritten) {
  Loop loop({.seed = 1});
  Disk disk(loop, "n1");
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "hello world")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 6, "there")).ok());
  EXPECT_EQ(*RunRead(loop, disk, "f", 0, 100), "hello there");
  EXPECT_EQ(*RunRead(loop, disk, "f", 6, 3), "the");
  EXPECT_EQ(RunTask(loop, disk.Append("f", "!")).value(), 11u);
  EXPECT_EQ(disk.Size("f"), 12u);
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 14, "gap")).ok());
  EXPECT_EQ(*RunRead(loop, disk, "f", 11, 100), std::string("!\0\0gap", 6));
}

TEST(Disk, ReadsPastTheEndAreShortAndMissingFilesAreNotFound) {
  Loop loop({.seed = 2});
  Disk disk(loop, "n1");
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "abc")).ok());
  EXPECT_EQ(*RunRead(loop, disk, "f", 1, 100), "bc");
  EXPECT_EQ(*RunRead(loop, disk, "f", 3, 100), "");
  EXPECT_TRUE(absl::IsNotFound(RunRead(loop, disk, "nope", 0, 1).status()));
  EXPECT_TRUE(absl::IsNotFound(RunStatus(loop, disk.Fsync("nope"))));
}

TEST(Disk, CrashLosesUnsyncedWritesAndKeepsSyncedOnes) {
  Loop loop({.seed = 3});
  Disk disk(loop, "n1");
  ASSERT_TRUE(RunStatus(loop, disk.Write("log", 0, "one;")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("log")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Write("log", 4, "two;")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Write("tmp", 0, "scratch")).ok());
  EXPECT_EQ(disk.Contents("log"), "one;two;");
  EXPECT_EQ(disk.DurableContents("log"), "one;");
  disk.Crash();
  EXPECT_EQ(disk.Contents("log"), "one;");
  EXPECT_FALSE(disk.Exists("tmp"));  // created and never synced
  EXPECT_EQ(disk.stats().lost_writes, 2u);
}

Task<> WriteDuringFsync(Loop& loop, Disk& disk) {
  co_await loop.Sleep(microseconds(1));  // after the fsync has started
  (void)co_await disk.Write("f", 1, "late");
}

TEST(Disk, FsyncCoversOnlyWritesCompletedBeforeIt) {
  Loop loop({.seed = 4});
  Disk disk(loop, "n1",
            {.write_latency_min = microseconds(10),
             .write_latency_max = microseconds(10),
             .fsync_latency_min = milliseconds(1),
             .fsync_latency_max = milliseconds(1)});
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "A")).ok());
  loop.Spawn(WriteDuringFsync(loop, disk), "late-writer");
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("f")).ok());
  EXPECT_EQ(disk.Contents("f"), "Alate");
  disk.Crash();
  EXPECT_EQ(disk.Contents("f"), "A");
}

TEST(Disk, OperationsTakeVirtualTimeWithinTheirLatencyBounds) {
  Loop loop({.seed = 5});
  Disk disk(loop, "n1",
            {.write_latency_min = microseconds(10),
             .write_latency_max = microseconds(20),
             .fsync_latency_min = milliseconds(1),
             .fsync_latency_max = milliseconds(2)});
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "x")).ok());
  EXPECT_GE(loop.Now(), Time(microseconds(10)));
  EXPECT_LE(loop.Now(), Time(microseconds(20)));
  const Time before = loop.Now();
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("f")).ok());
  EXPECT_GE(loop.Now() - before, milliseconds(1));
  EXPECT_LE(loop.Now() - before, milliseconds(2));
}

TEST(Disk, AWriteCutShortByACrashNeverHappens) {
  Loop loop({.seed = 6});
  Disk disk(loop, "n1",
            {.write_latency_min = milliseconds(5), .write_latency_max = milliseconds(5)});
  TaskHandle<absl::Status> write = loop.Spawn(disk.Write("f", 0, "x"), "write");
  ASSERT_TRUE(loop.RunFor(milliseconds(1)).ok());
  write.Cancel(absl::UnavailableError("node crashed"));
  disk.Crash();
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  EXPECT_FALSE(disk.Exists("f"));
}

// Scenario: synced records, then unsynced ones torn by a crash.
void TornRun(Loop& loop) {
  Disk disk(loop, "n1", {.sector_size = 8, .torn_write_ratio = {1, 2}});
  ASSERT_TRUE(RunStatus(loop, disk.Write("log", 0, "durable-")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("log")).ok());
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(RunTask(loop, disk.Append("log", "unsynced-record-" + std::to_string(i))).ok());
  }
  disk.Crash();
  EXPECT_GT(disk.stats().torn_writes, 0u);
  EXPECT_EQ(disk.stats().torn_writes + disk.stats().lost_writes, 6u);
  EXPECT_EQ(loop.fault_counts().at("disk.torn_write"), disk.stats().torn_writes);
  std::string after = *disk.Contents("log");
  EXPECT_EQ(after.substr(0, 8), "durable-");
  EXPECT_GT(after.size(), 8u);  // a torn prefix reached the durable view
}

TEST(Disk, ACrashTearsUnsyncedWritesWhenAsked) {
  Loop loop({.seed = 7});
  TornRun(loop);
}

TEST(Disk, TornWritesReplayIdentically) { testing::ExpectReplaysIdentically(7, TornRun); }

TEST(Disk, ATornWriteEndsInsideASector) {
  Loop loop({.seed = 8});
  Disk disk(loop, "n1", {.sector_size = 4, .torn_write_ratio = {1, 1}});
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "AAAAAAAA")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("f")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "BBBBBBBB")).ok());
  disk.Crash();
  const std::string after = *disk.Contents("f");
  ASSERT_EQ(after.size(), 8u);
  const size_t kept = after.find('A');
  EXPECT_GT(kept, 0u);  // some new bytes persisted...
  EXPECT_LT(kept, 8u);  // ...but not all of them
  EXPECT_EQ(after, std::string(kept, 'B') + std::string(8 - kept, 'A'));
}

// Scenario: crashes corrupt durable sectors; reads detect it.
void CorruptingRun(Loop& loop) {
  Disk disk(loop, "n1", {.sector_size = 4, .corruption_ratio = {1, 2}});
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, std::string(64, 'x'))).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("f")).ok());
  for (int i = 0; i < 6; ++i) disk.Crash();
  EXPECT_GT(disk.stats().corrupted_sectors, 0u);
  int data_loss = 0;
  for (uint64_t sector = 0; sector < 16; ++sector) {
    absl::StatusOr<std::string> read = RunRead(loop, disk, "f", sector * 4, 4);
    if (absl::IsDataLoss(read.status())) {
      ++data_loss;
    } else {
      EXPECT_EQ(*read, "xxxx");
    }
  }
  EXPECT_GT(data_loss, 0);
}

TEST(Disk, CorruptionIsDetectedAsDataLoss) {
  Loop loop({.seed = 9});
  CorruptingRun(loop);
}

TEST(Disk, CorruptionReplaysIdentically) { testing::ExpectReplaysIdentically(9, CorruptingRun); }

TEST(Disk, RewritingACorruptSectorWholeHealsIt) {
  Loop loop({.seed = 10});
  Disk disk(loop, "n1", {.sector_size = 4, .corruption_ratio = {1, 1}});
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "abcd")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("f")).ok());
  disk.Crash();
  EXPECT_TRUE(absl::IsDataLoss(RunRead(loop, disk, "f", 0, 4).status()));
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "ABCD")).ok());
  EXPECT_EQ(*RunRead(loop, disk, "f", 0, 4), "ABCD");
}

// Scenario: a third of reads fail; retrying succeeds.
void FlakyReads(Loop& loop) {
  Disk disk(loop, "n1", {.read_error_ratio = {1, 3}});
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "data")).ok());
  int failed = 0;
  for (int i = 0; i < 30; ++i) {
    absl::StatusOr<std::string> read = RunRead(loop, disk, "f", 0, 4);
    if (read.ok()) {
      EXPECT_EQ(*read, "data");
    } else {
      EXPECT_TRUE(absl::IsUnavailable(read.status())) << read.status();
      ++failed;
    }
  }
  EXPECT_GT(failed, 0);
  EXPECT_LT(failed, 30);
  EXPECT_EQ(disk.stats().read_errors, static_cast<uint64_t>(failed));
}

TEST(Disk, InjectedReadErrorsAreUnavailable) {
  Loop loop({.seed = 11});
  FlakyReads(loop);
}

TEST(Disk, ReadErrorsReplayIdentically) { testing::ExpectReplaysIdentically(11, FlakyReads); }

TEST(Disk, AZeroTapeNeverInjectsADiskFault) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  Disk disk(loop, "n1",
            {.read_error_ratio = {1, 2}, .torn_write_ratio = {1, 2}, .corruption_ratio = {1, 2}});
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "synced")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("f")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 6, "+lost")).ok());
  disk.Crash();
  EXPECT_EQ(*RunRead(loop, disk, "f", 0, 100), "synced");
  EXPECT_EQ(disk.stats().torn_writes + disk.stats().corrupted_sectors + disk.stats().read_errors,
            0u);
}

TEST(Disk, TraceNotesEveryDiskFault) {
  Loop loop({.seed = 12, .trace = {.keep_all = true}});
  Disk disk(loop, "n1", {.read_error_ratio = {1, 1}, .corruption_ratio = {1, 1}});
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 0, "synced")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Fsync("f")).ok());
  ASSERT_TRUE(RunStatus(loop, disk.Write("f", 6, "+lost")).ok());
  disk.Crash();
  (void)RunRead(loop, disk, "f", 0, 1);
  const std::string trace = loop.FormatTrace(loop.trace().events());
  for (const char* line : {"n1 disk: crash lost 1 unsynced write(s) to 'f'",
                           "n1 disk: crash corrupted sector 0 of 'f'",
                           "n1 disk: read of 'f' failed (injected I/O error)"}) {
    EXPECT_NE(trace.find(line), std::string::npos) << line << "\n" << trace;
  }
}

}  // namespace
}  // namespace laplace::sim
