#include "examples/heartbeat/heartbeat_property.h"

#include "loop/event.h"
#include "loop/task.h"
#include "properties/assertions.h"

namespace laplace::examples {
namespace {

struct Node {
  explicit Node(Loop& loop) : beat(loop, "heartbeat") {}
  Event beat;
  bool declared_dead = false;
};

Task<> Heartbeat(Loop& loop, Node& node) {
  co_await loop.Yield();  // preparing the heartbeat
  loop.Note("heartbeat written");
  node.beat.Set();
}

Task<> Monitor(Loop& loop, Node& node, HeartbeatScenario scenario) {
  for (int i = 0; i < scenario.probes; ++i) co_await loop.Yield();  // a probe
  if (scenario.fixed) co_await node.beat.Wait();
  if (!node.beat.is_set()) {
    loop.Note("no heartbeat after the probes: the node is declared dead");
    node.declared_dead = true;
  }
}

}  // namespace

void CheckHeartbeat(properties::Simulation& sim, const HeartbeatScenario& scenario) {
  Loop& loop = sim.loop();
  Node node(loop);
  // The heartbeat first: the least surprising schedule (it runs first and keeps running) is
  // fine; the monitor must run first and then every one of its probes before the beat.
  TaskHandle<> heartbeat = loop.Spawn(Heartbeat(loop, node), "heartbeat");
  TaskHandle<> monitor = loop.Spawn(Monitor(loop, node, scenario), "monitor");
  sim.Run();
  LAPLACE_ASSERT(!node.declared_dead) << "a live node was declared dead";
}

}  // namespace laplace::examples
