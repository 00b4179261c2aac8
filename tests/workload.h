// A workload that exercises every kind of decision the loop makes (schedule,
// timer ties, draws), every primitive and cancellation, for determinism
// tests. Its trace digest must depend only on the seed.
//
//   laplace::Loop loop({.seed = 7});
//   laplace::tests::RunWorkload(loop);
//   uint64_t digest = loop.digest();
#ifndef LAPLACE_TESTS_WORKLOAD_H_
#define LAPLACE_TESTS_WORKLOAD_H_

#include "loop/loop.h"

namespace laplace::tests {

// Spawns the workload's tasks on `loop` and runs it to the end. Returns the
// run's result (always ok for a correct loop).
RunResult RunWorkload(Loop& loop);

}  // namespace laplace::tests

#endif  // LAPLACE_TESTS_WORKLOAD_H_
