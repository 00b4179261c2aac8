// Proves SURW learns the tasks' lengths from earlier runs and then samples their interleavings
// near uniformly: on a program where a short task must run after every step of a long one it
// finds the bug far more often than the random walk; its first run is the random walk's.
#include "loop/strategies/surw.h"

#include <cstdio>

#include "gtest/gtest.h"
#include "loop/strategies/testing/programs.h"

namespace laplace::strategies {
namespace {

using testing::CountFailures;
using testing::RunBareLateWrite;

TEST(Surw, BeatsTheRandomWalkWhenAShortTaskMustRunLateInALongOne) {
  constexpr int kRuns = 2000;
  Surw surw;
  RandomWalk walk;
  const int surw_found =
      CountFailures([](LoopOptions o) { return RunBareLateWrite(o); }, &surw, kRuns);
  const int walk_found =
      CountFailures([](LoopOptions o) { return RunBareLateWrite(o); }, &walk, kRuns);
  std::printf("bare late write: surw %d/%d, random walk %d/%d\n", surw_found, kRuns, walk_found,
              kRuns);
  // Uniform over the interleavings of 2 writer steps and 10 reader steps: the writer's second
  // step last in 11 of 66; the random walk gives the writer a turn at almost every step.
  EXPECT_GE(surw_found, kRuns / 10);
  EXPECT_GT(surw_found, 10 * (walk_found + 1));
}

TEST(Surw, LearnsEachTasksLengthFromEarlierRuns) {
  Surw surw;
  EXPECT_EQ(surw.config().Get("runs"), 0);
  RunBareLateWrite({.seed = 3, .strategy = &surw}, /*reader_steps=*/4);
  EXPECT_EQ(surw.config().Get("runs"), 1);
  EXPECT_EQ(surw.config().Get("tasks"), 2);  // the writer and the reader
  RunBareLateWrite({.seed = 4, .strategy = &surw}, /*reader_steps=*/4);
  EXPECT_EQ(surw.config().Get("tasks"), 2);  // the same signatures in every run
}

TEST(Surw, ARunIsAPureFunctionOfItsSeedAndWhatItLearned) {
  Surw first, second;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    EXPECT_EQ(RunBareLateWrite({.seed = seed, .strategy = &first}),
              RunBareLateWrite({.seed = seed, .strategy = &second}));
  }
}

}  // namespace
}  // namespace laplace::strategies
