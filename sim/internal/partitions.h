// Partitions: which one-way links between hosts are cut. Private to sim/ (the Network's state).
//
// The set it stands for is a set of ordered pairs (from, to), as before; what changed is how it
// is kept. A symmetric partition of sides of a and b hosts cuts 2ab links, and storing each pair
// made a partition of 3,000 hosts into halves cost 4.5 million pairs and 40 MiB. So a partition
// (or the heal of one) is kept as one operation over its two sides, O(a + b), and single links
// as pairs; the state of a link is that of the latest operation covering it, and not cut when
// none does. Operations that a later one covers entirely are dropped as it is made, and a heal
// that covers no earlier cut is not kept at all, so Partition + HealPartition, or HealAll, leave
// nothing behind.
//
//   Partitions cuts;
//   cuts.Cut({1, 2}, {3});      // 1 <-/-> 3, 2 <-/-> 3
//   cuts.HealLink(3, 1);        // 3 -> 1 works again; 1 -/-> 3 still cut
//   cuts.IsCut(1, 3);           // true
//   cuts.CutLinkCount();        // 3
#ifndef LAPLACE_SIM_INTERNAL_PARTITIONS_H_
#define LAPLACE_SIM_INTERNAL_PARTITIONS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"

namespace laplace::sim::internal {

using NodeId = uint32_t;  // sim::NodeId (network.h), which includes this header

class Partitions {
 public:
  // Whether nothing is cut and nothing is recorded (the hot path's test).
  bool empty() const { return sides_.empty() && links_.empty(); }

  bool IsCut(NodeId from, NodeId to) const;

  // Cut or heal the one-way link from -> to. Return whether its state changed.
  bool CutLink(NodeId from, NodeId to);
  bool HealLink(NodeId from, NodeId to);

  // Cut (heal) every link between a host of `side_a` and one of `side_b`, both ways. Requires
  // the sides to be disjoint.
  void Cut(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b);
  void Heal(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b);

  // Heals everything.
  void Clear();

  // How many one-way links are cut: O(1) with only single links cut, else O(hosts in
  // partitions + kinds of host squared); remembered until the next change.
  size_t CutLinkCount() const;

 private:
  // One Cut or Heal: side_of[host] is 0 (in neither side), 1 (side a) or 2 (side b).
  struct Sides {
    std::vector<uint8_t> side_of;
    bool cut = true;
    uint64_t sequence = 0;

    uint8_t SideOf(NodeId host) const { return host < side_of.size() ? side_of[host] : 0; }
    bool Covers(NodeId from, NodeId to) const {
      uint8_t a = SideOf(from);
      uint8_t b = SideOf(to);
      return a != 0 && b != 0 && a != b;
    }
  };
  struct Link {
    bool cut = true;
    uint64_t sequence = 0;
  };

  void Add(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b, bool cut);
  // Whether the latest Sides covering (from, to), ignoring single links, cut it; and whether any
  // covers it at all.
  std::optional<bool> SidesState(NodeId from, NodeId to) const;
  size_t CountCutLinks() const;

  std::vector<Sides> sides_;  // in the order made
  absl::btree_map<std::pair<NodeId, NodeId>, Link> links_;
  uint64_t next_sequence_ = 1;
  mutable std::optional<size_t> cut_link_count_;
};

}  // namespace laplace::sim::internal

#endif  // LAPLACE_SIM_INTERNAL_PARTITIONS_H_
