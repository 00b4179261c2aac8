// Proves CutLinks gives the answers of a set of cut pairs (how the Network kept them before):
// whether each link is cut, the note that cut it, and how many are cut, after every call of
// random sequences of cuts and heals of links and of partitions between random sides.
#include "sim/internal/cut_links.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "gtest/gtest.h"

namespace laplace::sim::internal {
namespace {

using NodeId = CutLinks::NodeId;

// The pair set, as network.cc kept it: every cut one-way link with its first cause.
class PairSet {
 public:
  bool Cut(NodeId from, NodeId to, EventRef cause) {
    return pairs_.try_emplace({from, to}, cause).second;
  }
  bool Heal(NodeId from, NodeId to) { return pairs_.erase({from, to}) != 0; }
  void CutSides(const std::vector<NodeId>& a, const std::vector<NodeId>& b, EventRef cause) {
    for (NodeId x : a) {
      for (NodeId y : b) {
        pairs_.try_emplace({x, y}, cause);
        pairs_.try_emplace({y, x}, cause);
      }
    }
  }
  void HealSides(const std::vector<NodeId>& a, const std::vector<NodeId>& b) {
    for (NodeId x : a) {
      for (NodeId y : b) {
        pairs_.erase({x, y});
        pairs_.erase({y, x});
      }
    }
  }
  void Clear() { pairs_.clear(); }
  std::optional<EventRef> Cause(NodeId from, NodeId to) const {
    auto it = pairs_.find({from, to});
    if (it == pairs_.end()) return std::nullopt;
    return it->second;
  }
  size_t count() const { return pairs_.size(); }

 private:
  absl::btree_map<std::pair<NodeId, NodeId>, EventRef> pairs_;
};

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed * 2 + 1) {}
  uint64_t Below(uint64_t bound) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state_ >> 33) % bound;
  }

 private:
  uint64_t state_;
};

TEST(CutLinks, AHalvesPartitionCutsEveryLinkBetweenTheHalvesBothWays) {
  CutLinks links;
  links.CutSides({1, 2}, {3, 4, 5}, 7);
  EXPECT_EQ(links.count(), 12u);
  EXPECT_EQ(links.Cause(1, 5), 7u);
  EXPECT_EQ(links.Cause(5, 1), 7u);
  EXPECT_FALSE(links.IsCut(1, 2));
  EXPECT_FALSE(links.IsCut(3, 4));
  EXPECT_FALSE(links.IsCut(1, 6));
  links.HealSides({3, 4, 5}, {1, 2});  // the same partition, sides swapped
  EXPECT_EQ(links.count(), 0u);
  EXPECT_FALSE(links.IsCut(1, 5));
}

TEST(CutLinks, ALinkAlreadyCutKeepsTheNoteThatCutItFirst) {
  CutLinks links;
  EXPECT_TRUE(links.Cut(1, 2, 3));
  EXPECT_FALSE(links.Cut(1, 2, 4));
  links.CutSides({1}, {2, 3}, 5);
  EXPECT_EQ(links.Cause(1, 2), 3u);
  EXPECT_EQ(links.Cause(2, 1), 5u);
  EXPECT_TRUE(links.Heal(1, 2));
  EXPECT_FALSE(links.Heal(1, 2));
  EXPECT_EQ(links.count(), 3u);
}

// Random calls on `nodes` nodes, checked against the pair set after each.
void CheckRandomCalls(uint64_t seed, NodeId nodes, int calls) {
  Random random(seed);
  CutLinks links;
  PairSet reference;
  for (int call = 1; call <= calls; ++call) {
    const EventRef cause = static_cast<EventRef>(call);
    const uint64_t what = random.Below(20);
    if (what < 6) {
      const NodeId from = 1 + static_cast<NodeId>(random.Below(nodes));
      const NodeId to = 1 + static_cast<NodeId>(random.Below(nodes));
      if (from == to) continue;
      ASSERT_EQ(links.Cut(from, to, cause), reference.Cut(from, to, cause));
    } else if (what < 11) {
      const NodeId from = 1 + static_cast<NodeId>(random.Below(nodes));
      const NodeId to = 1 + static_cast<NodeId>(random.Below(nodes));
      ASSERT_EQ(links.Heal(from, to), reference.Heal(from, to));
    } else if (what < 19) {
      // Each node on side a, side b or neither; sometimes the sides of a partition made earlier
      // matter most (heal what was cut), which random sides reach often with few nodes.
      std::vector<NodeId> a;
      std::vector<NodeId> b;
      for (NodeId node = 1; node <= nodes; ++node) {
        const uint64_t side = random.Below(3);
        if (side == 1) a.push_back(node);
        if (side == 2) b.push_back(node);
      }
      if (what < 15) {
        links.CutSides(a, b, cause);
        reference.CutSides(a, b, cause);
      } else {
        links.HealSides(a, b);
        reference.HealSides(a, b);
      }
    } else {
      links.Clear();
      reference.Clear();
    }
    ASSERT_EQ(links.count(), reference.count()) << "seed " << seed << " call " << call;
    for (NodeId from = 1; from <= nodes + 1; ++from) {
      for (NodeId to = 1; to <= nodes + 1; ++to) {
        ASSERT_EQ(links.Cause(from, to), reference.Cause(from, to))
            << "seed " << seed << " call " << call << " link " << from << "->" << to;
      }
    }
  }
}

TEST(CutLinks, GivesThePairSetsAnswersOnRandomCalls) {
  for (uint64_t seed = 0; seed < 300; ++seed) {
    CheckRandomCalls(seed, /*nodes=*/2 + static_cast<NodeId>(seed % 6), /*calls=*/60);
  }
}

TEST(CutLinksDeathTest, ANodeOnBothSidesFails) {
  CutLinks links;
  EXPECT_DEATH(links.CutSides({1, 2}, {2}, 1), "node 2 is on both sides of a partition");
}

}  // namespace
}  // namespace laplace::sim::internal
