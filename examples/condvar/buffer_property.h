// The bounded buffer's property: every item put is eventually taken.
//
// CheckHandoff runs one producer that puts `items` items and one consumer
// that takes them, each pausing for a delay drawn from the Loop between
// items (so the timing is on the tape and shrinks too). The buggy CondVar
// loses a wakeup and leaves the consumer (and, once the buffer is full, the
// producer) asleep forever; the fixed one never does.
//
// The symptom is checked as liveness, with sim.Eventually, rather than left
// to the Loop's deadlock detection: a lost wakeup in a real system rarely
// leaves *nothing* pending (a heartbeat, a lease timer or a daemon keeps the
// clock moving, and then a deadlock is never declared), while "every item is
// delivered within 1s" fails either way, and its signature names the promise
// that was broken ("liveness:every-item-delivered") rather than the symptom.
//
//   LAPLACE_PROPERTY(CondVar, FixedWaitDeliversEveryItem, ()) {
//     laplace::examples::CheckHandoff(sim, {.buffer = {.capacity = 1, .fixed = true},
//                                           .items = 3});
//   }
#ifndef LAPLACE_EXAMPLES_CONDVAR_BUFFER_PROPERTY_H_
#define LAPLACE_EXAMPLES_CONDVAR_BUFFER_PROPERTY_H_

#include "examples/condvar/buffer.h"
#include "properties/simulation.h"

namespace laplace::examples {

struct HandoffScenario {
  BufferOptions buffer;
  // Items the producer puts and the consumer takes, in order.
  int items = 3;
};

// Builds the buffer, its producer ("producer") and consumer ("consumer") on
// sim.loop(), requires that every item is delivered within 1s of virtual
// time ("every-item-delivered") and in order (LAPLACE_ASSERT), and runs the
// loop to the end.
void CheckHandoff(properties::Simulation& sim, const HandoffScenario& scenario);

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_CONDVAR_BUFFER_PROPERTY_H_
