// Test helper: a scenario run from a seed twice, then replayed from its tape
// in strict mode, must leave one trace digest each time.
//
//   uint64_t digest = laplace::sim::testing::ExpectReplaysIdentically(
//       /*seed=*/7, [](laplace::Loop& loop) {
//         laplace::sim::World world(loop, {.network = {.drop_ratio = {1, 2}}});
//         ...  // build, run
//       });
#ifndef LAPLACE_SIM_INTERNAL_REPLAY_TESTING_H_
#define LAPLACE_SIM_INTERNAL_REPLAY_TESTING_H_

#include <cstdint>
#include <functional>

#include "gtest/gtest.h"
#include "loop/choice.h"
#include "loop/loop.h"

namespace laplace::sim::testing {

// Builds a world on the Loop, runs it and destroys the world.
using Scenario = std::function<void(Loop&)>;

// Runs `scenario` on a Loop seeded with `seed`, on a second Loop with the same
// seed, and on a Loop replaying the first run's tape with a kStrict
// TapeSource; expects one digest, no divergence and the whole tape consumed.
// Returns the digest.
inline uint64_t ExpectReplaysIdentically(uint64_t seed, const Scenario& scenario) {
  Tape tape;
  uint64_t digest = 0;
  {
    Loop loop({.seed = seed});
    scenario(loop);
    digest = loop.digest();
    tape = loop.tape();
  }
  {
    Loop again({.seed = seed});
    scenario(again);
    EXPECT_EQ(again.digest(), digest) << "the same seed gave another run";
  }
  TapeSource replay(tape, TapeSource::Mode::kStrict);
  {
    Loop replayed({.source = &replay});
    scenario(replayed);
    EXPECT_EQ(replayed.digest(), digest) << "replaying the tape gave another run";
  }
  EXPECT_FALSE(replay.divergence().has_value()) << replay.divergence()->ToString();
  EXPECT_EQ(replay.position(), tape.size()) << "the replay did not use the whole tape";
  EXPECT_FALSE(tape.empty()) << "the scenario made no choices at all";
  return digest;
}

}  // namespace laplace::sim::testing

#endif  // LAPLACE_SIM_INTERNAL_REPLAY_TESTING_H_
