// A bounded queue off by one: a hand-written ring of two slots whose "not full" test is
// count <= capacity, so a producer that gets two items ahead of the consumer writes a third
// over the oldest. Fixed: count < capacity.
#include <array>

#include "loop/condition.h"
#include "loop/lock.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Ring {
  static constexpr int kCapacity = 2;
  Ring(Loop& loop, bool fixed)
      : lock(loop, "ring"), changed(loop, lock, "ring-changed"), fixed(fixed) {}
  Lock lock;
  Condition changed;
  const bool fixed;
  std::array<int, kCapacity> slots{};
  int head = 0;
  int count = 0;
  bool overwrote = false;

  bool NotFull() const { return fixed ? count < kCapacity : count <= kCapacity; }
};

Task<> Producer(Loop& loop, Ring& ring, int items) {
  for (int i = 1; i <= items; ++i) {
    {
      LockGuard guard = co_await ring.lock.Acquire();
      co_await ring.changed.WaitFor(guard, [&ring] { return ring.NotFull(); });
      if (ring.count >= Ring::kCapacity) ring.overwrote = true;
      ring.slots[(ring.head + ring.count) % Ring::kCapacity] = i;
      ring.count = ring.count < Ring::kCapacity ? ring.count + 1 : ring.count;
      ring.changed.NotifyAll();
    }
    co_await loop.Yield();  // making the next item
  }
}

Task<> Consumer(Ring& ring, int items) {
  for (int i = 1; i <= items; ++i) {
    LockGuard guard = co_await ring.lock.Acquire();
    co_await ring.changed.WaitFor(guard, [&ring] { return ring.count > 0; });
    ring.head = (ring.head + 1) % Ring::kCapacity;
    --ring.count;
    ring.changed.NotifyAll();
  }
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Ring ring(loop, fixed);
  TaskSet tasks(loop);
  tasks.Spawn(Consumer(ring, 3), "consumer");
  tasks.Spawn(Producer(loop, ring, 3), "producer");
  sim.Run();
  LAPLACE_ASSERT(!ring.overwrote) << "an item was written over one not yet consumed";
}

}  // namespace

ZooProgram BoundedQueueOffByOne() {
  return {"bounded_queue_off_by_one", "a full ring takes one item more than it holds", 0,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
