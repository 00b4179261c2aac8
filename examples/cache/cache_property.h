// The cache's property: no read goes back in time past a completed update.
//
// CheckReadsAfterUpdates runs one writer task that updates random keys to
// ever newer versions, one update at a time (so the store's versions only
// grow), and `readers` tasks that Get random keys; keys and pauses are drawn
// from the Loop, so they are on the tape and shrink too. The invariant
// "no-stale-read-after-update", checked after every scheduling step: once an
// Update of a key has completed, a Get of that key that starts later returns
// that version or a newer one. The buggy cache breaks it (a read that raced
// an invalidation caches the old value); the fixed one never does.
//
// The check is an invariant over the reads seen so far rather than a
// LAPLACE_ASSERT in the reader, so that its signature is a name that stays
// put when the file is edited, not a line number; recorded replay files
// depend on it.
//
//   LAPLACE_PROPERTY(Cache, LeasedFillsNeverServeStaleValues, ()) {
//     laplace::examples::CheckReadsAfterUpdates(sim, {.cache = {.fixed = true}});
//   }
#ifndef LAPLACE_EXAMPLES_CACHE_CACHE_PROPERTY_H_
#define LAPLACE_EXAMPLES_CACHE_CACHE_PROPERTY_H_

#include "examples/cache/cache.h"
#include "properties/simulation.h"

namespace laplace::examples {

struct CacheScenario {
  CacheOptions cache;
  int keys = 2;
  // Reader tasks ("reader-0", ...) and the Gets each makes.
  int readers = 2;
  int gets_per_reader = 3;
  // Updates the writer task ("writer") makes, one after another.
  int updates = 3;
};

// Builds the store, the cache, the writer and the readers on sim.loop(), adds
// the invariant "no-stale-read-after-update", and runs the loop to the end.
void CheckReadsAfterUpdates(properties::Simulation& sim, const CacheScenario& scenario);

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_CACHE_CACHE_PROPERTY_H_
