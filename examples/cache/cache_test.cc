// Proves Laplace finds the read-through cache's stale read after a concurrent
// invalidation, shrinks it and replays it exactly, and that the leased cache
// never serves a value older than a completed update on any schedule it tries.
#include <cmath>

#include "examples/cache/cache_property.h"
#include "properties/property.h"

namespace laplace::examples {
namespace {

using properties::PropertyOptions;

CacheScenario Scenario(bool fixed, int readers, int updates) {
  return CacheScenario{.cache = {.fixed = fixed},
                       .keys = 2,
                       .readers = readers,
                       .gets_per_reader = 3,
                       .updates = updates};
}

// One of RapidCheck's arbitrary ints, folded into [1, max] to keep runs small.
int Small(int value, int max) { return 1 + std::abs(value % max); }

// RapidCheck generates the workload's size; Laplace the schedule.
LAPLACE_PROPERTY(Cache, LeasedFillsNeverServeStaleValues, (int readers, int updates)) {
  CheckReadsAfterUpdates(sim, Scenario(/*fixed=*/true, Small(readers, 3), Small(updates, 5)));
}

// A fast sweep of many seeds of the same property.
LAPLACE_PROPERTY_WITH_OPTIONS(Cache, LeasedFillsNeverServeStaleValuesOnThousandsOfSeeds,
                              (PropertyOptions{.sweep_seeds = 3000}), ()) {
  CheckReadsAfterUpdates(sim, Scenario(/*fixed=*/true, /*readers=*/2, /*updates=*/3));
}

// The bug zoo: the unleased cache caches a value read before a concurrent
// invalidation and serves it after the update completed; Laplace must find
// that, shrink it and replay it to the same trace digest. Its checked-in
// replay (replays/Cache.UnleasedFillServesStaleValueAfterUpdate/) must keep
// reproducing.
LAPLACE_PROPERTY_WITH_OPTIONS(Cache, UnleasedFillServesStaleValueAfterUpdate,
                              (PropertyOptions{.sweep_seeds = 1000, .expect_failure = true}), ()) {
  CheckReadsAfterUpdates(sim, Scenario(/*fixed=*/false, /*readers=*/1, /*updates=*/2));
}

}  // namespace
}  // namespace laplace::examples
