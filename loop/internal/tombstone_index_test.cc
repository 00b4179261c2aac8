// Proves TombstoneIndex finds the k-th live position exactly as a scan of a vector of flags does,
// on random kills and revivals, at capacities that fill whole blocks and ones that do not.
#include "loop/internal/tombstone_index.h"

#include <cstddef>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace laplace::internal {
namespace {

TEST(TombstoneIndex, FindsTheKthLivePosition) {
  TombstoneIndex index;
  index.Reset(8);
  index.Kill(1);
  index.Kill(2);
  EXPECT_EQ(index.NthLive(0), 0u);
  EXPECT_EQ(index.NthLive(1), 3u);
  EXPECT_EQ(index.NthLive(5), 7u);
  index.Revive(2);
  EXPECT_EQ(index.NthLive(1), 2u);
  EXPECT_TRUE(index.IsDead(1));
  EXPECT_FALSE(index.IsDead(2));
}

TEST(TombstoneIndex, ResetMakesEveryPositionLiveAgain) {
  TombstoneIndex index;
  index.Reset(200);
  for (size_t i = 0; i < 200; i += 2) index.Kill(i);
  EXPECT_EQ(index.NthLive(0), 1u);
  index.Reset(200);
  for (size_t i = 0; i < 200; ++i) EXPECT_EQ(index.NthLive(i), i);
}

TEST(TombstoneIndex, MatchesAScanOfFlagsOnRandomKillsAndRevivals) {
  uint64_t state = 7;
  auto below = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  for (size_t capacity : {1u, 16u, 63u, 64u, 65u, 1000u, 2048u}) {
    TombstoneIndex index;
    index.Reset(capacity);
    std::vector<bool> dead(capacity, false);
    for (int step = 0; step < 1500; ++step) {
      const size_t position = below(capacity);
      if (dead[position]) {
        index.Revive(position);
      } else {
        index.Kill(position);
      }
      dead[position] = !dead[position];
      std::vector<size_t> live;
      for (size_t i = 0; i < capacity; ++i) {
        ASSERT_EQ(index.IsDead(i), dead[i]) << "capacity " << capacity << " position " << i;
        if (!dead[i]) live.push_back(i);
      }
      for (size_t rank = 0; rank < live.size(); ++rank) {
        ASSERT_EQ(index.NthLive(rank), live[rank]) << "capacity " << capacity << " rank " << rank;
      }
    }
  }
}

}  // namespace
}  // namespace laplace::internal
