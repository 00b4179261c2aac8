// Proves Partitions stands for exactly the set of cut pairs it replaced: random mixes of one-way
// cuts and heals, symmetric partitions and their heals, and clears agree with a set of pairs on
// every link and on the count, and a partition healed leaves nothing behind.
#include "sim/internal/partitions.h"

#include <set>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "loop/prng.h"

namespace laplace::sim::internal {
namespace {

using Pairs = std::set<std::pair<NodeId, NodeId>>;

constexpr NodeId kHosts = 9;

void ExpectSame(const Partitions& partitions, const Pairs& reference) {
  for (NodeId from = 1; from <= kHosts; ++from) {
    for (NodeId to = 1; to <= kHosts; ++to) {
      ASSERT_EQ(partitions.IsCut(from, to), reference.contains({from, to})) << from << "->" << to;
    }
  }
  ASSERT_EQ(partitions.CutLinkCount(), reference.size());
}

// Two disjoint random sides.
std::pair<std::vector<NodeId>, std::vector<NodeId>> RandomSides(Prng& random) {
  std::vector<NodeId> a, b;
  for (NodeId host = 1; host <= kHosts; ++host) {
    uint64_t side = random.Below(3);
    if (side == 1) a.push_back(host);
    if (side == 2) b.push_back(host);
  }
  return {a, b};
}

TEST(Partitions, AgreesWithASetOfCutPairsThroughRandomOperations) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Prng random(seed);
    Partitions partitions;
    Pairs reference;
    for (int step = 0; step < 60; ++step) {
      const uint64_t roll = random.Below(20);
      const NodeId from = 1 + static_cast<NodeId>(random.Below(kHosts));
      const NodeId to = 1 + static_cast<NodeId>(random.Below(kHosts));
      if (roll < 6 && from != to) {
        EXPECT_EQ(partitions.CutLink(from, to), reference.insert({from, to}).second);
      } else if (roll < 12 && from != to) {
        EXPECT_EQ(partitions.HealLink(from, to), reference.erase({from, to}) == 1);
      } else if (roll < 19) {
        auto [a, b] = RandomSides(random);
        const bool cut = roll < 16;
        for (NodeId x : a) {
          for (NodeId y : b) {
            if (cut) {
              reference.insert({x, y});
              reference.insert({y, x});
            } else {
              reference.erase({x, y});
              reference.erase({y, x});
            }
          }
        }
        if (cut) {
          partitions.Cut(a, b);
        } else {
          partitions.Heal(a, b);
        }
      } else {
        partitions.Clear();
        reference.clear();
      }
      ExpectSame(partitions, reference);
    }
  }
}

TEST(Partitions, APartitionHealedOrClearedLeavesNothingBehind) {
  Partitions partitions;
  std::vector<NodeId> a, b;
  for (NodeId host = 1; host <= 3000; ++host) (host <= 1500 ? a : b).push_back(host);
  partitions.Cut(a, b);
  EXPECT_EQ(partitions.CutLinkCount(), 2u * 1500 * 1500);
  EXPECT_TRUE(partitions.IsCut(1, 3000));
  EXPECT_FALSE(partitions.IsCut(1, 2));
  partitions.Heal(a, b);
  EXPECT_TRUE(partitions.empty()) << "the heal covers the cut and heals nothing else";
  partitions.Cut(a, b);
  partitions.CutLink(1, 2);
  partitions.Clear();
  EXPECT_TRUE(partitions.empty());
  EXPECT_EQ(partitions.CutLinkCount(), 0u);
}

}  // namespace
}  // namespace laplace::sim::internal
