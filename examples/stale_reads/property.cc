#include "examples/stale_reads/property.h"

#include <string>
#include <vector>

#include "properties/linearizability/check_linearizable.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/models.h"
#include "properties/linearizability/record.h"
#include "sim/nemesis.h"
#include "sim/world.h"

namespace laplace::examples::stale_reads {
namespace {

using linearizability::History;
using linearizability::Process;
using linearizability::Record;

const std::vector<sim::NodeId> kReplicas = {1, 2, 3};

Task<> Idle(sim::Node& node) { co_await node.loop().Yield(); }

// One client: `operations` reads and writes of fresh values, each recorded.
Task<> Workload(sim::Node& node, History& history, Process me, ReadMode mode, int operations,
                int64_t& next_value) {
  QuorumClient client(node, kReplicas, static_cast<int64_t>(node.id()), mode);
  for (int i = 0; i < operations; ++i) {
    co_await node.loop().Sleep(std::chrono::milliseconds(10) *
                               static_cast<int64_t>(node.loop().Choose(10, ChoiceKind::kDelay)));
    if (node.loop().Choose(2) == 0) {
      (void)co_await Record(history, {me, "read"}, client.Read());
    } else {
      int64_t value = next_value++;
      (void)co_await Record(history, {me, "write", value}, client.Write(value));
    }
  }
}

}  // namespace

void CheckRegister(properties::Simulation& sim, const RegisterOptions& options) {
  // The history and the value counter outlive the world, whose destructor
  // cancels the clients that use them.
  History history(sim.loop());
  int64_t next_value = 1;
  sim::World world(sim.loop(), {.network = {.latency_min = std::chrono::milliseconds(2),
                                            .latency_max = std::chrono::milliseconds(2)}});
  for (const char* name : {"r1", "r2", "r3"}) world.AddNode(name, ServeReplica);
  for (int c = 0; c < options.clients; ++c) {
    sim::Node& node = world.AddNode("c" + std::to_string(c + 1), Idle);
    node.Spawn(Workload(node, history, c, options.mode, options.operations_per_client, next_value),
               "workload");
  }
  sim.loop().Spawn(sim::RunNemesis(world, {.partition_ratio = {1, 3}, .heal_ratio = {1, 2}}),
                   SpawnOptions{.label = "nemesis", .daemon = true});
  sim.RunFor(options.fault_phase);
  if (sim.failed()) return;
  world.Quiesce();
  sim.Run();  // the clients finish: every round ends within kRoundTimeout
  if (sim.failed()) return;
  linearizability::CheckLinearizable(sim, history, linearizability::RegisterModel{}, "register");
}

}  // namespace laplace::examples::stale_reads
