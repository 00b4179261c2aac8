// Replica: one node's durable copy of the key-value store, a log of records
// on its disk with an in-memory index rebuilt at every start.
//
// Shared by both variants of the example (buggy.h, fixed.h) and by both
// roles (primary and backup): the bug is not here. A record is
//
//   [payload length: 4 bytes LE][checksum: 8 bytes LE][payload: key '\n' value]
//
// and Put appends one record, then fsyncs, one Put at a time, so the durable
// log is always a run of whole records followed at most by one torn tail,
// which Recover detects by its length or checksum and overwrites.
//
//   Replica replica(node);
//   absl::Status recovered = co_await replica.Recover();    // at every start
//   absl::Status durable = co_await replica.Put("k1", "v1");  // OK = on disk
//   std::optional<std::string> value = replica.Get("k1");
#ifndef LAPLACE_EXAMPLES_REPLICATED_KV_REPLICA_H_
#define LAPLACE_EXAMPLES_REPLICATED_KV_REPLICA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loop/lock.h"
#include "loop/task.h"
#include "sim/node.h"

namespace laplace::examples::replicated_kv {

// "key\nvalue". Keys must not contain '\n'.
std::string EncodePair(std::string_view key, std::string_view value);
// Inverse of EncodePair; kInvalidArgument without a '\n'.
absl::StatusOr<std::pair<std::string, std::string>> DecodePair(std::string_view payload);

// One log record (header + payload) for `payload`.
std::string EncodeRecord(std::string_view payload);

// A node's durable key-value log and its in-memory index; see the banner.
class Replica {
 public:
  // The log lives in `file` on `node`'s disk. The node must outlive it.
  explicit Replica(sim::Node& node, std::string file = "kv.log");

  // Rebuilds the index from the durable log: every whole record up to the
  // first torn or missing one. Retries injected read errors; kDataLoss if the
  // log hits a corrupt sector (this example keeps one copy per node, so it
  // cannot repair one). Call once, before any Put.
  Task<absl::Status> Recover();

  // Appends key=value and fsyncs; OK once it is durable. A key that already
  // durably has this value costs nothing. Concurrent Puts run one at a time.
  // Cancelling (a crash) mid-Put leaves at most a torn tail on disk.
  Task<absl::Status> Put(std::string key, std::string value);

  // The durable value of `key`, if any.
  std::optional<std::string> Get(std::string_view key) const;
  // Every durable key and value, in key order.
  const absl::btree_map<std::string, std::string, std::less<>>& data() const { return data_; }

 private:
  sim::Node* node_;
  std::string file_;
  absl::btree_map<std::string, std::string, std::less<>> data_;  // durable records only
  uint64_t end_ = 0;  // where the next record goes: the end of the valid log
  Lock lock_;
};

}  // namespace laplace::examples::replicated_kv

#endif  // LAPLACE_EXAMPLES_REPLICATED_KV_REPLICA_H_
