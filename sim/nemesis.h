// Nemesis: a task that injects node and network faults over time.
//
// Jepsen's name for it. Every tick (an interval drawn in [interval_min,
// interval_max], a kDelay choice) the nemesis first may recover (heal all
// partitions, restart a crashed node, resume a paused one), then may strike
// (open a partition, crash a node, pause a node), each with its own Ratio (a
// kFault choice; 0 means "no"). Which nodes and which kind of partition are
// kDraw choices (0 = the first candidate). A partition is symmetric (a random
// split of all nodes into two sides) or one-way (one cut link), chosen with
// a kFault choice (0 = symmetric). It stops at its first tick after
// World::Quiesce.
//
//   laplace::sim::NemesisOptions nemesis{.crash_ratio = {1, 5},
//                                        .partition_ratio = {1, 5},
//                                        .targets = {primary.id(), backup.id()}};
//   loop.Spawn(laplace::sim::RunNemesis(world, nemesis),
//              laplace::SpawnOptions{.label = "nemesis", .daemon = true});
#ifndef LAPLACE_SIM_NEMESIS_H_
#define LAPLACE_SIM_NEMESIS_H_

#include <cstddef>
#include <vector>

#include "loop/ratio.h"
#include "loop/task.h"
#include "loop/time.h"
#include "sim/draw.h"
#include "sim/network.h"
#include "sim/world.h"

namespace laplace::sim {

// The nemesis's schedule. The defaults strike never and recover often.
struct NemesisOptions {
  Duration interval_min = std::chrono::milliseconds(20);
  Duration interval_max = std::chrono::milliseconds(200);
  // Per tick: open a partition (if none is open).
  Ratio partition_ratio = {0, 1};
  // Per tick, while a partition is open: heal every partition.
  Ratio heal_ratio = {1, 2};
  // Per tick: crash one up target (while fewer than down_max are down).
  Ratio crash_ratio = {0, 1};
  // Per tick, while a target is crashed: restart one.
  Ratio restart_ratio = {1, 2};
  // Per tick: pause one up target (while fewer than down_max are down).
  Ratio pause_ratio = {0, 1};
  // Per tick, while a target is paused: resume one.
  Ratio resume_ratio = {1, 2};
  // At most this many targets crashed or paused at once.
  size_t down_max = 1;
  // The nodes it may crash or pause; empty means every node. Partitions
  // always split all nodes.
  std::vector<NodeId> targets;
};

// Runs the nemesis until World::Quiesce; spawn it as a daemon task outside
// any node (group 0). The world must outlive it.
Task<> RunNemesis(World& world, NemesisOptions options);

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_NEMESIS_H_
