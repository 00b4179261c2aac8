// Proves World finds its nodes, Quiesce ends every fault so systems progress, and no leaks.
#include "sim/world.h"

#include <iostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/internal/replay_testing.h"
#include "sim/nemesis.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Task<> Idle(Node& node) { co_await node.loop().Yield(); }

Task<> Echo(Node& node) {
  Socket socket = node.Bind(80);
  while (true) {
    absl::StatusOr<Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    if (LAPLACE_BUGGIFY(node)) continue;  // drop it: an overloaded server
    (void)socket.Reply(*request, "Pong", request->payload);
  }
}

// Calls the echo server `count` times, retrying each call until it succeeds;
// counts the successes in `done`.
Task<> Pinger(Node& node, Address server, int count, int& done) {
  for (int i = 0; i < count; ++i) {
    while (true) {
      absl::StatusOr<Message> reply =
          co_await node.Call(server, "Ping", std::to_string(i), milliseconds(50));
      if (reply.ok()) break;
      co_await node.clock().Sleep(milliseconds(10));
    }
    ++done;
  }
}

TEST(World, NumbersNodesFromOneAndFindsThemByName) {
  Loop loop({.seed = 1});
  World world(loop);
  Node& a = world.AddNode("alpha", Idle);
  Node& b = world.AddNode("beta", Idle);
  EXPECT_EQ(a.id(), 1u);
  EXPECT_EQ(b.id(), 2u);
  EXPECT_EQ(&world.node(2), &b);
  EXPECT_EQ(world.FindNode("alpha"), &a);
  EXPECT_EQ(world.FindNode("gamma"), nullptr);
  EXPECT_EQ(world.node_ids(), (std::vector<NodeId>{1, 2}));
  EXPECT_EQ(world.network().host_name(2), "beta");
}

TEST(World, QuiesceHealsRestartsResumesAndTurnsEveryFaultOff) {
  Loop loop({.seed = 2});
  World world(loop, {.network = {.drop_ratio = {1, 2}, .duplicate_ratio = {1, 3}},
                     .disk = {.read_error_ratio = {1, 2},
                              .torn_write_ratio = {1, 2},
                              .corruption_ratio = {1, 2}}});
  world.AddNode("a", Idle);
  world.AddNode("b", Idle);
  world.AddNode("c", Idle);
  world.network().Partition({1}, {2, 3});
  world.Crash(2);
  world.Pause(3);
  world.Quiesce();
  EXPECT_TRUE(world.quiesced());
  EXPECT_EQ(world.network().cut_link_count(), 0u);
  EXPECT_EQ(world.node(2).state(), NodeState::kUp);
  EXPECT_EQ(world.node(3).state(), NodeState::kUp);
  EXPECT_TRUE(world.network().options().drop_ratio.never());
  EXPECT_TRUE(world.network().options().duplicate_ratio.never());
  EXPECT_FALSE(world.buggify().enabled());
  for (NodeId id : world.node_ids()) {
    const DiskOptions& disk = world.node(id).disk().options();
    EXPECT_TRUE(disk.read_error_ratio.never());
    EXPECT_TRUE(disk.torn_write_ratio.never());
    EXPECT_TRUE(disk.corruption_ratio.never());
  }
  EXPECT_EQ(world.network().options().latency_max, NetworkOptions{}.latency_max);  // kept
}

// Scenario: a pinger against an echo server through loss, duplication,
// BUGGIFY, a nemesis; then Quiesce, after which all pings must finish in 2s.
void LivenessRun(Loop& loop) {
  World world(loop, {.network = {.drop_ratio = {1, 3}, .duplicate_ratio = {1, 10}},
                     .buggify = {.site_on_ratio = {1, 1}, .fire_ratio = {1, 2}}});
  Node& server = world.AddNode("server", Echo);
  Node& client = world.AddNode("client", Idle);
  int done = 0;
  client.Spawn(Pinger(client, server.address(80), 30, done), "pinger");
  loop.Spawn(RunNemesis(world, {.partition_ratio = {1, 3},
                                .crash_ratio = {1, 3},
                                .pause_ratio = {1, 5},
                                .targets = {server.id()}}),
             SpawnOptions{.label = "nemesis", .daemon = true});
  ASSERT_TRUE(loop.RunFor(seconds(1)).ok());
  EXPECT_LT(done, 30);  // the faults kept it from finishing
  world.Quiesce();
  ASSERT_TRUE(loop.RunFor(seconds(2)).ok());
  EXPECT_EQ(done, 30);  // progress once the faults stopped
}

TEST(World, AfterQuiesceASystemMakesProgress) {
  Loop loop({.seed = 3});
  LivenessRun(loop);
}

TEST(World, TheLivenessPhaseReplaysIdentically) {
  testing::ExpectReplaysIdentically(3, LivenessRun);
}

TEST(World, DestroyingTheWorldMidRunLeaksNothing) {
  Loop loop({.seed = 4});
  {
    World world(loop,
                {.network = {.latency_min = milliseconds(5), .latency_max = milliseconds(5)}});
    Node& server = world.AddNode("server", Echo);
    Node& client = world.AddNode("client", Idle);
    int done = 0;
    // A call in flight from a task outside any node, and one inside a node.
    loop.Spawn(Call(world.network(), client.id(), server.address(80), "Ping", "x", seconds(1)),
               "outsider");
    client.Spawn(Pinger(client, server.address(80), 5, done), "pinger");
    ASSERT_TRUE(loop.RunFor(milliseconds(7)).ok());
  }
  // The outsider's socket outlived the world; it must act closed, not crash.
  RunResult after = loop.RunFor(seconds(2));
  EXPECT_TRUE(after.ok()) << after.ToString();
}

// The example in docs/sim.md, verbatim but for names.
Task<> DocsServe(Node& node) {
  Socket socket = node.Bind(80);
  while (true) {
    absl::StatusOr<Message> ping = co_await socket.Receive();
    if (!ping.ok()) co_return;
    if (LAPLACE_BUGGIFY(node)) continue;  // sometimes too busy to answer
    (void)socket.Reply(*ping, "Pong", ping->payload);
  }
}

Task<> DocsPing(Node& node, Address server, int& pongs) {
  while (pongs < 20) {
    absl::StatusOr<Message> pong = co_await node.Call(server, "Ping", "hi", milliseconds(50));
    if (pong.ok()) ++pongs;
    co_await node.clock().Sleep(milliseconds(10));
  }
}

TEST(World, TheDocsExampleFinishesOnceTheFaultsStop) {
  Loop loop({.seed = 7, .trace = {.keep_all = true}});
  World world(loop, {.network = {.drop_ratio = {1, 10}}});
  Node& server = world.AddNode("server", DocsServe);
  Node& client = world.AddNode("client", [](Node& n) -> Task<> { co_await n.loop().Yield(); });
  int pongs = 0;
  client.Spawn(DocsPing(client, server.address(80), pongs), "ping");
  loop.Spawn(RunNemesis(world, {.crash_ratio = {1, 4}, .targets = {server.id()}}),
             SpawnOptions{.label = "nemesis", .daemon = true});
  ASSERT_TRUE(loop.RunFor(seconds(2)).ok());
  world.Quiesce();
  ASSERT_TRUE(loop.RunFor(seconds(5)).ok());
  EXPECT_EQ(pongs, 20);
  if (::testing::Test::HasFailure()) std::cout << loop.FormatTrace(loop.trace().events());
}

}  // namespace
}  // namespace laplace::sim
