// Proves swarm draws cover many fault mixes, a zero tape draws no faults, and runs replay.
#include "sim/swarm.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "sim/internal/replay_testing.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Swarm, AZeroTapeDrawsTheGentlestWorld) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  SwarmDraw draw = DrawSwarm(loop);
  EXPECT_EQ(draw.Describe(),
            "drop 0, duplicate 0, latency 1ms..1ms, partition 0, crash 0, pause 0, read error 0, "
            "torn write 0, corruption 0, clock offset <= 0, drift <= 0ppm, buggify off");
}

TEST(Swarm, SeedsCoverManyFaultMixesEachDomainOnAndOff) {
  std::set<std::string> mixes;
  int drop_on = 0;
  int crash_on = 0;
  int buggify_on = 0;
  int gentle = 0;
  const int runs = 300;
  for (uint64_t seed = 0; seed < runs; ++seed) {
    Loop loop({.seed = seed});
    SwarmDraw draw = DrawSwarm(loop);
    for (const Choice& choice : loop.tape()) {
      EXPECT_TRUE(choice.kind == ChoiceKind::kFault || choice.kind == ChoiceKind::kDelay);
    }
    mixes.insert(draw.Describe());
    drop_on += !draw.world.network.drop_ratio.never();
    crash_on += !draw.nemesis.crash_ratio.never();
    buggify_on += draw.world.buggify.enabled;
    gentle += draw.world.network.drop_ratio.never() && draw.nemesis.crash_ratio.never() &&
              draw.nemesis.partition_ratio.never();
  }
  EXPECT_GT(mixes.size(), 250u);
  for (int on : {drop_on, crash_on, buggify_on}) {
    EXPECT_GT(on, runs / 4);
    EXPECT_LT(on, runs - runs / 10);
  }
  EXPECT_GT(gentle, 0);
}

TEST(Swarm, SwitchedOffDomainsDrawNothingAndKeepTheBase) {
  Loop loop({.seed = 1});
  SwarmOptions none{.message_loss = false,
                    .duplicates = false,
                    .reordering = false,
                    .partitions = false,
                    .crashes = false,
                    .pauses = false,
                    .disk_faults = false,
                    .disk_corruption = false,
                    .clock_skew = false,
                    .buggify = false};
  WorldOptions base{.network = {.latency_max = milliseconds(9), .drop_ratio = {1, 7}}};
  SwarmDraw draw = DrawSwarm(loop, none, base, {.crash_ratio = {1, 9}});
  EXPECT_TRUE(loop.tape().empty());
  EXPECT_EQ(draw.world.network.drop_ratio, (Ratio{1, 7}));
  EXPECT_EQ(draw.world.network.latency_max, milliseconds(9));
  EXPECT_EQ(draw.nemesis.crash_ratio, (Ratio{1, 9}));
  EXPECT_TRUE(draw.world.buggify.enabled);  // the base's default
}

Task<> Gossip(Node& node) {
  Socket socket = node.Bind(80);
  for (int i = 0; i < 50; ++i) {
    for (NodeId peer = 1; peer <= 3; ++peer) {
      if (peer != node.id()) (void)socket.Send({.node = peer, .port = 80}, "Gossip", "x");
    }
    co_await node.clock().Sleep(milliseconds(10));
  }
}

// Scenario: a drawn world with a nemesis and three gossiping nodes.
void SwarmRun(Loop& loop) {
  SwarmDraw draw = DrawSwarm(loop);
  World world(loop, draw.world);
  for (int i = 1; i <= 3; ++i) world.AddNode("n" + std::to_string(i), Gossip);
  loop.Spawn(RunNemesis(world, draw.nemesis), SpawnOptions{.label = "nemesis", .daemon = true});
  ASSERT_TRUE(loop.RunFor(seconds(1)).ok());
}

TEST(Swarm, SwarmRunsReplayIdentically) {
  for (uint64_t seed : {1, 2, 3}) testing::ExpectReplaysIdentically(seed, SwarmRun);
}

}  // namespace
}  // namespace laplace::sim
