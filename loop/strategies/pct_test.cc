// Proves PCT's guarantee on a depth-2 bug (at least 1 / (n k) per run), that depth 1 never
// preempts a running task, that its runs are a pure function of the seed, that it learns the
// run length from earlier runs, and that a poller does not starve the other tasks.
#include "loop/strategies/pct.h"

#include <cstdio>

#include "gtest/gtest.h"
#include "loop/strategies/testing/programs.h"
#include "loop/task.h"

namespace laplace::strategies {
namespace {

using testing::CountFailures;
using testing::RunDepthTwo;
using testing::RunLostUpdate;

TEST(Pct, FindsADepthTwoBugAtLeastAsOftenAsItsBoundPromises) {
  constexpr int kRuns = 2000;
  constexpr int kTasks = 4;        // the setter, the checker and two noise tasks
  constexpr uint64_t kSteps = 16;  // k: at least the run's scheduling steps
  Pct pct({.depth = 2, .steps = kSteps});
  const int found = CountFailures([](LoopOptions o) { return RunDepthTwo(o); }, &pct, kRuns);
  ASSERT_LE(pct.longest(), kSteps) << "the bound holds only for runs of at most k steps";
  const double bound = 1.0 / (kTasks * kSteps);  // 1 / (n k^(d-1)), d = 2
  RandomWalk walk;
  const int walk_found = CountFailures([](LoopOptions o) { return RunDepthTwo(o); }, &walk, kRuns);
  std::printf("depth-2 bug: pct(d=2) %d/%d, bound %.4f; random walk %d/%d\n", found, kRuns, bound,
              walk_found, kRuns);
  EXPECT_GE(found, static_cast<int>(bound * kRuns));
}

TEST(Pct, DepthOneNeverPreemptsSoItMissesABugThatNeedsOneAndDepthTwoFindsIt) {
  Pct one({.depth = 1});
  EXPECT_EQ(CountFailures(RunLostUpdate, &one, 300), 0);
  Pct two({.depth = 2});
  EXPECT_GT(CountFailures(RunLostUpdate, &two, 300), 0);
}

TEST(Pct, ARunIsAPureFunctionOfItsSeedAndParameters) {
  auto tape_of = [](uint64_t seed) {
    Pct pct({.depth = 3, .steps = 20});
    Loop loop({.seed = seed, .strategy = &pct});
    auto yielder = [](Loop& loop) -> Task<> {
      for (int i = 0; i < 4; ++i) co_await loop.Yield();
    };
    for (int i = 0; i < 3; ++i) TaskHandle<> task = loop.Spawn(yielder(loop));
    EXPECT_TRUE(loop.Run().ok());
    return loop.tape();
  };
  EXPECT_EQ(tape_of(7), tape_of(7));
  int differ = 0;
  for (uint64_t seed = 0; seed < 10; ++seed) differ += tape_of(seed) != tape_of(seed + 1) ? 1 : 0;
  EXPECT_GT(differ, 5);
}

TEST(Pct, EstimatesTheRunLengthFromTheLongestRunSeenWithAMargin) {
  Pct pct({.depth = 2});
  EXPECT_EQ(pct.NextSteps(), 50u);  // steps_default before any run
  EXPECT_EQ(pct.config().Get("steps"), 50);
  RunDepthTwo({.seed = 1, .strategy = &pct});
  const uint64_t longest = pct.longest();
  ASSERT_GT(longest, 0u);
  EXPECT_EQ(pct.NextSteps(), longest + longest / 4 + 1);
  EXPECT_EQ(pct.config().Get("steps"), 50);  // what the last run used
  RunDepthTwo({.seed = 2, .strategy = &pct});
  EXPECT_EQ(pct.config().Get("steps"), static_cast<int64_t>(longest + longest / 4 + 1));
  EXPECT_EQ(pct.config().Get("depth"), 2);
}

Task<> Poll(Loop& loop, const bool& flag) {
  while (!flag) co_await loop.Yield();
}
Task<> SetFlag(bool& flag) {
  flag = true;
  co_return;
}

TEST(Pct, APollerDoesNotStarveTheOtherTasks) {
  Pct pct({.depth = 1});
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Loop loop({.seed = seed, .strategy = &pct, .steps_max = 10'000});
    bool flag = false;
    TaskHandle<> poller = loop.Spawn(Poll(loop, flag), "poller");
    TaskHandle<> setter = loop.Spawn(SetFlag(flag), "setter");
    RunResult result = loop.Run();
    ASSERT_TRUE(result.ok()) << "seed " << seed << ": " << result.ToString();
    EXPECT_LE(loop.steps(), 40u);
  }
}

}  // namespace
}  // namespace laplace::strategies
