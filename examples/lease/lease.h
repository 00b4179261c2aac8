// A lease-based lock service on the simulated world, with a planted bug.
//
// One lock server grants a lease on a single resource (for lease_duration of
// its own clock) to whichever client asks while the lease is free or
// expired; two clients, each in a loop, acquire the lease over RPC (retrying
// with a backoff while it is held or a call times out), then write to a
// storage node under it (retrying a write that timed out while the lease
// still has lease_margin to run), then wait their lease out. The storage
// node checks every write against the LeaseBook (the test's own record of
// every grant, which survives crashes): a write made under a lease that a
// later grant has superseded is a violation.
//
// The bug (Variant::kBuggy): the server keeps its leases in memory only, and
// after a crash and restart it grants at once. So a crash of the server
// while client A holds the lease lets B acquire it too; if A's write is
// delayed in the network until after B's grant, the storage applies A's
// stale write after B's: it needs a crash AND a delayed message. The fix
// (Variant::kFixed): a restarted server grants nothing for one lease
// duration (every lease it may have granted before the crash has expired by
// then), as Chubby's master does after a fail-over.
//
//   laplace::sim::World world(loop, {.network = {.latency_max = ...}});
//   laplace::examples::lease::LeaseBook book;
//   laplace::examples::lease::AddLeaseService(world, {.variant = Variant::kBuggy}, book);
//   loop.RunFor(std::chrono::seconds(3));
//   if (!book.violation().ok()) { ... }  // e.g. a stale write from client-a
#ifndef LAPLACE_EXAMPLES_LEASE_LEASE_H_
#define LAPLACE_EXAMPLES_LEASE_LEASE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "loop/time.h"
#include "sim/world.h"

namespace laplace::examples::lease {

enum class Variant {
  kFixed,  // a restarted server waits out one lease before granting
  kBuggy,  // a restarted server grants at once: its old leases are forgotten
};

struct LeaseOptions {
  Variant variant = Variant::kFixed;
  Duration lease_duration = std::chrono::seconds(2);
  // A client retries a write only while its lease has this much left; more
  // than the network's largest latency, so a write it sends lands in time.
  Duration lease_margin = std::chrono::milliseconds(500);
  Duration call_timeout = std::chrono::milliseconds(150);
  Duration retry_backoff = std::chrono::milliseconds(50);
};

// Every lease granted, in grant order, kept by the test (not by any node):
// the oracle that the storage node checks writes against.
class LeaseBook {
 public:
  struct Grant {
    std::string holder;
    uint64_t token = 0;  // 1, 2, ...: the grant's place in the book
    Time granted_at;     // global virtual time
  };

  // Records a grant to `holder` now; returns its token.
  uint64_t Record(std::string holder, Time now);
  // Checks a write under `token` applied at `now`: a later grant made by
  // then means the writer's lease was superseded, which is recorded as the
  // book's violation (the first one wins).
  void CheckWrite(const std::string& writer, uint64_t token, Time now);
  // OK, or kFailedPrecondition saying which write broke the lease.
  const absl::Status& violation() const { return violation_; }
  const std::vector<Grant>& grants() const { return grants_; }

 private:
  std::vector<Grant> grants_;
  absl::Status violation_;
};

// The service's nodes.
inline constexpr sim::NodeId kLockServer = 1;
inline constexpr sim::NodeId kStorage = 2;
inline constexpr uint32_t kPort = 80;

// Adds the lock server, the storage node and two clients ("client-a",
// "client-b") to a fresh `world`, as nodes 1 to 4. `book` must outlive the
// world's tasks.
void AddLeaseService(sim::World& world, const LeaseOptions& options, LeaseBook& book);

}  // namespace laplace::examples::lease

#endif  // LAPLACE_EXAMPLES_LEASE_LEASE_H_
