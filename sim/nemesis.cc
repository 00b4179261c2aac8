#include "sim/nemesis.h"

#include <utility>

#include "loop/internal/check.h"

namespace laplace::sim {
namespace {

std::vector<NodeId> InState(World& world, const std::vector<NodeId>& targets, NodeState state) {
  std::vector<NodeId> found;
  for (NodeId id : targets) {
    if (world.node(id).state() == state) found.push_back(id);
  }
  return found;
}

NodeId Pick(Loop& loop, const std::vector<NodeId>& candidates) {
  return candidates[loop.Choose(candidates.size(), ChoiceKind::kDraw)];
}

// A random split of every node into two non-empty sides, or one cut link.
void OpenPartition(World& world) {
  Loop& loop = world.loop();
  std::vector<NodeId> all = world.node_ids();
  if (all.size() < 2) return;
  const bool one_way = loop.Choose(2, ChoiceKind::kFault) == 1;
  if (one_way) {
    NodeId from = Pick(loop, all);
    std::vector<NodeId> others;
    for (NodeId id : all) {
      if (id != from) others.push_back(id);
    }
    world.network().CutLink(from, Pick(loop, others));
    return;
  }
  // Each node but the first joins side B with probability 1/2; the first
  // is always on side A, and side B must not end up empty.
  std::vector<NodeId> side_a{all[0]};
  std::vector<NodeId> side_b;
  for (size_t i = 1; i < all.size(); ++i) {
    const bool last_chance = i + 1 == all.size() && side_b.empty();
    if (last_chance || loop.Choose(2, ChoiceKind::kDraw) == 1) {
      side_b.push_back(all[i]);
    } else {
      side_a.push_back(all[i]);
    }
  }
  world.network().Partition(side_a, side_b);
}

}  // namespace

Task<> RunNemesis(World& world, NemesisOptions options) {
  Loop& loop = world.loop();
  std::vector<NodeId> targets = options.targets.empty() ? world.node_ids() : options.targets;
  while (true) {
    co_await loop.Sleep(DrawDuration(loop, options.interval_min, options.interval_max));
    if (world.quiesced()) co_return;
    // Recover first.
    if (world.network().cut_link_count() > 0 && Roll(loop, options.heal_ratio)) {
      loop.CountFault("nemesis.heal");
      world.network().HealAll();
    }
    std::vector<NodeId> crashed = InState(world, targets, NodeState::kCrashed);
    if (!crashed.empty() && Roll(loop, options.restart_ratio)) {
      loop.CountFault("nemesis.restart");
      world.Restart(Pick(loop, crashed));
    }
    std::vector<NodeId> paused = InState(world, targets, NodeState::kPaused);
    if (!paused.empty() && Roll(loop, options.resume_ratio)) {
      loop.CountFault("nemesis.resume");
      world.Resume(Pick(loop, paused));
    }
    // Then strike.
    if (world.network().cut_link_count() == 0 && Roll(loop, options.partition_ratio)) {
      loop.CountFault("nemesis.partition");
      OpenPartition(world);
    }
    auto down = [&] {
      return InState(world, targets, NodeState::kCrashed).size() +
             InState(world, targets, NodeState::kPaused).size();
    };
    if (down() < options.down_max && Roll(loop, options.crash_ratio)) {
      std::vector<NodeId> up = InState(world, targets, NodeState::kUp);
      if (!up.empty()) {
        loop.CountFault("nemesis.crash");
        world.Crash(Pick(loop, up));
      }
    }
    if (down() < options.down_max && Roll(loop, options.pause_ratio)) {
      std::vector<NodeId> up = InState(world, targets, NodeState::kUp);
      if (!up.empty()) {
        loop.CountFault("nemesis.pause");
        world.Pause(Pick(loop, up));
      }
    }
  }
}

}  // namespace laplace::sim
