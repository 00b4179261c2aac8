// Order violation (use before init): the starter spawns the worker, then loads the
// configuration (an await); the worker may read it first. Fixed: the worker waits for an
// Event the starter sets once the configuration is loaded.
#include <optional>

#include "loop/event.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Service {
  std::optional<int> config;
  bool used_before_init = false;
};

Task<> Worker(Service& service, Event* loaded) {
  if (loaded != nullptr) co_await loaded->Wait();
  if (!service.config.has_value()) service.used_before_init = true;
}

Task<> Starter(Loop& loop, TaskSet& tasks, Service& service, Event* loaded) {
  tasks.Spawn(Worker(service, loaded), "worker");
  co_await loop.Yield();  // reading the configuration file
  service.config = 42;
  if (loaded != nullptr) loaded->Set();
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Service service;
  Event loaded(loop, "config-loaded");
  TaskSet tasks(loop);
  tasks.Spawn(Starter(loop, tasks, service, fixed ? &loaded : nullptr), "starter");
  sim.Run();
  LAPLACE_ASSERT(!service.used_before_init)
      << "the worker read the configuration before it was set";
}

}  // namespace

ZooProgram OrderViolation() {
  return {"order_violation", "a task uses what another has not initialised yet", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
