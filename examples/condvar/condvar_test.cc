// Proves Laplace finds the hand-written CondVar's lost wakeup (as a liveness
// failure of a bounded buffer), shrinks it and replays it exactly, and that
// the fixed CondVar delivers every item on every schedule it tries.
#include <cmath>

#include "examples/condvar/buffer_property.h"
#include "properties/property.h"

namespace laplace::examples {
namespace {

using properties::PropertyOptions;

HandoffScenario Scenario(bool fixed, int items, size_t capacity) {
  return HandoffScenario{.buffer = {.capacity = capacity, .fixed = fixed}, .items = items};
}

// One of RapidCheck's arbitrary ints, folded into [1, max] to keep runs small.
int Small(int value, int max) { return 1 + std::abs(value % max); }

// RapidCheck generates the workload's size; Laplace the schedule.
LAPLACE_PROPERTY(CondVar, FixedWaitDeliversEveryItem, (int items, int capacity)) {
  CheckHandoff(sim, Scenario(/*fixed=*/true, Small(items, 8), Small(capacity, 3)));
}

// A fast sweep of many seeds of the same property.
LAPLACE_PROPERTY_WITH_OPTIONS(CondVar, FixedWaitDeliversEveryItemOnThousandsOfSeeds,
                              (PropertyOptions{.sweep_seeds = 3000}), ()) {
  CheckHandoff(sim, Scenario(/*fixed=*/true, /*items=*/5, /*capacity=*/1));
}

// The bug zoo: the buggy Wait loses a wakeup and the consumer sleeps forever;
// Laplace must find that, shrink it and replay it to the same trace digest.
// Its checked-in replay (replays/CondVar.LostWakeupStrandsTheConsumer/) must
// keep reproducing.
LAPLACE_PROPERTY_WITH_OPTIONS(CondVar, LostWakeupStrandsTheConsumer,
                              (PropertyOptions{.sweep_seeds = 1000, .expect_failure = true}), ()) {
  CheckHandoff(sim, Scenario(/*fixed=*/false, /*items=*/3, /*capacity=*/1));
}

}  // namespace
}  // namespace laplace::examples
