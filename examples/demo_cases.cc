#include "examples/demo_cases.h"

#include "examples/bank/bank_property.h"
#include "examples/cache/cache_property.h"
#include "examples/condvar/buffer_property.h"
#include "examples/heartbeat/heartbeat_property.h"
#include "examples/replicated_kv/property.h"
#include "examples/stale_reads/property.h"

namespace laplace::examples {

namespace {

DemoCase BankCase() {
  return DemoCase{
      .name = "bank",
      .title = "bank: an atomicity violation across an await",
      .explanation = {"Transfer() reads a balance from storage, then writes the new balance",
                      "back; both are awaits, so two transfers can read the same old balance",
                      "and the later write erases the earlier one. Invariant: money is",
                      "conserved (balances + money in flight), checked after every step."},
      .fix = "a Lock per account held across the read-await-write",
      .buggy =
          [](properties::Simulation& sim) {
            CheckTransfers(sim,
                           {.bank = {.fixed = false}, .clients = 2, .transfers_per_client = 3});
          },
      .fixed =
          [](properties::Simulation& sim) {
            CheckTransfers(sim, {.bank = {.fixed = true}, .clients = 2, .transfers_per_client = 3});
          },
      .test_name = "Bank.UnlockedTransfersLoseMoney",
      .bazel_target = "//examples/bank:bank_test",
      .package = "examples/bank"};
}

DemoCase CondVarCase() {
  return DemoCase{
      .name = "condvar",
      .title = "condvar: a lost wakeup in a hand-written async condition variable",
      .explanation = {"Wait() releases the lock, yields, and only then registers as a waiter;",
                      "a Notify() that lands in that gap finds nobody and is lost, and the",
                      "consumer of a bounded buffer sleeps forever. Liveness: every item is",
                      "delivered within 1s of virtual time."},
      .fix = "Wait() registers before it releases the lock",
      .buggy =
          [](properties::Simulation& sim) {
            CheckHandoff(sim, {.buffer = {.capacity = 1, .fixed = false}, .items = 3});
          },
      .fixed =
          [](properties::Simulation& sim) {
            CheckHandoff(sim, {.buffer = {.capacity = 1, .fixed = true}, .items = 5});
          },
      .test_name = "CondVar.LostWakeupStrandsTheConsumer",
      .bazel_target = "//examples/condvar:condvar_test",
      .package = "examples/condvar"};
}

DemoCase CacheCase() {
  return DemoCase{
      .name = "cache",
      .title = "cache: a stale read after a concurrent invalidation",
      .explanation = {"A Get misses and reads the old value from the slow store; meanwhile an",
                      "Update writes the store and invalidates the key; then the Get fills the",
                      "cache with the old value, served forever. Invariant: no read returns a",
                      "version older than an update that completed before it started."},
      .fix = "fills carry a lease (the key's generation) and lose to any invalidation",
      .buggy =
          [](properties::Simulation& sim) {
            CheckReadsAfterUpdates(sim, {.cache = {.fixed = false},
                                         .keys = 2,
                                         .readers = 1,
                                         .gets_per_reader = 3,
                                         .updates = 2});
          },
      .fixed =
          [](properties::Simulation& sim) {
            CheckReadsAfterUpdates(sim, {.cache = {.fixed = true},
                                         .keys = 2,
                                         .readers = 2,
                                         .gets_per_reader = 3,
                                         .updates = 3});
          },
      .test_name = "Cache.UnleasedFillServesStaleValueAfterUpdate",
      .bazel_target = "//examples/cache:cache_test",
      .package = "examples/cache"};
}

DemoCase ReplicatedKvCase() {
  return DemoCase{
      .name = "replicated_kv",
      .title = "replicated_kv: a primary that acknowledges a write before replicating it",
      .explanation = {"A primary/backup key-value store on the simulated network and disks,",
                      "with crashes, pauses, partitions and message loss drawn from the seed.",
                      "The buggy primary replies PutOk while replication is still in flight;",
                      "if it then crashes, the backup never gets the write. Invariant: an",
                      "acknowledged write survives losing the primary for good."},
      .fix = "the primary acknowledges only after the backup has the write durably",
      .buggy =
          [](properties::Simulation& sim) {
            replicated_kv::CheckReplication(
                sim, {.variant = replicated_kv::Variant::kBuggy, .writes = 10});
          },
      .fixed =
          [](properties::Simulation& sim) {
            replicated_kv::CheckReplication(sim, {.variant = replicated_kv::Variant::kFixed});
          },
      .story_keywords = {"swarm:", " crashed", " restarted", " paused", " resumed (", "partition",
                         "healed", "PutOk (re #", "Replicate dropped", "Replicate refused",
                         "replicate cancelled", "quiesce"},
      .fixed_seeds = 1000,
      .test_name = "ReplicatedKv.TheBuggyPrimaryLosesAnAcknowledgedWrite",
      .bazel_target = "//examples/replicated_kv:property_test",
      .package = "examples/replicated_kv"};
}

DemoCase HeartbeatCase() {
  return DemoCase{
      .name = "heartbeat",
      .title = "heartbeat: a failure detector that counts on the heartbeat getting a turn",
      .explanation = {"The monitor probes 16 times (an await each), then declares the node dead",
                      "unless the heartbeat task, which needs two steps, has written its beat.",
                      "Only a schedule that delays the heartbeat across every probe fails: the",
                      "random walk almost never makes one (about 1 in 2^16); the portfolio's",
                      "SURW and PCT members do within a few dozen seeds, and the report names",
                      "the member that found it."},
      .fix = "the monitor waits for the heartbeat (an Event) instead of counting on a turn",
      .buggy = [](properties::Simulation& sim) { CheckHeartbeat(sim, {.fixed = false}); },
      .fixed = [](properties::Simulation& sim) { CheckHeartbeat(sim, {.fixed = true}); },
      .compare_strategies = {"random-walk", "surw", "pct:depth=1"},
      .seeds = 2000,
      .test_name = "Heartbeat.AMonitorCountingOnATurnDeclaresALiveNodeDead",
      .bazel_target = "//examples/heartbeat:heartbeat_test",
      .package = "examples/heartbeat"};
}

DemoCase StaleReadsCase() {
  return DemoCase{
      .name = "stale_reads",
      .title = "stale_reads: a replicated register that reads one replica",
      .explanation = {"A register on three replicas behind quorums, under partitions. A write",
                      "completes once a majority has it; the buggy read asks one replica. A",
                      "replica a partition kept out of a write still serves the old value:",
                      "no replica's state is wrong, only the clients' history shows it. Check:",
                      "the history is linearizable for a register (the minimal witness below)."},
      .fix = "reads ask a majority and write back the newest value before returning it",
      .buggy =
          [](properties::Simulation& sim) {
            stale_reads::CheckRegister(sim, {.mode = stale_reads::ReadMode::kOneReplica,
                                             .clients = 2,
                                             .operations_per_client = 4});
          },
      .fixed =
          [](properties::Simulation& sim) {
            stale_reads::CheckRegister(sim, {.mode = stale_reads::ReadMode::kQuorum});
          },
      .story_keywords = {"partition", "healed", "quiesce"},
      .fixed_seeds = 300,
      .test_name = "StaleReads.OneReplicaReadsServeAStaleValueAfterAPartition",
      .bazel_target = "//examples/stale_reads:property_test",
      .package = "examples/stale_reads"};
}

}  // namespace

std::vector<DemoCase> DemoCases() {
  return {BankCase(),         CondVarCase(),    CacheCase(),
          ReplicatedKvCase(), StaleReadsCase(), HeartbeatCase()};
}

}  // namespace laplace::examples
