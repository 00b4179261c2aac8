// A barrier reused too early: two workers exchange a value per phase through one buffer and
// a Barrier; a worker that passes the barrier writes the next phase's value before its peer
// has read this phase's. Fixed: two buffers, alternating by phase.
#include <array>

#include "loop/barrier.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Exchange {
  Exchange(Loop& loop, bool fixed) : phase_end(loop, 2, "phase-end"), fixed(fixed) {}
  Barrier phase_end;
  const bool fixed;
  std::array<std::array<int, 2>, 2> buffers{};  // [buffer][worker]
  bool read_a_later_phase = false;

  std::array<int, 2>& For(int phase) { return buffers[fixed ? phase % 2 : 0]; }
};

Task<> Worker(Loop& loop, Exchange& exchange, int me) {
  for (int phase = 1; phase <= 3; ++phase) {
    exchange.For(phase)[me] = phase;
    co_await exchange.phase_end.Wait();
    co_await loop.Yield();  // using the peer's value
    if (exchange.For(phase)[1 - me] != phase) exchange.read_a_later_phase = true;
  }
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Exchange exchange(loop, fixed);
  TaskSet tasks(loop);
  tasks.Spawn(Worker(loop, exchange, 0), "worker-0");
  tasks.Spawn(Worker(loop, exchange, 1), "worker-1");
  sim.Run();
  LAPLACE_ASSERT(!exchange.read_a_later_phase) << "a worker read its peer's next-phase value";
}

}  // namespace

ZooProgram BarrierReuse() {
  return {"barrier_reuse", "a buffer behind a barrier is rewritten before the peer read it", 0,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
