// Proves determinism: the same seed gives the same trace digest in every Loop,
// and exactly the golden digests below under every compiler and
// optimization level (CI runs this test under g++ and clang at -O0 and -O2).
#include <set>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "tests/workload.h"

namespace laplace {
namespace {

uint64_t DigestOf(uint64_t seed) {
  Loop loop({.seed = seed});
  RunResult result = tests::RunWorkload(loop);
  EXPECT_TRUE(result.ok()) << "seed " << seed << ": " << result.ToString();
  return loop.digest();
}

TEST(Determinism, TheSameSeedGivesTheSameDigest) {
  for (uint64_t seed = 0; seed < 50; ++seed) EXPECT_EQ(DigestOf(seed), DigestOf(seed));
}

TEST(Determinism, DifferentSeedsGiveDifferentSchedules) {
  std::set<uint64_t> digests;
  for (uint64_t seed = 0; seed < 100; ++seed) digests.insert(DigestOf(seed));
  EXPECT_GT(digests.size(), 90u);
}

TEST(Determinism, ReplayingTheRecordedTapeReproducesTheDigest) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Loop recorded({.seed = seed});
    ASSERT_TRUE(tests::RunWorkload(recorded).ok());
    TapeSource replay(recorded.tape(), TapeSource::Mode::kStrict);
    Loop replayed({.source = &replay});
    ASSERT_TRUE(tests::RunWorkload(replayed).ok());
    EXPECT_EQ(replayed.digest(), recorded.digest()) << "seed " << seed;
    EXPECT_FALSE(replay.divergence().has_value());
  }
}

// Golden digests. If a deliberate change to the loop or the workload changes
// them, regenerate with `bazel run //tests:determinism_probe -- 0 4` and say
// why in the commit. If only one compiler or -O level disagrees, that is a
// determinism bug: find it, do not update the numbers.
TEST(Determinism, DigestsMatchTheGoldenValuesOnEveryCompilerAndOptimizationLevel) {
  EXPECT_EQ(DigestOf(0), 0x35d27ba7e98abc69ULL);
  EXPECT_EQ(DigestOf(1), 0x34239777f0ce835dULL);
  EXPECT_EQ(DigestOf(2), 0x3ad03e38520727acULL);
  EXPECT_EQ(DigestOf(3), 0xbeb6f882c8056ef0ULL);
}

}  // namespace
}  // namespace laplace
