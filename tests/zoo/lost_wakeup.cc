// Lost wakeup: the consumer checks `ready` without the lock, then (after an await) waits on
// the condition; the producer's notify in between finds no waiter and is lost, so the consumer
// waits forever (a deadlock). Fixed: check and wait under the lock (Condition::WaitFor).
#include "loop/condition.h"
#include "loop/lock.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Mailbox {
  explicit Mailbox(Loop& loop) : lock(loop, "mailbox"), filled(loop, lock, "filled") {}
  Lock lock;
  Condition filled;
  bool ready = false;
};

Task<> Consumer(Loop& loop, Mailbox& box, bool fixed) {
  if (fixed) {
    LockGuard guard = co_await box.lock.Acquire();
    co_await box.filled.WaitFor(guard, [&box] { return box.ready; });
    co_return;
  }
  if (!box.ready) {
    co_await loop.Yield();  // logging that it is about to wait
    LockGuard guard = co_await box.lock.Acquire();
    co_await box.filled.Wait(guard);
  }
}

Task<> Producer(Mailbox& box) {
  LockGuard guard = co_await box.lock.Acquire();
  box.ready = true;
  box.filled.NotifyOne();
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Mailbox box(loop);
  TaskSet tasks(loop);
  tasks.Spawn(Consumer(loop, box, fixed), "consumer");
  tasks.Spawn(Producer(box), "producer");
  sim.Run();  // a consumer left waiting is a deadlock, which fails the run
}

}  // namespace

ZooProgram LostWakeup() {
  return {"lost_wakeup", "a notify sent between a waiter's check and its wait is lost", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
