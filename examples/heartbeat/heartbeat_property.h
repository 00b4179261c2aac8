// A failure detector that assumes the heartbeat task gets a turn soon: a bug that needs one
// task delayed across a whole run of another, which the random walk almost never schedules
// and SURW and PCT find in a few dozen schedules.
//
// The monitor probes `probes` times (an await each) and then declares the node dead unless a
// heartbeat was written; the heartbeat task starts, prepares (an await), and writes it. Only
// a schedule that runs all of the monitor's probes before the heartbeat's second step fails:
// the random walk gives the heartbeat a turn at almost every step (1 schedule in about
// 2^probes fails), SURW samples the interleavings of the two tasks' steps uniformly (about 1
// in probes + 1), PCT runs the higher-priority task first (1 in 2 at depth 1). The fix: the
// monitor waits for the heartbeat (an Event) instead of counting on a turn.
//
//   CheckHeartbeat(sim, {.probes = 16, .fixed = false});  // in a property body
#ifndef LAPLACE_EXAMPLES_HEARTBEAT_HEARTBEAT_PROPERTY_H_
#define LAPLACE_EXAMPLES_HEARTBEAT_HEARTBEAT_PROPERTY_H_

#include "properties/simulation.h"

namespace laplace::examples {

struct HeartbeatScenario {
  int probes = 16;     // the monitor's awaits before it decides
  bool fixed = false;  // wait for the heartbeat instead of counting on a turn
};

// Runs the monitor and the heartbeat and asserts the node is not declared dead.
void CheckHeartbeat(properties::Simulation& sim, const HeartbeatScenario& scenario);

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_HEARTBEAT_HEARTBEAT_PROPERTY_H_
