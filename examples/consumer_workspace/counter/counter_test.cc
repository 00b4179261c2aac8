// Proves Laplace works from another workspace: a property of this workspace's code is explored,
// and a known bug in it is found, shrunk and replayed to the same trace, with Laplace as an
// external repository (@laplace).
#include "counter/counter.h"

#include <cstdlib>

#include "properties/property.h"

namespace consumer {
namespace {

using laplace::properties::PropertyOptions;

laplace::Task<> Adder(laplace::Loop& loop, Counter& counter, int adds) {
  for (int i = 0; i < adds; ++i) {
    co_await counter.Add(1);
    co_await loop.Yield();
  }
}

void Count(laplace::properties::Simulation& sim, bool locked, int adders) {
  Counter counter(sim.loop(), locked);
  for (int a = 0; a < adders; ++a) sim.loop().Spawn(Adder(sim.loop(), counter, 2));
  sim.Run();
  LAPLACE_ASSERT(counter.value() == 2 * adders) << "the counter is " << counter.value();
}

LAPLACE_PROPERTY(Counter, LockedAddsAreNeverLost, (int adders)) {
  Count(sim, /*locked=*/true, 1 + std::abs(adders % 4));
}

LAPLACE_PROPERTY_WITH_OPTIONS(Counter, UnlockedAddsGetLost,
                              (PropertyOptions{.sweep_seeds = 500, .expect_failure = true}), ()) {
  Count(sim, /*locked=*/false, 2);
}

}  // namespace
}  // namespace consumer
