// A cancellation that leaks a slot: a worker takes a connection slot by hand and gives it back
// after its request (an await); cancelled at that await, its frame is destroyed and the slot is
// never returned. Fixed: the slot is held by a guard whose destructor returns it.
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Pool {
  int in_use = 0;
};

class Slot {
 public:
  explicit Slot(Pool& pool) : pool_(pool) { ++pool_.in_use; }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() { --pool_.in_use; }

 private:
  Pool& pool_;
};

Task<> Worker(Loop& loop, Pool& pool, bool fixed) {
  if (fixed) {
    Slot slot(pool);
    co_await loop.Yield();  // the request
    co_return;
  }
  ++pool.in_use;
  co_await loop.Yield();  // the request
  --pool.in_use;
}

Task<> Canceller(Loop& loop, TaskHandle<> worker) {
  co_await loop.Yield();  // the caller gives up
  worker.Cancel();
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Pool pool;
  TaskSet tasks(loop);
  TaskHandle<> worker = tasks.Spawn(Worker(loop, pool, fixed), "worker");
  tasks.Spawn(Canceller(loop, worker), "canceller");
  sim.Run();
  LAPLACE_ASSERT_EQ(pool.in_use, 0) << "a cancelled worker kept its slot";
}

}  // namespace

ZooProgram CancellationLeak() {
  return {"cancellation_leak", "a task cancelled at an await never returns the slot it took", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
