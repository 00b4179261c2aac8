// Proves the layout's lanes, steps, display times and arrows for a run worked out by hand.
#include "replays/trace_export/layout.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replays/trace_export/testing/sample.h"

namespace laplace::replays::trace_export {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> LaneNames(const Layout& layout) {
  std::vector<std::string> names;
  for (const Lane& lane : layout.lanes) names.push_back(lane.name);
  return names;
}

std::string LaneOf(const Layout& layout, uint64_t index) {
  return layout.lanes[layout.lane_of[index]].name;
}

TEST(Layout, GroupsLanesByNodeWithTheNodesOwnLaneFirst) {
  const Layout layout = LayOut(testing::SampleRecording());
  EXPECT_THAT(LaneNames(layout),
              ElementsAre("world", "server", "server/main", "client", "client/main"));
  EXPECT_EQ(LaneOf(layout, 11), "server");       // a delivery to the server (a callback)
  EXPECT_EQ(LaneOf(layout, 12), "server/main");  // the task it wakes
  EXPECT_EQ(LaneOf(layout, 21), "server");       // the crash, noted outside the run
  EXPECT_EQ(LaneOf(layout, 22), "server/main");  // the cancellation goes on the cancelled task
  EXPECT_EQ(LaneOf(layout, 6), "client/main");   // a sleeper's timer on the sleeper
  EXPECT_EQ(LaneOf(layout, 25), "world");        // the failure, stopped from outside
}

TEST(Layout, AStepRunsFromAResumeToTheSuspensionWithWhatTheTaskDidBetween) {
  const Layout layout = LayOut(testing::SampleRecording());
  std::vector<std::pair<uint64_t, uint64_t>> client_steps;
  for (const Step& step : layout.steps) {
    if (layout.lanes[step.lane].name == "client/main")
      client_steps.push_back({step.first, step.last});
  }
  EXPECT_THAT(client_steps, ElementsAre(std::pair{2u, 3u}, std::pair{6u, 6u}, std::pair{7u, 9u},
                                        std::pair{17u, 20u}));
  for (size_t p = 0; p < layout.step_of.size(); ++p) {
    const Step& step = layout.steps[layout.step_of[p]];
    EXPECT_LE(step.first, p);
    EXPECT_GE(step.last, p);
    EXPECT_EQ(step.lane, layout.lane_of[p]);
    EXPECT_LE(step.begin_ns, layout.display_ns[p]);
    EXPECT_GT(step.end_ns, layout.display_ns[p]);
  }
}

TEST(Layout, DisplayTimeIsVirtualTimeWithAnInstantsEventsSideBySideAndIdleGapsShortened) {
  const TraceRecording recording = testing::SampleRecording();
  const Layout layout = LayOut(recording);
  EXPECT_EQ(layout.display_ns[0], 0);
  EXPECT_EQ(layout.display_ns[1], kEventGapNs);  // both at t=0
  for (size_t p = 1; p < layout.display_ns.size(); ++p) {
    EXPECT_GE(layout.display_ns[p] - layout.display_ns[p - 1], kEventGapNs);
    EXPECT_LE(layout.display_ns[p] - layout.display_ns[p - 1], kIdleGapMaxNs);
  }
  // #24 at 4ms and the failure at 8.5ms: 4.5ms idle, drawn as kIdleGapMaxNs.
  EXPECT_EQ(layout.display_ns[25] - layout.display_ns[24], kIdleGapMaxNs);
}

TEST(Layout, ArrowsAreMessagesWakeUpsTheCrashsCancellationAndItsDrop) {
  const Layout layout = LayOut(testing::SampleRecording());
  std::vector<std::string> arrows;
  for (const Arrow& arrow : layout.arrows) {
    arrows.push_back(std::to_string(arrow.from) + "->" + std::to_string(arrow.to) + " " +
                     std::string(EdgeKindName(arrow.kind)));
  }
  EXPECT_THAT(arrows, ElementsAre("8->11 message", "11->12 wake", "13->16 message", "16->17 wake",
                                  "21->22 cancel", "19->24 message", "21->24 fault"));
}

TEST(Layout, TheFailingStepAndItsChainAreMarked) {
  const Layout layout = LayOut(testing::SampleRecording());
  ASSERT_TRUE(layout.failing_event.has_value());
  EXPECT_EQ(*layout.failing_event, 25u);
  ASSERT_TRUE(layout.failing_step.has_value());
  EXPECT_EQ(layout.steps[*layout.failing_step].first, 25u);
  EXPECT_TRUE(layout.chain.contains(21));  // the crash
  EXPECT_TRUE(layout.chain.contains(24));  // the drop
  EXPECT_EQ(layout.chain.target, 25u);
}

}  // namespace
}  // namespace laplace::replays::trace_export
