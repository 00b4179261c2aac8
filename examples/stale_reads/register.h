// A register replicated on three nodes, read and written through quorums
// (Attiya, Bar-Noy and Dolev's ABD), with a stale-read bug in one variant.
//
// Each replica keeps (timestamp, value); a timestamp is (counter, writer)
// and a replica keeps the highest one it has been sent. A write asks a
// majority for their timestamps and sends (highest + 1, writer) with the
// value to all replicas, done once a majority has acknowledged it. Reads:
//   kQuorum      (fixed) ask a majority, take the value with the highest
//                timestamp, write it back to a majority, then return it;
//   kOneReplica  (buggy) ask one replica and return what it has. After a
//                partition kept a replica out of a write's majority, that
//                replica still serves the old value, although the write
//                completed: a stale read. No invariant on one replica's
//                state shows it; the client history is not linearizable.
// A round that gets no majority within kRoundTimeout fails with
// kDeadlineExceeded: the write may or may not have taken effect (info).
//
//   world.AddNode("r1", ServeReplica);  // and r2, r3: node ids 1, 2, 3
//   QuorumClient client(node, {1, 2, 3}, /*writer=*/4, ReadMode::kQuorum);
//   absl::Status wrote = co_await client.Write(7);
//   absl::StatusOr<std::optional<int64_t>> read = co_await client.Read();
#ifndef LAPLACE_EXAMPLES_STALE_READS_REGISTER_H_
#define LAPLACE_EXAMPLES_STALE_READS_REGISTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loop/task.h"
#include "loop/time.h"
#include "sim/network.h"
#include "sim/node.h"

namespace laplace::examples::stale_reads {

inline constexpr uint32_t kPort = 80;
// How long one quorum round waits for a majority.
inline constexpr Duration kRoundTimeout = std::chrono::milliseconds(100);

// A replica's start routine: serves "Get" and "Set" on kPort. Its state
// lives in this frame (the example's faults are partitions, not crashes).
Task<> ServeReplica(sim::Node& node);

enum class ReadMode {
  kQuorum,      // fixed
  kOneReplica,  // buggy
};

// A client of the replicated register, on `node`. Operations of one client
// must not overlap (one at a time, like a Jepsen process).
class QuorumClient {
 public:
  // `writer` must be unique among the clients (it breaks timestamp ties).
  QuorumClient(sim::Node& node, std::vector<sim::NodeId> replicas, int64_t writer, ReadMode mode);

  // OK once a majority holds the value; kDeadlineExceeded otherwise.
  Task<absl::Status> Write(int64_t value);
  // The value (nullopt: never written), or kDeadlineExceeded.
  Task<absl::StatusOr<std::optional<int64_t>>> Read();

 private:
  struct Stamped {
    int64_t counter = 0;
    int64_t writer = 0;
    std::optional<int64_t> value;
  };
  // Sends kind/payload to `to` from one fresh socket and collects replies
  // from distinct replicas until `needed` or kRoundTimeout.
  Task<std::vector<Stamped>> Round(std::vector<sim::NodeId> to, std::string kind,
                                   std::string payload, size_t needed);
  Task<absl::Status> Store(const Stamped& stamped);

  sim::Node& node_;
  std::vector<sim::NodeId> replicas_;
  int64_t writer_;
  ReadMode mode_;
  int64_t counter_used_ = 0;  // never reuse a counter, even after a failed write
};

}  // namespace laplace::examples::stale_reads

#endif  // LAPLACE_EXAMPLES_STALE_READS_REGISTER_H_
