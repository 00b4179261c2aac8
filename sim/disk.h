// Disk: a node's simulated storage, files of bytes with write, read and fsync.
//
// Writes land in a volatile view at once (after the write latency) and are
// read back from it; only Fsync makes them durable. The disk outlives its
// node's crashes: a crash keeps exactly the durable view and loses every
// write that was not fsynced (Crash() is called by Node::Crash). Every
// operation takes a virtual latency drawn in its [min, max] range (kDelay
// choices, 0 = the minimum), so it is a suspension point of the calling task.
//
// Faults, each off by default and each a kFault choice:
//   read_error_ratio   a read fails with kUnavailable (a transient I/O error:
//                      nothing is wrong with the data; retrying may succeed);
//   torn_write_ratio   at a crash, an unsynced write is partly persisted
//                      instead of lost: a prefix of its bytes, ending inside a
//                      sector, reaches the durable view. Torn writes are
//                      silent, as on real disks: checksum your records;
//   corruption_ratio   at a crash, one durable sector of a file is
//                      corrupted. Corruption is detected (like a disk's
//                      per-sector ECC): reads touching the sector fail with
//                      kDataLoss until the sector is wholly rewritten.
// Each fault is a trace note ("n1 disk: crash tore write to 'log' ...").
//
//   laplace::sim::Disk& disk = node.disk();
//   absl::Status written = co_await disk.Write("log", 0, "record-1");
//   absl::Status synced = co_await disk.Fsync("log");      // now durable
//   absl::StatusOr<std::string> bytes = co_await disk.Read("log", 0, 8);
//   absl::StatusOr<uint64_t> at = co_await disk.Append("log", "record-2");
//   // a crash now loses "record-2" and keeps "record-1"
#ifndef LAPLACE_SIM_DISK_H_
#define LAPLACE_SIM_DISK_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"  // allowed: lookups only
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loop/loop.h"
#include "loop/ratio.h"
#include "loop/task.h"
#include "loop/time.h"
#include "sim/draw.h"

namespace laplace::sim {

// A disk's latencies and faults. The defaults: an SSD-like disk with no faults.
struct DiskOptions {
  Duration read_latency_min = std::chrono::microseconds(20);
  Duration read_latency_max = std::chrono::microseconds(100);
  Duration write_latency_min = std::chrono::microseconds(20);
  Duration write_latency_max = std::chrono::microseconds(100);
  Duration fsync_latency_min = std::chrono::microseconds(500);
  Duration fsync_latency_max = std::chrono::milliseconds(2);
  // The unit of tearing and of corruption.
  uint64_t sector_size = 512;
  // The chance that a read fails with kUnavailable.
  Ratio read_error_ratio = {0, 1};
  // The chance, per unsynced write at a crash, that a prefix of it persists.
  Ratio torn_write_ratio = {0, 1};
  // The chance, per file at a crash, that one of its durable sectors is
  // corrupted (reads of it then fail with kDataLoss).
  Ratio corruption_ratio = {0, 1};
};

// Counters since the disk was made.
struct DiskStats {
  uint64_t reads = 0;
  uint64_t writes = 0;
  uint64_t fsyncs = 0;
  uint64_t read_errors = 0;        // reads failed with kUnavailable
  uint64_t data_loss_reads = 0;    // reads failed with kDataLoss
  uint64_t lost_writes = 0;        // unsynced writes a crash lost
  uint64_t torn_writes = 0;        // unsynced writes a crash tore
  uint64_t corrupted_sectors = 0;  // sectors a crash corrupted
};

// One node's disk: files of bytes, a volatile and a durable view of each.
class Disk {
 public:
  // `owner` names the disk in trace notes ("n1 disk: ...").
  Disk(Loop& loop, std::string owner, DiskOptions options = {});
  Disk(const Disk&) = delete;
  Disk& operator=(const Disk&) = delete;

  // ---- Operations (awaitable) ----
  //
  // Each suspends the awaiting task for the operation's latency; the Loop
  // resumes it when that timer fires. An operation takes effect when it
  // completes: cancelling the awaiting task (a crash) before then means it
  // never happened. Operations from tasks of one node interleave like system
  // calls from threads; nothing is locked.

  // Writes `data` at `offset` of `file` into the volatile view, creating the
  // file and zero-filling any gap. Always OK.
  Task<absl::Status> Write(std::string file, uint64_t offset, std::string data);
  // Writes `data` at the end of `file` (its size when the write completes)
  // and returns that offset.
  Task<absl::StatusOr<uint64_t>> Append(std::string file, std::string data);
  // Reads up to `length` bytes at `offset` from the volatile view; fewer at
  // the end of the file, none past it. kNotFound if the file does not exist,
  // kUnavailable for an injected I/O error, kDataLoss if the range touches a
  // corrupted sector.
  Task<absl::StatusOr<std::string>> Read(std::string file, uint64_t offset, uint64_t length);
  // Makes every write to `file` that completed before the call durable, when
  // it returns. kNotFound if the file does not exist.
  Task<absl::Status> Fsync(std::string file);

  // ---- Inspection (immediate: no latency, no faults, no choices) ----

  // Whether `file` exists in the volatile view.
  bool Exists(std::string_view file) const { return files_.contains(file); }
  // The size of the volatile view; 0 if the file does not exist.
  uint64_t Size(std::string_view file) const;
  // Every file, in name order.
  std::vector<std::string> Files() const;
  // For checkers: the volatile and the durable bytes of a file (nullopt if
  // it does not exist in that view).
  std::optional<std::string> Contents(std::string_view file) const;
  std::optional<std::string> DurableContents(std::string_view file) const;

  // ---- Crash ----

  // What a power loss does: every unsynced write is lost, or torn with
  // torn_write_ratio; then each file may get a corrupted sector with
  // corruption_ratio. The volatile view becomes the durable one.
  void Crash();

  const DiskOptions& options() const { return options_; }
  // Takes effect for operations started (and crashes) from now on.
  void set_options(const DiskOptions& options);
  // What happened so far.
  const DiskStats& stats() const { return stats_; }

 private:
  struct Image {
    std::string bytes;
    absl::btree_set<uint64_t> bad_sectors;
  };
  struct PendingWrite {
    uint64_t sequence = 0;
    uint64_t offset = 0;
    std::string data;
  };
  struct File {
    Image current;
    std::optional<Image> durable;
    std::deque<PendingWrite> pending;  // unsynced, in completion order
  };

  void ApplyWrite(Image& image, uint64_t offset, std::string_view data) const;
  void Apply(std::string_view name, uint64_t offset, std::string data);
  void CrashFile(const std::string& name, File& file);
  std::string Prefix() const { return owner_ + " disk: "; }
  // The stream of the next `operation` on `file`: each operation on each
  // file draws on its own stream, so an extra write shifts only later writes
  // to the same file.
  OwnedStream OperationStream(std::string_view operation, std::string_view file);

  Loop* loop_;
  std::string owner_;
  DiskOptions options_;
  DiskStats stats_;
  absl::btree_map<std::string, File, std::less<>> files_;
  uint64_t next_write_ = 1;
  absl::flat_hash_map<StreamId, uint64_t> operation_ordinals_;  // allowed: lookups only
};

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_DISK_H_
