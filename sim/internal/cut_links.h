// CutLinks: the set of one-way links a Network has cut, each with the note that cut it, stored
// as what was done rather than pair by pair. Private to sim/.
//
// A partition between two sides is one layer: a side mark per node (O(nodes), not O(a * b)
// pairs both ways). A single link cut or healed by hand is one pair entry. Every answer is the
// one a set of pairs would give, built by the same calls: a link is cut when the latest call
// that covers it cut it, and its cause is the first cut of the unbroken run of cuts that ends
// there (a link already cut keeps the note that cut it first).
//
//   CutLinks links;
//   links.CutSides({1, 2}, {3}, /*cause=*/7);  // 1->3, 3->1, 2->3, 3->2
//   links.Heal(1, 3);                          // true: it was cut
//   links.Cause(3, 1);                         // 7
//   links.count();                             // 3
#ifndef LAPLACE_SIM_INTERNAL_CUT_LINKS_H_
#define LAPLACE_SIM_INTERNAL_CUT_LINKS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "loop/ids.h"

namespace laplace::sim::internal {

class CutLinks {
 public:
  using NodeId = uint32_t;

  // The note that cut the link from -> to, or nothing if the link is not cut.
  std::optional<EventRef> Cause(NodeId from, NodeId to) const;
  bool IsCut(NodeId from, NodeId to) const {
    return !(layers_.empty() && pairs_.empty()) && Cause(from, to).has_value();
  }
  // How many one-way links are cut (a partition of sides a and b cuts 2ab).
  size_t count() const;

  // Cuts from -> to; returns false (and keeps the first cause) if it is cut already.
  bool Cut(NodeId from, NodeId to, EventRef cause);
  // Heals from -> to; returns whether it was cut.
  bool Heal(NodeId from, NodeId to);
  // Cuts every link between a node of `side_a` and one of `side_b`, both ways (links already
  // cut keep their cause). Requires disjoint sides.
  void CutSides(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b,
                EventRef cause);
  // Heals every link between a node of `side_a` and one of `side_b`, both ways.
  void HealSides(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b);
  // Heals everything.
  void Clear();

 private:
  // One CutSides or HealSides call: side[node] is 1 or 2 for the nodes of its sides, else 0.
  struct Layer {
    uint64_t order = 0;  // when, among every call kept
    bool cut = false;
    EventRef cause = 0;
    std::vector<uint8_t> side;  // indexed by node id

    uint8_t SideOf(NodeId node) const { return node < side.size() ? side[node] : 0; }
    bool Covers(NodeId from, NodeId to) const {
      const uint8_t a = SideOf(from);
      const uint8_t b = SideOf(to);
      return a != 0 && b != 0 && a != b;
    }
  };
  // The latest Cut or Heal of one link (a Cut only of a link not cut, a Heal only of one cut).
  struct PairCall {
    uint64_t order = 0;
    bool cut = false;
    EventRef cause = 0;
  };

  // Cause() over the layers alone, as if no pair call had been made.
  std::optional<EventRef> LayerCause(NodeId from, NodeId to) const;
  // Cause() from the layers newer than `pair` (if any) and `pair` itself.
  std::optional<EventRef> CauseAfter(NodeId from, NodeId to, const PairCall* pair) const;
  Layer MakeLayer(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b, bool cut,
                  EventRef cause);
  // Drops what a heal layer about to be added makes moot: the layers it covers whole, and the
  // pair calls on links it covers.
  void PruneUnder(const Layer& heal);
  // Counts the cut links from scratch (count() caches it).
  size_t CountCut() const;

  uint64_t next_order_ = 1;
  std::vector<Layer> layers_;  // oldest first
  absl::btree_map<std::pair<NodeId, NodeId>, PairCall> pairs_;
  mutable std::optional<size_t> count_;  // cleared by every change
};

}  // namespace laplace::sim::internal

#endif  // LAPLACE_SIM_INTERNAL_CUT_LINKS_H_
