// ABA on a versioned cell: an updater reads the value, computes (an await), and swaps only if
// the value is unchanged; another task changed it and changed it back meanwhile, so the swap
// succeeds over two writes it never saw. Fixed: compare the version, not the value.
#include <cstdint>

#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Cell {
  int value = 0;
  uint64_t version = 0;
  bool swapped_over_unseen_writes = false;

  void Write(int v) {
    value = v;
    ++version;
  }
};

Task<> Updater(Loop& loop, Cell& cell, bool fixed) {
  const int seen = cell.value;
  const uint64_t seen_version = cell.version;
  co_await loop.Yield();  // computing the new value
  const bool unchanged = fixed ? cell.version == seen_version : cell.value == seen;
  if (!unchanged) co_return;
  if (cell.version != seen_version) cell.swapped_over_unseen_writes = true;
  cell.Write(seen + 100);
}

Task<> Flipper(Loop& loop, Cell& cell) {
  cell.Write(1);
  co_await loop.Yield();
  cell.Write(0);
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Cell cell;
  TaskSet tasks(loop);
  tasks.Spawn(Updater(loop, cell, fixed), "updater");
  tasks.Spawn(Flipper(loop, cell), "flipper");
  sim.Run();
  LAPLACE_ASSERT(!cell.swapped_over_unseen_writes) << "a compare-and-swap missed two writes";
}

}  // namespace

ZooProgram AbaVersionedCell() {
  return {"aba_versioned_cell", "a compare-and-swap by value misses a change and change back", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
