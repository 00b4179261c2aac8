// World: the simulated world a test runs in: nodes, the network between
// them, their disks and clocks, and BUGGIFY.
//
// A World is built on one Loop and owns everything simulated. Every decision
// it makes (latency, loss, skew, faults) is a choice from that Loop, so the
// Loop's seed or tape determines the whole run, and every fault is a trace
// note. Faults come from the options (fixed, or drawn from the seed by
// swarm.h), from a nemesis task (nemesis.h), or from the test calling
// Crash/Partition/... directly. Quiesce() ends the faults so that a test can
// then require progress (liveness).
//
//   laplace::Loop loop({.seed = 7});
//   laplace::sim::World world(loop, {.network = {.drop_ratio = {1, 20}}});
//   laplace::sim::Node& server = world.AddNode("server", Serve);
//   laplace::sim::Node& client = world.AddNode("client", Client);
//   loop.RunFor(std::chrono::seconds(5));      // faults happen
//   world.Crash(server.id());
//   world.Quiesce();                             // heal, restart, faults off
//   loop.RunFor(std::chrono::seconds(5));      // now the system must progress
//
// Declare the World after its Loop, so that it is destroyed first: the
// World's destructor cancels its nodes' tasks and its deliveries in flight.
#ifndef LAPLACE_SIM_WORLD_H_
#define LAPLACE_SIM_WORLD_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "loop/loop.h"
#include "loop/source_location.h"
#include "sim/buggify.h"
#include "sim/clock.h"
#include "sim/disk.h"
#include "sim/network.h"
#include "sim/node.h"

namespace laplace::sim {

// One options struct per fault domain; the defaults are a fault-free world
// (BUGGIFY aside: its sites are opt-in by placement, see buggify.h).
struct WorldOptions {
  NetworkOptions network;
  DiskOptions disk;  // every node's disk
  ClockOptions clock;
  BuggifyOptions buggify;
};

// The simulated world; see the banner.
class World {
 public:
  // An empty world: add nodes with AddNode.
  explicit World(Loop& loop, WorldOptions options = {});
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  // Crashes nothing and notes nothing: cancels every node's tasks (newest
  // node first), then the network's deliveries in flight.
  ~World();

  // Adds a node with the next id (1, 2, ...) and starts it: its start
  // routine is spawned now and runs at a later scheduling point. Draws the
  // node's clock skew. The name must be unique; traces use it.
  Node& AddNode(std::string name, StartRoutine start);

  // Requires 1 <= id <= node_count().
  Node& node(NodeId id) const;
  // nullptr if no node has that name.
  Node* FindNode(std::string_view name) const;
  // How many nodes were added (crashed ones included).
  size_t node_count() const { return nodes_.size(); }
  // 1, 2, ..., node_count().
  std::vector<NodeId> node_ids() const;

  // ---- Faults (see Node) ----

  void Crash(NodeId id) { node(id).Crash(); }
  void Restart(NodeId id) { node(id).Restart(); }
  void Pause(NodeId id) { node(id).Pause(); }
  void Resume(NodeId id) { node(id).Resume(); }

  // The liveness phase: heals every partition, restarts crashed nodes,
  // resumes paused ones, and turns the faults off: message loss and
  // duplication, every disk fault and BUGGIFY (latency and clock skew stay,
  // being facts rather than faults). A nemesis stops at its next tick. Later
  // faults a test injects by hand still happen. Idempotent.
  void Quiesce();
  // Whether Quiesce was called.
  bool quiesced() const { return quiesced_; }

  // The Loop everything runs on; the network and BUGGIFY shared by all nodes;
  // the options the world was made with (Quiesce changes the live ones, not these).
  Loop& loop() const { return *loop_; }
  Network& network() { return network_; }
  Buggify& buggify() { return buggify_; }
  const WorldOptions& options() const { return options_; }

 private:
  Loop* loop_;
  WorldOptions options_;
  Network network_;
  Buggify buggify_;
  std::vector<std::unique_ptr<Node>> nodes_;  // index id - 1
  // Every node's name, for FindNode and AddNode's uniqueness check in O(log n).
  absl::btree_map<std::string, NodeId, std::less<>> ids_by_name_;
  bool quiesced_ = false;
};

// LAPLACE_BUGGIFY's overload for a World.
inline bool BuggifyFire(World& world, SourceLocation where) { return world.buggify().Fire(where); }

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_WORLD_H_
