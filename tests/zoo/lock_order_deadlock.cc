// Lock-order deadlock: one transfer locks `a` then `b`, the other `b` then `a`, each with an
// await in between. Fixed: both take the locks in the same order.
#include "loop/lock.h"

#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

Task<> Transfer(Loop& loop, Lock& first, Lock& second) {
  LockGuard one = co_await first.Acquire();
  co_await loop.Yield();  // reading the first account
  LockGuard two = co_await second.Acquire();
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Lock a(loop, "account-a");
  Lock b(loop, "account-b");
  TaskSet tasks(loop);
  tasks.Spawn(Transfer(loop, a, b), "a-to-b");
  tasks.Spawn(fixed ? Transfer(loop, a, b) : Transfer(loop, b, a), "b-to-a");
  sim.Run();  // a deadlock fails the run
}

}  // namespace

ZooProgram LockOrderDeadlock() {
  return {"lock_order_deadlock", "two tasks take two locks in opposite orders", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
