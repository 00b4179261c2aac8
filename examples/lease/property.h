// The lease service's property: no write is applied under a superseded lease.
//
// CheckLeases runs the service (lease.h) on a properties::Simulation for
// options.fault_phase with a nemesis that crashes the lock server (it
// restarts at the next tick) over a network that loses 1 message in 50 and
// delays each by up to options.latency_max, then quiesces and runs
// options.settle more. A stale write is the failure
// "invariant:writes-hold-their-lease". The buggy server breaks it (a crash
// and a delayed write); the fixed one keeps it.
//
//   LAPLACE_PROPERTY(Lease, TheFixedServerNeverLetsAStaleWriteIn, ()) {
//     laplace::examples::lease::CheckLeases(sim, {});
//   }
#ifndef LAPLACE_EXAMPLES_LEASE_PROPERTY_H_
#define LAPLACE_EXAMPLES_LEASE_PROPERTY_H_

#include "examples/lease/lease.h"
#include "properties/simulation.h"

namespace laplace::examples::lease {

inline constexpr char kWritesHoldTheirLease[] = "writes-hold-their-lease";

struct CheckOptions {
  LeaseOptions lease;
  Duration fault_phase = std::chrono::seconds(3);
  Duration settle = std::chrono::seconds(3);
  Duration latency_max = std::chrono::milliseconds(400);
};

void CheckLeases(properties::Simulation& sim, const CheckOptions& options);

}  // namespace laplace::examples::lease

#endif  // LAPLACE_EXAMPLES_LEASE_PROPERTY_H_
