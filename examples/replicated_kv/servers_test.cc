// Proves both primaries replicate a Put and both nodes serve Gets when nothing fails.
#include "examples/replicated_kv/servers.h"

#include <string>

#include "examples/replicated_kv/buggy.h"
#include "examples/replicated_kv/fixed.h"
#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/world.h"

namespace laplace::examples::replicated_kv {
namespace {

using std::chrono::milliseconds;

Task<> Idle(sim::Node& node) { co_await node.loop().Yield(); }

absl::StatusOr<sim::Message> CallAndRun(Loop& loop, sim::Node& from, sim::Address to,
                                        std::string kind, std::string payload) {
  auto call =
      from.Spawn(from.Call(to, std::move(kind), std::move(payload), milliseconds(500)), "call");
  EXPECT_TRUE(loop.RunUntilComplete(call).ok());
  return call.result();
}

void PutThenGetFromBoth(PutHandler handle_put) {
  Loop loop({.seed = 1});
  sim::World world(loop);
  world.AddNode("primary", [handle_put](sim::Node& node) {
    return ServePrimary(node, {2, kPort}, handle_put);
  });
  world.AddNode("backup", ServeBackup);
  sim::Node& client = world.AddNode("client", Idle);
  ASSERT_TRUE(loop.RunFor(milliseconds(5)).ok());  // let the servers recover and bind
  auto put = CallAndRun(loop, client, {1, kPort}, "Put", EncodePair("k", "v"));
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->kind, "PutOk");
  ASSERT_TRUE(loop.RunFor(milliseconds(100)).ok());  // the buggy one replicates late
  for (sim::NodeId server : {1u, 2u}) {
    auto get = CallAndRun(loop, client, {server, kPort}, "Get", "k");
    ASSERT_TRUE(get.ok()) << get.status();
    EXPECT_EQ(get->kind, "GetOk");
    EXPECT_EQ(get->payload, "v");
  }
  auto missing = CallAndRun(loop, client, {2, kPort}, "Get", "nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->kind, "GetMissing");
}

TEST(Servers, TheFixedPrimaryReplicatesAndBothServeGets) { PutThenGetFromBoth(FixedHandlePut); }

TEST(Servers, TheBuggyPrimaryAlsoReplicatesWhenNothingFails) { PutThenGetFromBoth(BuggyHandlePut); }

}  // namespace
}  // namespace laplace::examples::replicated_kv
