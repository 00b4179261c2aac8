// The replicated store's property: once the faults stop, every write is
// acknowledged; and an acknowledged write survives the loss of the primary.
//
// CheckReplication runs the scenario's world (ScenarioWorld, scenario.h:
// swarm-drawn faults, a nemesis, a client writing k0, k1, ...) on a
// properties::Simulation, in three phases, and reports the two ways the store
// can be wrong as two distinct failures, so that shrinking one never slips
// to the other:
//   1. faults, for options.fault_phase of virtual time;
//   2. liveness: World::Quiesce(), then every write must be acknowledged
//      within options.liveness_timeout, else the failure
//      "liveness:all-writes-acknowledged" (kind "liveness");
//   3. safety: after options.settle the primary is lost for good and every
//      acknowledged write is read from the backup; one that is missing or
//      different is the failure "invariant:acknowledged-writes-durable"
//      (kind "invariant").
// The buggy primary (buggy.h) breaks 3; a client that never retries
// (ScenarioOptions::client_retries = false) breaks 2; the fixed primary with
// a retrying client keeps both.
//
//   LAPLACE_PROPERTY(ReplicatedKv, TheFixedPrimaryKeepsEveryAcknowledgedWrite, ()) {
//     using namespace laplace::examples::replicated_kv;
//     CheckReplication(sim, {.variant = Variant::kFixed});
//   }
#ifndef LAPLACE_EXAMPLES_REPLICATED_KV_PROPERTY_H_
#define LAPLACE_EXAMPLES_REPLICATED_KV_PROPERTY_H_

#include "examples/replicated_kv/scenario.h"
#include "properties/simulation.h"

namespace laplace::examples::replicated_kv {

// The failure sites (a failure's signature is "kind:site").
inline constexpr char kWritesDurable[] = "acknowledged-writes-durable";   // an invariant
inline constexpr char kWritesAcknowledged[] = "all-writes-acknowledged";  // liveness

// Builds the scenario on sim.loop() and runs its three phases (see the
// banner) to the end or to the first failure. Deterministic: the Loop's seed
// or tape decides everything.
void CheckReplication(properties::Simulation& sim, const ScenarioOptions& options);

}  // namespace laplace::examples::replicated_kv

#endif  // LAPLACE_EXAMPLES_REPLICATED_KV_PROPERTY_H_
