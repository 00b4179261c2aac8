// Proves NthRemaining takes the same items, in the same order, as erasing the k-th element of a
// vector (the std::rotate the Loop's timer ties used before), on random ranks.
#include "loop/internal/nth_remaining.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace laplace::internal {
namespace {

TEST(NthRemaining, TakesTheKthOfWhatRemains) {
  NthRemaining order;
  order.Reset(4);
  EXPECT_EQ(order.Take(2), 2u);
  EXPECT_EQ(order.Take(2), 3u);
  EXPECT_EQ(order.Take(0), 0u);
  EXPECT_EQ(order.remaining(), 1u);
  EXPECT_EQ(order.Take(0), 1u);
  EXPECT_EQ(order.remaining(), 0u);
}

TEST(NthRemaining, MatchesErasingFromAVectorOnRandomRanks) {
  uint64_t state = 12345;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  NthRemaining order;  // reused across sizes, as the Loop reuses it across instants
  for (size_t count : {1, 2, 3, 7, 8, 9, 64, 100, 1000, 4097}) {
    order.Reset(count);
    std::vector<size_t> reference;
    for (size_t i = 0; i < count; ++i) reference.push_back(i);
    while (!reference.empty()) {
      // Small ranks are the common case (0 is the least surprising choice): test both.
      const size_t rank =
          next(2) == 0 ? next(reference.size()) : next(std::min<size_t>(2, reference.size()));
      ASSERT_EQ(order.Take(rank), reference[rank]) << "count " << count;
      reference.erase(reference.begin() + static_cast<std::ptrdiff_t>(rank));
    }
  }
}

TEST(NthRemainingDeathTest, ARankPastWhatRemainsFails) {
  NthRemaining order;
  order.Reset(2);
  EXPECT_DEATH(order.Take(2), "rank 2 of 2 remaining");
}

}  // namespace
}  // namespace laplace::internal
