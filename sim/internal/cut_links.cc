#include "sim/internal/cut_links.h"

#include <algorithm>
#include <utility>

#include "absl/container/btree_map.h"
#include "base/check.h"

namespace laplace::sim::internal {

std::optional<EventRef> CutLinks::Cause(NodeId from, NodeId to) const {
  auto it = pairs_.find({from, to});
  return CauseAfter(from, to, it == pairs_.end() ? nullptr : &it->second);
}

std::optional<EventRef> CutLinks::LayerCause(NodeId from, NodeId to) const {
  return CauseAfter(from, to, nullptr);
}

std::optional<EventRef> CutLinks::CauseAfter(NodeId from, NodeId to, const PairCall* pair) const {
  // Newest first: the first call that covers the link decides whether it is cut; going back
  // through the run of cuts that follows finds the one that cut it first.
  const uint64_t floor = pair != nullptr ? pair->order : 0;
  std::optional<EventRef> run;
  for (auto it = layers_.rbegin(); it != layers_.rend() && it->order > floor; ++it) {
    if (!it->Covers(from, to)) continue;
    if (!it->cut) return run;  // healed here: cut only by what came after, if anything
    run = it->cause;
  }
  // A pair Cut is made only of a link not cut, so it starts its run; a pair Heal ends one.
  if (pair != nullptr && pair->cut) return pair->cause;
  return run;
}

size_t CutLinks::count() const {
  if (!count_.has_value()) count_ = CountCut();
  return *count_;
}

bool CutLinks::Cut(NodeId from, NodeId to, EventRef cause) {
  if (Cause(from, to).has_value()) return false;
  pairs_[{from, to}] = PairCall{.order = next_order_++, .cut = true, .cause = cause};
  if (count_.has_value()) ++*count_;
  return true;
}

bool CutLinks::Heal(NodeId from, NodeId to) {
  if (!Cause(from, to).has_value()) return false;
  const bool any_layer_covers = std::any_of(
      layers_.begin(), layers_.end(), [&](const Layer& layer) { return layer.Covers(from, to); });
  if (any_layer_covers) {
    pairs_[{from, to}] = PairCall{.order = next_order_++, .cut = false};
  } else {
    pairs_.erase({from, to});  // nothing else ever cut it: forgetting the Cut heals it
  }
  if (count_.has_value()) --*count_;
  return true;
}

void CutLinks::CutSides(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b,
                        EventRef cause) {
  layers_.push_back(MakeLayer(side_a, side_b, /*cut=*/true, cause));
  count_.reset();
}

void CutLinks::HealSides(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) {
  Layer heal = MakeLayer(side_a, side_b, /*cut=*/false, 0);
  PruneUnder(heal);
  // With no layer left under it, the heal has nothing to act on: the pair calls it covered are
  // gone, and it covers none of the others.
  if (!layers_.empty()) layers_.push_back(std::move(heal));
  count_.reset();
}

void CutLinks::Clear() {
  layers_.clear();
  pairs_.clear();
  count_ = 0;
}

CutLinks::Layer CutLinks::MakeLayer(const std::vector<NodeId>& side_a,
                                    const std::vector<NodeId>& side_b, bool cut, EventRef cause) {
  Layer layer{.order = next_order_++, .cut = cut, .cause = cause};
  NodeId largest = 0;
  for (NodeId node : side_a) largest = std::max(largest, node);
  for (NodeId node : side_b) largest = std::max(largest, node);
  layer.side.assign(static_cast<size_t>(largest) + 1, 0);
  for (NodeId node : side_a) layer.side[node] = 1;
  for (NodeId node : side_b) {
    LAPLACE_CHECK(layer.side[node] != 1) << "node " << node << " is on both sides of a partition";
    layer.side[node] = 2;
  }
  return layer;
}

namespace {

// Whether every link `inner` covers, `outer` covers too: each of inner's sides lies whole
// within one of outer's, and the two within different ones. A layer with an empty side covers
// nothing, so any outer covers it.
template <typename Layer>
bool CoveredBy(const Layer& inner, const Layer& outer) {
  uint8_t image[3] = {0, 0, 0};  // inner side -> outer side
  for (size_t node = 0; node < inner.side.size(); ++node) {
    const uint8_t from = inner.side[node];
    if (from == 0) continue;
    const uint8_t to = outer.SideOf(static_cast<uint32_t>(node));
    if (image[from] == 0) image[from] = to;
    if (to == 0 || image[from] != to) {
      image[from] = 3;  // split, or partly outside outer: covered only if the other side is empty
    }
  }
  if (image[1] == 0 || image[2] == 0) return true;
  return image[1] != 3 && image[2] != 3 && image[1] != image[2];
}

}  // namespace

void CutLinks::PruneUnder(const Layer& heal) {
  absl::erase_if(pairs_, [&heal](const auto& entry) {
    return heal.Covers(entry.first.first, entry.first.second);
  });
  std::erase_if(layers_, [&heal](const Layer& layer) { return CoveredBy(layer, heal); });
}

size_t CutLinks::CountCut() const {
  // Nodes on the same side of every layer are alike: count links between groups of alike nodes
  // (a partition of halves is two groups), then correct for the links a pair call decided.
  size_t largest = 0;
  for (const Layer& layer : layers_) largest = std::max(largest, layer.side.size());
  absl::btree_map<std::vector<uint8_t>, size_t> groups;  // sides in every layer -> nodes
  std::vector<uint8_t> sides(layers_.size());
  for (size_t node = 1; node < largest; ++node) {
    bool anywhere = false;
    for (size_t i = 0; i < layers_.size(); ++i) {
      sides[i] = layers_[i].SideOf(static_cast<NodeId>(node));
      anywhere = anywhere || sides[i] != 0;
    }
    if (anywhere) ++groups[sides];
  }
  size_t count = 0;
  for (const auto& [from_sides, from_nodes] : groups) {
    for (const auto& [to_sides, to_nodes] : groups) {
      // The newest layer that separates the two groups decides.
      for (size_t i = layers_.size(); i-- > 0;) {
        if (from_sides[i] == 0 || to_sides[i] == 0 || from_sides[i] == to_sides[i]) continue;
        if (layers_[i].cut) count += from_nodes * to_nodes;
        break;
      }
    }
  }
  for (const auto& [link, call] : pairs_) {
    const bool cut = CauseAfter(link.first, link.second, &call).has_value();
    const bool cut_by_layers = LayerCause(link.first, link.second).has_value();
    count = count + (cut ? 1 : 0) - (cut_by_layers ? 1 : 0);
  }
  return count;
}

}  // namespace laplace::sim::internal
