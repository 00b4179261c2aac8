// The bounded search over a property's body: every schedule with at most b preemptions.
//
// SearchBounded runs `body` once per schedule of a strategies::BoundedSearch (depth first,
// iterative preemption bounding: bound 0, then 1, ..., then b), through RunOnce like every
// other run, and stops at the first failure. When it runs out of schedules instead, every
// schedule with at most b preemptions (and every value of every other choice) has passed:
// for a program that is deterministic given its choices, a proof that none of them fails.
// The pipeline runs it for `--laplace_strategy=bounded:preemptions=B`; the bug zoo's tests
// and bench/strategies call it directly.
//
//   BoundedResult result = SearchBounded(body, {.preemptions_max = 2}, {});
//   if (result.failing) ... result.failing->preemptions, shrink it, write a replay ...
//   else if (result.exhausted) ... "no schedule with at most 2 preemptions fails" ...
#ifndef LAPLACE_PROPERTIES_BOUNDED_H_
#define LAPLACE_PROPERTIES_BOUNDED_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "loop/strategies/bounded_search.h"
#include "properties/runner.h"

namespace laplace::properties {

struct BoundedResult {
  uint64_t schedules = 0;  // runs made
  uint64_t discarded = 0;  // of those, rejected by a precondition (RC_PRE)
  int bound = 0;           // the preemption bound of the last schedule run
  // Every schedule within the bound ran and passed: the proof.
  bool exhausted = false;
  // The wall-clock budget ran out first.
  bool budget_exhausted = false;
  std::optional<RunReport> failing;         // the first failing run
  std::optional<std::string> nondeterminism;  // the program is not deterministic given its choices
  std::chrono::milliseconds elapsed{0};

  // "all 14 schedules with at most 2 preemptions pass (the bounded space is exhausted: no
  // schedule with at most 2 preemptions fails)", or why it stopped.
  std::string Summary(int preemptions_max) const;
};

// Runs `body` on every schedule of the bounded search until one fails, the space is
// exhausted, options.schedules_max schedules have run, or `budget` (zero: none) is spent.
// `run` gives every run's budgets; its strategy and source are the search's.
BoundedResult SearchBounded(const Body& body, const strategies::BoundedSearchOptions& options,
                            const RunOptions& run,
                            std::chrono::milliseconds budget = std::chrono::milliseconds(0));

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_BOUNDED_H_
