// Proves node clocks keep their skew bounds, never run backwards, sleep locally, and replay.
#include "sim/clock.h"

#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/internal/replay_testing.h"
#include "sim/world.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(NodeClock, OffsetAndDriftStayWithinTheirBoundsAndReachThem) {
  const ClockOptions options{.offset_max = milliseconds(50), .drift_ppm_max = 200};
  bool saw_positive = false;
  bool saw_negative = false;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    Loop loop({.seed = seed});
    NodeClock clock = NodeClock::Draw(loop, options);
    EXPECT_LE(std::abs(clock.offset().count()), Duration(milliseconds(50)).count());
    EXPECT_LE(std::abs(clock.drift_ppm()), 200);
    saw_positive |= clock.drift_ppm() > 100;
    saw_negative |= clock.drift_ppm() < -100;
  }
  EXPECT_TRUE(saw_positive);
  EXPECT_TRUE(saw_negative);
}

TEST(NodeClock, AZeroTapeGivesTheLoopsOwnClock) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  NodeClock clock = NodeClock::Draw(loop, {.offset_max = seconds(1), .drift_ppm_max = 999'999});
  EXPECT_EQ(clock.offset(), Duration(0));
  EXPECT_EQ(clock.drift_ppm(), 0);
  EXPECT_EQ(clock.ToLocal(Time(seconds(7))), Time(seconds(7)));
}

TEST(NodeClock, LocalTimeIsLoopTimePlusOffsetPlusDrift) {
  Loop loop({.seed = 1});
  NodeClock fast(loop, milliseconds(5), 1000);  // +5ms, 0.1% fast
  EXPECT_EQ(fast.ToLocal(Time(seconds(1))), Time(seconds(1) + milliseconds(5) + milliseconds(1)));
  NodeClock slow(loop, milliseconds(-5), -1000);
  EXPECT_EQ(slow.ToLocal(Time(seconds(1))), Time(seconds(1) - milliseconds(5) - milliseconds(1)));
  EXPECT_EQ(slow.Describe(), "offset -5ms, drift -1000ppm");
}

TEST(NodeClock, LocalTimeNeverGoesBackwards) {
  Loop loop({.seed = 2});
  for (int64_t drift : {-999'999, -123'457, -1, 0, 1, 77'777, 999'999}) {
    NodeClock clock(loop, milliseconds(3), drift);
    Time previous = clock.ToLocal(Time());
    for (int64_t t = 1; t < 5000; t += 7) {
      const Time local = clock.ToLocal(Time(Duration(t)));
      EXPECT_GE(local, previous) << "drift " << drift << " at " << t << "ns";
      previous = local;
    }
  }
}

TEST(NodeClock, ToGlobalGivesTheFirstInstantTheLocalTimeIsReached) {
  Loop loop({.seed = 3});
  for (int64_t drift : {-500'000, -3, 0, 3, 250'000}) {
    NodeClock clock(loop, milliseconds(-2), drift);
    for (int64_t ms : {0, 1, 5, 1000, 123'456}) {
      const Time local{milliseconds(ms)};
      const Time global = clock.ToGlobal(local);
      EXPECT_GE(clock.ToLocal(global), local);
      if (global > Time()) {
        EXPECT_LT(clock.ToLocal(global - Duration(1)), local);
      }
    }
  }
}

Task<> SleepOneLocalSecond(const NodeClock& clock) { co_await clock.Sleep(seconds(1)); }

TEST(NodeClock, SleepWaitsForLocalTime) {
  Loop loop({.seed = 4});
  NodeClock fast(loop, Duration(0), 250'000);  // runs 25% fast
  TaskHandle<> sleeper = loop.Spawn(SleepOneLocalSecond(fast), "sleeper");
  ASSERT_TRUE(loop.RunUntilComplete(sleeper).ok());
  EXPECT_EQ(loop.Now(), Time(milliseconds(800)));
  EXPECT_EQ(fast.Now(), Time(seconds(1)));
}

// Scenario: five nodes with skewed clocks, each noting its local time.
void SkewedWorld(Loop& loop) {
  World world(loop, {.clock = {.offset_max = milliseconds(100), .drift_ppm_max = 10'000}});
  for (int i = 0; i < 5; ++i) {
    world.AddNode("n" + std::to_string(i + 1), [](Node& node) -> Task<> {
      co_await node.clock().Sleep(seconds(1));
      node.loop().Note(node.name() + " local time " + FormatTime(node.Now()));
    });
  }
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  int skewed = 0;
  for (NodeId id : world.node_ids()) skewed += world.node(id).clock().drift_ppm() != 0;
  EXPECT_GT(skewed, 0);
}

TEST(NodeClock, ClockSkewReplaysIdentically) { testing::ExpectReplaysIdentically(5, SkewedWorld); }

}  // namespace
}  // namespace laplace::sim
