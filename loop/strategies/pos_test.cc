// Proves POS samples a race its own way: on a program whose racing events are separated by
// many independent steps (named with Yield(resource)) it finds the bug far more often than the
// random walk; with bare yields it is no better, as its banner says.
#include "loop/strategies/pos.h"

#include <cstdio>

#include "gtest/gtest.h"
#include "loop/strategies/testing/programs.h"

namespace laplace::strategies {
namespace {

using testing::CountFailures;
using testing::RunBareLateWrite;
using testing::RunNamedLateWrite;

TEST(Pos, BeatsTheRandomWalkWhenIndependentStepsSurroundARace) {
  constexpr int kRuns = 2000;
  Pos pos;
  RandomWalk walk;
  const int pos_found =
      CountFailures([](LoopOptions o) { return RunNamedLateWrite(o); }, &pos, kRuns);
  const int walk_found =
      CountFailures([](LoopOptions o) { return RunNamedLateWrite(o); }, &walk, kRuns);
  std::printf("named late write: pos %d/%d, random walk %d/%d\n", pos_found, kRuns, walk_found,
              kRuns);
  // POS: about 1 / (reader steps + 2) = 1/10; the random walk: about 2^-9.
  EXPECT_GE(pos_found, kRuns / 20);
  EXPECT_GT(pos_found, 10 * (walk_found + 1));
}

TEST(Pos, WithBareYieldsEveryStepRacesAndPosSamplesLikeTheRandomWalk) {
  constexpr int kRuns = 2000;
  Pos pos;
  RandomWalk walk;
  const int pos_found =
      CountFailures([](LoopOptions o) { return RunBareLateWrite(o, 6); }, &pos, kRuns);
  const int walk_found =
      CountFailures([](LoopOptions o) { return RunBareLateWrite(o, 6); }, &walk, kRuns);
  EXPECT_LT(pos_found, 3 * (walk_found + 10));
}

TEST(Pos, ARunIsAPureFunctionOfItsSeed) {
  Pos pos;
  EXPECT_EQ(RunNamedLateWrite({.seed = 4, .strategy = &pos}),
            RunNamedLateWrite({.seed = 4, .strategy = &pos}));
}

}  // namespace
}  // namespace laplace::strategies
