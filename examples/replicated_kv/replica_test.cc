// Proves a Replica recovers synced records, drops a torn tail and retries read errors.
#include "examples/replicated_kv/replica.h"

#include <string>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/world.h"

namespace laplace::examples::replicated_kv {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

// What the node's incarnations recovered, kept outside the world.
struct Seen {
  std::vector<absl::btree_map<std::string, std::string, std::less<>>> recovered;
};

// Recovers, records what it found, then puts `puts` (key -> value) in order.
Task<> RecoverThenPut(sim::Node& node, Seen& seen,
                      std::vector<std::pair<std::string, std::string>> puts) {
  Replica replica(node);
  absl::Status recovered = co_await replica.Recover();
  EXPECT_TRUE(recovered.ok()) << recovered;
  seen.recovered.push_back(replica.data());
  for (auto& [key, value] : puts) EXPECT_TRUE((co_await replica.Put(key, value)).ok());
}

// The puts each incarnation makes after recovering, the first incarnation's first.
using Plan = std::vector<std::vector<std::pair<std::string, std::string>>>;

// Adds node "n1", whose incarnation i recovers, records what it found in `seen`, then makes
// plan[i - 1]'s puts. `seen` and `plan` must outlive the world's runs.
sim::Node& AddRecoveringNode(sim::World& world, Seen& seen, const Plan& plan) {
  return world.AddNode("n1", [&seen, &plan](sim::Node& self) {
    return RecoverThenPut(self, seen, plan[self.incarnation() - 1]);
  });
}

TEST(Replica, PairsAndRecordsRoundTrip) {
  EXPECT_EQ(EncodePair("k", "v\nw"), "k\nv\nw");
  auto pair = DecodePair("k\nv\nw");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->first, "k");
  EXPECT_EQ(pair->second, "v\nw");
  EXPECT_TRUE(absl::IsInvalidArgument(DecodePair("no split").status()));
  EXPECT_EQ(EncodeRecord("abc").size(), 12u + 3u);
}

TEST(Replica, RecoverRebuildsEveryDurablePutAfterACrash) {
  Loop loop({.seed = 1});
  sim::World world(loop);
  Seen seen;
  Plan plan = {{{"a", "1"}, {"b", "2"}, {"a", "3"}}, {}};
  sim::Node& node = AddRecoveringNode(world, seen, plan);
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  world.Crash(node.id());
  world.Restart(node.id());
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  ASSERT_EQ(seen.recovered.size(), 2u);
  EXPECT_TRUE(seen.recovered[0].empty());
  EXPECT_EQ(seen.recovered[1].at("a"), "3");
  EXPECT_EQ(seen.recovered[1].at("b"), "2");
}

TEST(Replica, ATornTailIsDroppedAtRecoveryAndOverwritten) {
  Loop loop({.seed = 2});
  sim::World world(loop, {.disk = {.write_latency_min = microseconds(10),
                                   .write_latency_max = microseconds(10),
                                   .fsync_latency_min = milliseconds(1),
                                   .fsync_latency_max = milliseconds(1),
                                   .torn_write_ratio = {1, 1}}});
  Seen seen;
  Plan plan = {{{"kept", "synced"}, {"torn", std::string(100, 'x')}}, {{"next", "after"}}, {}};
  sim::Node& node = AddRecoveringNode(world, seen, plan);
  // The first Put takes ~1.02ms; crash while the second is written, unsynced.
  ASSERT_TRUE(loop.RunFor(microseconds(1100)).ok());
  world.Crash(node.id());
  EXPECT_EQ(node.disk().stats().torn_writes, 1u);
  world.Restart(node.id());
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  world.Crash(node.id());
  world.Restart(node.id());
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  ASSERT_EQ(seen.recovered.size(), 3u);
  EXPECT_EQ(seen.recovered[1].size(), 1u);  // "kept" only: the torn record is gone
  EXPECT_EQ(seen.recovered[2].size(), 2u);  // "kept" and "next", written over the tail
  EXPECT_EQ(seen.recovered[2].at("next"), "after");
}

TEST(Replica, RecoveryRetriesInjectedReadErrors) {
  Loop loop({.seed = 3});
  sim::World world(loop, {.disk = {.read_error_ratio = {2, 3}}});
  Seen seen;
  Plan plan = {{{"a", "1"}}, {}};
  sim::Node& node = AddRecoveringNode(world, seen, plan);
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  world.Crash(node.id());
  world.Restart(node.id());
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  EXPECT_GT(node.disk().stats().read_errors, 0u);
  ASSERT_EQ(seen.recovered.size(), 2u);
  EXPECT_EQ(seen.recovered[1].at("a"), "1");
}

}  // namespace
}  // namespace laplace::examples::replicated_kv
