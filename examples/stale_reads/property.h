// The replicated register's property: its client history is linearizable.
//
// CheckRegister builds the world on a properties::Simulation: replicas r1,
// r2, r3 (nodes 1-3) and `clients` client nodes, a fixed 2 ms latency (so
// messages on a link never reorder and only a fault can keep a replica
// behind), and a nemesis that opens and heals partitions. Each client
// writes fresh values (1, 2, 3, ...) and reads, one operation at a time,
// every call recorded in a History. After `fault_phase` the faults stop,
// the clients finish, and the history must be linearizable for a register,
// else the run fails as "linearizability:register" with the minimal witness.
//
//   LAPLACE_PROPERTY(StaleReads, QuorumReadsAreLinearizable, ()) {
//     CheckRegister(sim, {.mode = ReadMode::kQuorum});
//   }
#ifndef LAPLACE_EXAMPLES_STALE_READS_PROPERTY_H_
#define LAPLACE_EXAMPLES_STALE_READS_PROPERTY_H_

#include "examples/stale_reads/register.h"
#include "loop/time.h"
#include "properties/simulation.h"

namespace laplace::examples::stale_reads {

struct RegisterOptions {
  ReadMode mode = ReadMode::kQuorum;
  int clients = 3;
  int operations_per_client = 6;
  // How long the nemesis partitions the nodes before the faults stop.
  Duration fault_phase = std::chrono::seconds(1);
};

// Runs the world of the banner to the end, then checks the history.
// Deterministic: the Loop's seed or tape decides everything.
void CheckRegister(properties::Simulation& sim, const RegisterOptions& options);

}  // namespace laplace::examples::stale_reads

#endif  // LAPLACE_EXAMPLES_STALE_READS_PROPERTY_H_
