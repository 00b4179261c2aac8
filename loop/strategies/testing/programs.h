// Small programs with a known bug, built to tell strategies apart, for the strategies' tests.
//
// Each runs one Loop with the given options and says whether the bug showed. They draw nothing
// but scheduling picks, so a run is a pure function of its strategy and seed (or tape).
//
//   laplace::strategies::Pct pct({.depth = 2});
//   bool failed = laplace::strategies::testing::RunDepthTwo({.seed = 3, .strategy = &pct});
#ifndef LAPLACE_LOOP_STRATEGIES_TESTING_PROGRAMS_H_
#define LAPLACE_LOOP_STRATEGIES_TESTING_PROGRAMS_H_

#include <functional>

#include "loop/loop.h"

namespace laplace::strategies::testing {

// Two tasks increment a counter with a scheduling point between the read and the write; the
// bug (a lost update) needs exactly one preemption.
bool RunLostUpdate(LoopOptions options);

// A depth-2 bug among `noise + 2` tasks: the checker must run after the setter sets a flag
// and before it clears it (a Yield() apart); `noise` other tasks yield `noise_yields` times
// each, lengthening the run.
bool RunDepthTwo(LoopOptions options, int noise = 2, int noise_yields = 3);

// The bug needs a reader's `reader_steps` steps on a resource of its own, and then its read
// of x, all to run before a writer's single write of x. With the resources named
// (Yield("x"), Yield("reader")), POS keeps the writer's priority while the reader's
// independent steps run; the random walk gives the writer a turn at every step.
bool RunNamedLateWrite(LoopOptions options, int reader_steps = 8);

// The same shape with bare yields: a writer of two steps and a reader of `reader_steps`;
// the bug needs the reader to finish before the writer's second step. SURW, once it has
// learned the tasks' lengths, samples the interleavings of their steps uniformly.
bool RunBareLateWrite(LoopOptions options, int reader_steps = 9);

// How many of seeds [0, seeds) fail `program` with `strategy` (one strategy object for all).
int CountFailures(const std::function<bool(LoopOptions)>& program, Strategy* strategy, int seeds);

}  // namespace laplace::strategies::testing

#endif  // LAPLACE_LOOP_STRATEGIES_TESTING_PROGRAMS_H_
