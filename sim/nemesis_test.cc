// Proves the nemesis strikes only its targets within its limits, stops, and replays.
#include "sim/nemesis.h"

#include <string>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/internal/replay_testing.h"

namespace laplace::sim {
namespace {

using std::chrono::seconds;

Task<> Idle(Node& node) { co_await node.loop().Yield(); }

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

struct Observed {
  int down_max_seen = 0;
  int untouchable_crashes = 0;
};

// Checks, after every step, how many targets are down.
void Watch(Loop& loop, World& world, Observed& observed) {
  loop.AddStepHook([&world, &observed] {
    int down = 0;
    for (NodeId id : {1u, 2u, 3u}) down += world.node(id).state() != NodeState::kUp;
    observed.down_max_seen = std::max(observed.down_max_seen, down);
    observed.untouchable_crashes += world.node(4).state() != NodeState::kUp;
  });
}

// Scenario: four nodes, the nemesis may strike the first three for 5s.
std::string StormyRun(Loop& loop, Observed& observed) {
  World world(loop);
  for (int i = 1; i <= 4; ++i) world.AddNode("n" + std::to_string(i), Idle);
  Watch(loop, world, observed);
  loop.Spawn(RunNemesis(world, {.partition_ratio = {1, 2},
                                .crash_ratio = {1, 2},
                                .pause_ratio = {1, 2},
                                .down_max = 2,
                                .targets = {1, 2, 3}}),
             SpawnOptions{.label = "nemesis", .daemon = true});
  EXPECT_TRUE(loop.RunFor(seconds(5)).ok());
  return loop.FormatTrace(loop.trace().events());
}

TEST(Nemesis, CrashesRestartsPausesResumesAndPartitions) {
  Loop loop({.seed = 1, .trace = {.keep_all = true}});
  Observed observed;
  const std::string trace = StormyRun(loop, observed);
  for (const char* what :
       {" crashed (incarnation", " restarted (incarnation", " paused", " resumed", "partition {",
        "opened (one-way)", "every partition healed"}) {
    EXPECT_GT(Count(trace, what), 0u) << what;
  }
  // Every strike and recovery is counted for the run's summary.
  for (const char* kind : {"nemesis.crash", "nemesis.restart", "nemesis.pause", "nemesis.resume",
                           "nemesis.partition", "nemesis.heal"}) {
    ASSERT_TRUE(loop.fault_counts().contains(kind)) << kind;
  }
  EXPECT_EQ(loop.fault_counts().at("nemesis.crash"), Count(trace, " crashed (incarnation"));
  EXPECT_EQ(observed.down_max_seen, 2);  // down_max is reached and respected
  EXPECT_EQ(observed.untouchable_crashes, 0);
}

TEST(Nemesis, NemesisRunsReplayIdentically) {
  testing::ExpectReplaysIdentically(2, [](Loop& loop) {
    Observed observed;
    StormyRun(loop, observed);
  });
}

TEST(Nemesis, AZeroTapeNemesisDoesNothing) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros, .trace = {.keep_all = true}});
  Observed observed;
  const std::string trace = StormyRun(loop, observed);
  EXPECT_EQ(observed.down_max_seen, 0);
  EXPECT_EQ(Count(trace, "partition"), 0u);
}

TEST(Nemesis, StopsAtItsFirstTickAfterQuiesce) {
  Loop loop({.seed = 3});
  World world(loop);
  world.AddNode("n1", Idle);
  world.AddNode("n2", Idle);
  TaskHandle<> nemesis =
      loop.Spawn(RunNemesis(world, {.partition_ratio = {1, 1}, .crash_ratio = {1, 1}}),
                 SpawnOptions{.label = "nemesis", .daemon = true});
  ASSERT_TRUE(loop.RunFor(seconds(1)).ok());
  world.Quiesce();
  ASSERT_TRUE(loop.RunFor(seconds(1)).ok());
  EXPECT_TRUE(nemesis.done());
  EXPECT_EQ(world.network().cut_link_count(), 0u);
  EXPECT_EQ(world.node(1).state(), NodeState::kUp);
  EXPECT_EQ(world.node(2).state(), NodeState::kUp);
}

}  // namespace
}  // namespace laplace::sim
