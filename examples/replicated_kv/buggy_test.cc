// Proves the buggy primary loses an acknowledged write to a partition plus a crash.
#include "examples/replicated_kv/buggy.h"

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/world.h"

namespace laplace::examples::replicated_kv {
namespace {

using std::chrono::milliseconds;

Task<> Idle(sim::Node& node) { co_await node.loop().Yield(); }

TEST(BuggyPrimary, AcknowledgesBeforeReplicatingAndACrashThenLosesTheWrite) {
  Loop loop({.seed = 1});
  sim::World world(loop);
  sim::Node& primary = world.AddNode("primary", [](sim::Node& node) {
    return ServePrimary(node, {2, kPort}, BuggyHandlePut);
  });
  sim::Node& backup = world.AddNode("backup", ServeBackup);
  sim::Node& client = world.AddNode("client", Idle);
  ASSERT_TRUE(loop.RunFor(milliseconds(5)).ok());
  world.network().CutLink(primary.id(), backup.id());  // replication cannot get through

  auto put = client.Spawn(
      client.Call(primary.address(kPort), "Put", EncodePair("k", "v"), milliseconds(500)), "put");
  ASSERT_TRUE(loop.RunUntilComplete(put).ok());
  ASSERT_TRUE(put.result().ok()) << put.result().status();
  EXPECT_EQ(put.result()->kind, "PutOk");  // acknowledged, though the backup has nothing

  world.Crash(primary.id());  // the background replication dies here
  world.network().HealAll();
  world.Restart(primary.id());
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(1)).ok());
  world.Crash(primary.id());  // lost for good

  auto get = client.Spawn(client.Call(backup.address(kPort), "Get", "k", milliseconds(500)), "get");
  ASSERT_TRUE(loop.RunUntilComplete(get).ok());
  ASSERT_TRUE(get.result().ok());
  EXPECT_EQ(get.result()->kind, "GetMissing");  // the acknowledged write is gone
}

}  // namespace
}  // namespace laplace::examples::replicated_kv
