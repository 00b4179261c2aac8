// Proves the lease example: the buggy server lets a stale write in (found,
// shrunk to a crash and a delayed write, and replayed from its recorded
// file), and the fixed server never does.
#include "examples/lease/property.h"
#include "properties/property.h"

namespace {

using laplace::examples::lease::CheckLeases;
using laplace::examples::lease::CheckOptions;
using laplace::examples::lease::Variant;
using laplace::properties::PropertyOptions;

LAPLACE_PROPERTY_WITH_OPTIONS(Lease, TheBuggyServerLetsAStaleWriteInAfterACrash,
                              (PropertyOptions{.sweep_seeds = 1000, .expect_failure = true}), ()) {
  CheckLeases(sim, {.lease = {.variant = Variant::kBuggy}});
}

LAPLACE_PROPERTY_WITH_OPTIONS(Lease, TheFixedServerNeverLetsAStaleWriteIn,
                              (PropertyOptions{.sweep_seeds = 300}), ()) {
  CheckLeases(sim, CheckOptions{});
}

}  // namespace
