#include "examples/lease/property.h"

#include "loop/task.h"
#include "sim/nemesis.h"

namespace laplace::examples::lease {

void CheckLeases(properties::Simulation& sim, const CheckOptions& options) {
  sim::WorldOptions world_options;
  world_options.network.drop_ratio = {1, 50};
  world_options.network.latency_min = std::chrono::milliseconds(1);
  world_options.network.latency_max = options.latency_max;
  sim::World world(sim.loop(), world_options);
  LeaseBook book;
  AddLeaseService(world, options.lease, book);
  sim.AddInvariantStatus(kWritesHoldTheirLease, [&book] { return book.violation(); });
  sim::NemesisOptions nemesis{.interval_min = std::chrono::milliseconds(100),
                              .interval_max = std::chrono::milliseconds(100),
                              .crash_ratio = {1, 20},
                              .restart_ratio = {1, 1},
                              .targets = {kLockServer}};
  sim.loop().Spawn(sim::RunNemesis(world, nemesis),
                   SpawnOptions{.label = "nemesis", .daemon = true});
  sim.RunFor(options.fault_phase);
  if (sim.failed()) return;
  world.Quiesce();
  sim.RunFor(options.settle);
}

}  // namespace laplace::examples::lease
