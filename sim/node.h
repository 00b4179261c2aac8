// Node: a simulated machine: a group of tasks that can crash and restart,
// with a network host, a disk and a clock of its own.
//
// A node's tasks form one Loop task group (the group id is the node id). Its
// start routine runs when the node starts and again at every restart; it
// builds the node's volatile state in its own frame and spawns whatever else
// the node runs. Crash() destroys every frame of the group at once (so RAII
// runs and nothing is ever resumed afterwards), loses what is in flight to
// the node and queued in its mailboxes, and loses the disk's unsynced
// writes: only the disk's durable data survives. Pause() freezes the group
// (timers still fire, messages still queue up in its mailboxes); Resume()
// lets it run again. Nodes are made by a World (world.h).
//
//   laplace::Task<> Serve(laplace::sim::Node& node) {
//     laplace::sim::Socket socket = node.Bind(80);
//     while (true) {
//       absl::StatusOr<laplace::sim::Message> request = co_await socket.Receive();
//       if (request.ok()) (void)socket.Reply(*request, "Pong", request->payload);
//     }
//   }
//   laplace::sim::Node& server = world.AddNode("server", Serve);
//   world.Crash(server.id());    // frames destroyed, unsynced writes lost
//   world.Restart(server.id());  // Serve runs again
#ifndef LAPLACE_SIM_NODE_H_
#define LAPLACE_SIM_NODE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "base/strings.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/time.h"
#include "sim/buggify.h"
#include "sim/clock.h"
#include "sim/disk.h"
#include "sim/network.h"
#include "sim/rpc.h"

namespace laplace::sim {

class Node;

// What a node runs when it starts and at every restart. A plain function or a
// capture-free lambda returning a Task<>, or a lambda that captures and calls
// a coroutine function (a coroutine lambda itself must not capture).
using StartRoutine = std::function<Task<>(Node&)>;

// A node's lifecycle: kUp <-> kPaused, kUp or kPaused -> kCrashed -> kUp.
enum class NodeState : uint8_t {
  kUp,
  kPaused,
  kCrashed,
};

// "up", "paused" or "crashed".
std::string_view NodeStateName(NodeState state);

// One simulated machine; see the banner. Owned by its World.
class Node {
 public:
  // Made by World::AddNode; adds the network host but does not start.
  Node(Loop& loop, Network& network, Buggify& buggify, NodeId id, std::string name,
       StartRoutine start, const DiskOptions& disk_options, const ClockOptions& clock_options);
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Its id (1, 2, ...), which is also its Loop task group.
  NodeId id() const { return id_; }
  // Its name in traces, task labels and addresses ("n1:80").
  const std::string& name() const { return name_; }
  NodeState state() const { return state_; }
  // Neither paused nor crashed.
  bool up() const { return state_ == NodeState::kUp; }
  // 1 for the first start, +1 at every restart.
  uint64_t incarnation() const { return incarnation_; }

  // The world's Loop, network and BUGGIFY; the node's own disk and clock.
  Loop& loop() const { return *loop_; }
  Network& network() const { return *network_; }
  Disk& disk() { return disk_; }
  const NodeClock& clock() const { return clock_; }
  Buggify& buggify() const { return *buggify_; }
  // The node's local time (its clock's, not the Loop's).
  Time Now() const { return clock_.Now(); }

  // ---- Network ----

  // This node's address at `port`.
  Address address(uint32_t port) const { return Address{id_, port}; }
  // Binds a port on this node (see Network::Bind).
  Socket Bind(uint32_t port) { return network_->Bind(address(port)); }
  // Binds a fresh ephemeral port on this node (see Network::BindEphemeral).
  Socket BindEphemeral() { return network_->BindEphemeral(id_); }
  // An RPC from this node (see rpc.h for the outcomes).
  Task<absl::StatusOr<Message>> Call(Address to, std::string kind, std::string payload,
                                     Duration timeout) {
    return sim::Call(*network_, id_, to, std::move(kind), std::move(payload), timeout);
  }

  // ---- Tasks ----

  // Spawns `task` in this node's group, labelled "<node>/<label>". A daemon
  // (a server loop) may stay blocked when the run ends. A task spawned on a
  // crashed node is cancelled at once (kUnavailable), never run.
  template <typename T>
  TaskHandle<T> Spawn(Task<T> task, std::string_view label = {}, bool daemon = false);

  // ---- Faults (World forwards to these) ----

  // Runs the start routine as daemon task "<node>/main". Called once, by
  // World::AddNode. A daemon because a node's main is usually a server that
  // never ends; so Loop::Run() does not wait for it: drive a world with
  // RunFor/RunUntil, or RunUntilComplete on a (non-daemon) workload task.
  void Start();
  // See above. A node may crash itself: the calling task then runs on until
  // its next suspension, and is destroyed there. Requires !crashed.
  void Crash();
  // Starts a new incarnation from the durable disk. Requires crashed.
  void Restart();
  // Requires up. Resume requires paused.
  void Pause();
  void Resume();

 private:
  Loop* loop_;
  Network* network_;
  Buggify* buggify_;
  NodeId id_;
  std::string name_;
  StartRoutine start_;
  Disk disk_;
  NodeClock clock_;
  NodeState state_ = NodeState::kUp;
  uint64_t incarnation_ = 1;
  bool started_ = false;
};

// LAPLACE_BUGGIFY's overload for a Node: its world's Buggify.
inline bool BuggifyFire(Node& node, SourceLocation where) { return node.buggify().Fire(where); }

// Implementation details follow.

template <typename T>
TaskHandle<T> Node::Spawn(Task<T> task, std::string_view label, bool daemon) {
  std::string full_label = ::laplace::internal::Cat(name_, "/", label.empty() ? "task" : label);
  TaskHandle<T> handle = loop_->Spawn(
      std::move(task), SpawnOptions{.label = full_label, .daemon = daemon, .group = id_});
  if (state_ == NodeState::kCrashed) {
    loop_->Cancel(handle.id(), absl::UnavailableError(::laplace::internal::Cat(name_, " is down")));
  }
  return handle;
}

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_NODE_H_
