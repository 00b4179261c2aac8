#include "sim/nemesis.h"

#include <utility>

#include "base/check.h"

namespace laplace::sim {
namespace {

std::vector<NodeId> InState(World& world, const std::vector<NodeId>& targets, NodeState state) {
  std::vector<NodeId> found;
  for (NodeId id : targets) {
    if (world.node(id).state() == state) found.push_back(id);
  }
  return found;
}

NodeId Pick(Loop& loop, const std::vector<NodeId>& candidates, const Stream& stream) {
  return candidates[loop.Choose(candidates.size(), ChoiceKind::kDraw, stream)];
}

// A random split of every node into two non-empty sides, or one cut link.
void OpenPartition(World& world, const Stream& stream) {
  Loop& loop = world.loop();
  std::vector<NodeId> all = world.node_ids();
  if (all.size() < 2) return;
  const bool one_way = loop.Choose(2, ChoiceKind::kFault, stream) == 1;
  if (one_way) {
    NodeId from = Pick(loop, all, stream);
    std::vector<NodeId> others;
    for (NodeId id : all) {
      if (id != from) others.push_back(id);
    }
    world.network().CutLink(from, Pick(loop, others, stream));
    return;
  }
  // Each node but the first joins side B with probability 1/2; the first
  // is always on side A, and side B must not end up empty.
  std::vector<NodeId> side_a{all[0]};
  std::vector<NodeId> side_b;
  for (size_t i = 1; i < all.size(); ++i) {
    const bool last_chance = i + 1 == all.size() && side_b.empty();
    if (last_chance || loop.Choose(2, ChoiceKind::kDraw, stream) == 1) {
      side_b.push_back(all[i]);
    } else {
      side_a.push_back(all[i]);
    }
  }
  world.network().Partition(side_a, side_b);
}

}  // namespace

// Every decision of every tick draws on a stream of its own ("nemesis crash"
// at tick 7), so a crash switched off, which changes what later ticks may
// decide (nothing to restart), moves no other decision's values.
Task<> RunNemesis(World& world, NemesisOptions options) {
  Loop& loop = world.loop();
  std::vector<NodeId> targets = options.targets.empty() ? world.node_ids() : options.targets;
  for (uint64_t tick = 0;; ++tick) {
    auto at = [tick](std::string_view decision) { return Stream::Named(decision, tick); };
    co_await loop.Sleep(DrawDuration(loop, options.interval_min, options.interval_max,
                                     ChoiceKind::kDelay, at("nemesis interval")));
    if (world.quiesced()) co_return;
    // Recover first.
    if (world.network().cut_link_count() > 0 &&
        Roll(loop, options.heal_ratio, ChoiceKind::kFault, at("nemesis heal"))) {
      loop.CountFault("nemesis.heal");
      world.network().HealAll();
    }
    std::vector<NodeId> crashed = InState(world, targets, NodeState::kCrashed);
    if (const Stream restart = at("nemesis restart");
        !crashed.empty() && Roll(loop, options.restart_ratio, ChoiceKind::kFault, restart)) {
      loop.CountFault("nemesis.restart");
      world.Restart(Pick(loop, crashed, restart));
    }
    std::vector<NodeId> paused = InState(world, targets, NodeState::kPaused);
    if (const Stream resume = at("nemesis resume");
        !paused.empty() && Roll(loop, options.resume_ratio, ChoiceKind::kFault, resume)) {
      loop.CountFault("nemesis.resume");
      world.Resume(Pick(loop, paused, resume));
    }
    // Then strike.
    if (const Stream partition = at("nemesis partition");
        world.network().cut_link_count() == 0 &&
        Roll(loop, options.partition_ratio, ChoiceKind::kFault, partition)) {
      loop.CountFault("nemesis.partition");
      OpenPartition(world, partition);
    }
    auto down = [&] {
      return InState(world, targets, NodeState::kCrashed).size() +
             InState(world, targets, NodeState::kPaused).size();
    };
    if (const Stream crash = at("nemesis crash");
        down() < options.down_max && Roll(loop, options.crash_ratio, ChoiceKind::kFault, crash)) {
      std::vector<NodeId> up = InState(world, targets, NodeState::kUp);
      if (!up.empty()) {
        loop.CountFault("nemesis.crash");
        world.Crash(Pick(loop, up, crash));
      }
    }
    if (const Stream pause = at("nemesis pause");
        down() < options.down_max && Roll(loop, options.pause_ratio, ChoiceKind::kFault, pause)) {
      std::vector<NodeId> up = InState(world, targets, NodeState::kUp);
      if (!up.empty()) {
        loop.CountFault("nemesis.pause");
        world.Pause(Pick(loop, up, pause));
      }
    }
  }
}

}  // namespace laplace::sim
