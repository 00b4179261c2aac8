// Proves the fixed primary withholds the acknowledgement the buggy one gives too early.
#include "examples/replicated_kv/fixed.h"

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/world.h"

namespace laplace::examples::replicated_kv {
namespace {

using std::chrono::milliseconds;

Task<> Idle(sim::Node& node) { co_await node.loop().Yield(); }

TEST(FixedPrimary, WithholdsTheAcknowledgementUntilTheBackupHasTheWrite) {
  Loop loop({.seed = 1});
  sim::World world(loop);
  sim::Node& primary = world.AddNode("primary", [](sim::Node& node) {
    return ServePrimary(node, {2, kPort}, FixedHandlePut);
  });
  sim::Node& backup = world.AddNode("backup", ServeBackup);
  sim::Node& client = world.AddNode("client", Idle);
  ASSERT_TRUE(loop.RunFor(milliseconds(5)).ok());
  world.network().CutLink(primary.id(), backup.id());

  auto put = client.Spawn(
      client.Call(primary.address(kPort), "Put", EncodePair("k", "v"), milliseconds(500)), "put");
  ASSERT_TRUE(loop.RunUntilComplete(put).ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded(put.result().status()));  // no acknowledgement

  world.Crash(primary.id());
  world.network().HealAll();
  world.Restart(primary.id());
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  auto retry = client.Spawn(
      client.Call(primary.address(kPort), "Put", EncodePair("k", "v"), milliseconds(500)), "retry");
  ASSERT_TRUE(loop.RunUntilComplete(retry).ok());
  ASSERT_TRUE(retry.result().ok()) << retry.result().status();
  EXPECT_EQ(retry.result()->kind, "PutOk");
  world.Crash(primary.id());  // lost for good

  auto get = client.Spawn(client.Call(backup.address(kPort), "Get", "k", milliseconds(500)), "get");
  ASSERT_TRUE(loop.RunUntilComplete(get).ok());
  ASSERT_TRUE(get.result().ok());
  EXPECT_EQ(get.result()->kind, "GetOk");
  EXPECT_EQ(get.result()->payload, "v");
}

}  // namespace
}  // namespace laplace::examples::replicated_kv
