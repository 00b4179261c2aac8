#include "sim/internal/partitions.h"

#include <algorithm>
#include <vector>

#include "absl/container/btree_map.h"
#include "base/check.h"

namespace laplace::sim::internal {
namespace {

// Whether every link `inner` covers, `outer` covers too (the sides of `inner` lie within those
// of `outer`, either way round). Sides that cover nothing lie within anything.
template <typename Sides>
bool Within(const Sides& inner, const Sides& outer) {
  bool same_way = true, swapped = true, has_a = false, has_b = false;
  for (NodeId host = 0; host < inner.side_of.size(); ++host) {
    const uint8_t side = inner.side_of[host];
    if (side == 0) continue;
    (side == 1 ? has_a : has_b) = true;
    const uint8_t there = outer.SideOf(host);
    same_way = same_way && there == side;
    swapped = swapped && there == 3 - side;
  }
  return !has_a || !has_b || same_way || swapped;
}

// Whether some link is covered by both.
template <typename Sides>
bool Overlap(const Sides& first, const Sides& second) {
  bool seen[3][3] = {};
  const size_t hosts = std::min(first.side_of.size(), second.side_of.size());
  for (NodeId host = 0; host < hosts; ++host) seen[first.side_of[host]][second.side_of[host]] = true;
  return (seen[1][1] && seen[2][2]) || (seen[1][2] && seen[2][1]);
}

}  // namespace

std::optional<bool> Partitions::SidesState(NodeId from, NodeId to) const {
  for (auto it = sides_.rbegin(); it != sides_.rend(); ++it) {
    if (it->Covers(from, to)) return it->cut;
  }
  return std::nullopt;
}

bool Partitions::IsCut(NodeId from, NodeId to) const {
  uint64_t link_sequence = 0;
  bool link_cut = false;
  if (!links_.empty()) {
    auto it = links_.find({from, to});
    if (it != links_.end()) {
      link_sequence = it->second.sequence;
      link_cut = it->second.cut;
    }
  }
  for (auto it = sides_.rbegin(); it != sides_.rend() && it->sequence > link_sequence; ++it) {
    if (it->Covers(from, to)) return it->cut;
  }
  return link_cut;
}

bool Partitions::CutLink(NodeId from, NodeId to) {
  if (IsCut(from, to)) return false;
  links_[{from, to}] = Link{.cut = true, .sequence = next_sequence_++};
  cut_link_count_.reset();
  return true;
}

bool Partitions::HealLink(NodeId from, NodeId to) {
  if (!IsCut(from, to)) return false;
  links_.erase({from, to});
  if (SidesState(from, to).value_or(false)) {
    links_[{from, to}] = Link{.cut = false, .sequence = next_sequence_++};
  }
  cut_link_count_.reset();
  return true;
}

void Partitions::Cut(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) {
  Add(side_a, side_b, true);
}

void Partitions::Heal(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) {
  Add(side_a, side_b, false);
}

void Partitions::Add(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b,
                     bool cut) {
  Sides added{.cut = cut, .sequence = next_sequence_++};
  NodeId largest = 0;
  for (NodeId host : side_a) largest = std::max(largest, host);
  for (NodeId host : side_b) largest = std::max(largest, host);
  added.side_of.assign(static_cast<size_t>(largest) + 1, 0);
  for (NodeId host : side_a) added.side_of[host] = 1;
  for (NodeId host : side_b) {
    LAPLACE_CHECK(added.side_of[host] != 1) << "host " << host << " is on both sides";
    added.side_of[host] = 2;
  }
  cut_link_count_.reset();
  // What `added` covers entirely no longer decides anything.
  std::erase_if(sides_, [&](const Sides& earlier) { return Within(earlier, added); });
  absl::erase_if(links_, [&](const auto& link) {
    return added.Covers(link.first.first, link.first.second);
  });
  if (!cut && std::none_of(sides_.begin(), sides_.end(),
                           [&](const Sides& earlier) { return Overlap(earlier, added); })) {
    return;  // heals nothing that is cut (single links inside it were just dropped)
  }
  sides_.push_back(std::move(added));
}

void Partitions::Clear() {
  sides_.clear();
  links_.clear();
  cut_link_count_ = 0;
}

size_t Partitions::CutLinkCount() const {
  if (!cut_link_count_.has_value()) cut_link_count_ = CountCutLinks();
  return *cut_link_count_;
}

size_t Partitions::CountCutLinks() const {
  // Without Sides every single link kept is cut (a healed one is kept only inside Sides).
  if (sides_.empty()) return links_.size();
  // Hosts on the same side of every Sides are cut alike: count pairs of such kinds of host.
  size_t hosts = 0;
  for (const Sides& sides : sides_) hosts = std::max(hosts, sides.side_of.size());
  absl::btree_map<std::vector<uint8_t>, size_t> kinds;
  std::vector<uint8_t> kind(sides_.size());
  for (NodeId host = 0; host < hosts; ++host) {
    bool in_any = false;
    for (size_t i = 0; i < sides_.size(); ++i) {
      kind[i] = sides_[i].SideOf(host);
      in_any = in_any || kind[i] != 0;
    }
    if (in_any) ++kinds[kind];
  }
  size_t count = 0;
  for (const auto& [from, from_hosts] : kinds) {
    for (const auto& [to, to_hosts] : kinds) {
      for (size_t i = sides_.size(); i-- > 0;) {
        if (from[i] != 0 && to[i] != 0 && from[i] != to[i]) {
          if (sides_[i].cut) count += from_hosts * to_hosts;
          break;
        }
      }
    }
  }
  // Single links that decide differently from the Sides under them.
  for (const auto& [link, state] : links_) {
    const bool now = IsCut(link.first, link.second);
    const bool under = SidesState(link.first, link.second).value_or(false);
    if (now && !under) ++count;
    if (!now && under) --count;
  }
  return count;
}

}  // namespace laplace::sim::internal
