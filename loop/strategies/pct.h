// PCT: probabilistic concurrency testing with priority change points.
//
// Burckhardt, Kothari, Musuvathi, Nagarakatte, "A Randomized Scheduler with
// Probabilistic Guarantees of Finding Bugs", ASPLOS 2010. Every task gets a
// random priority when it is spawned (all distinct), and the highest-priority
// ready task always runs. Before the run, d - 1 change points are drawn among
// the run's first k scheduling steps; at the i-th, the task about to run drops
// to priority i, below every initial priority.
//
// Guarantee: for a program of n tasks and at most k scheduling steps (steps
// with two or more ready tasks), a bug of depth d (d ordering constraints
// between events must hold) is found by one run with probability at least
// 1 / (n * k^(d-1)). Depth 1 is a wrong order of two tasks; an atomicity
// violation is depth 2; most real bugs have a small depth.
//
// Laplace's choices, where the paper leaves room:
//   - k is estimated, not guessed by the user: the longest run this strategy
//     has seen (in scheduling steps), plus a quarter, or `steps_default`
//     before it has seen one. PctOptions::steps fixes it (for reproducing a
//     seed exactly: the report and the replay file give the k used).
//   - A task that keeps yielding while it has the highest priority (a poller)
//     would starve the others forever; after `yields_max` consecutive picks of
//     the same yielding task it drops below every priority, as Coyote and
//     shuttle lower a yielding task (they do it at every yield, which would
//     make every Yield() a change point).
//   - Randomness comes from the run's seed (strategy.h); picks are decided,
//     so the tape records them as the random walk's and replays need no PCT.
//
//   laplace::strategies::Pct pct({.depth = 2});
//   for (uint64_t seed = 0; seed < 1000; ++seed) {
//     laplace::Loop loop({.seed = seed, .strategy = &pct});  // learns k run by run
//     ...
//   }
#ifndef LAPLACE_LOOP_STRATEGIES_PCT_H_
#define LAPLACE_LOOP_STRATEGIES_PCT_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"  // allowed: lookups only
#include "loop/loop.h"
#include "loop/prng.h"
#include "loop/strategy.h"

namespace laplace::strategies {

struct PctOptions {
  // d: the depth of the bugs targeted; d - 1 change points per run. At least 1.
  int depth = 3;
  // k: the run length assumed, in scheduling steps; 0 estimates it (see the banner).
  uint64_t steps = 0;
  // k for the first run, before any run was seen.
  uint64_t steps_default = 50;
  // Consecutive picks of one yielding task before it is lowered (the poller guard).
  uint64_t yields_max = 32;
};

class Pct final : public Strategy {
 public:
  explicit Pct(PctOptions options = {});

  std::string_view name() const override { return "pct"; }
  // depth, and steps: the k the current (or last) run used.
  StrategyConfig config() const override;

  void OnRunStart(Loop& loop) override;
  void OnRunEnd(const Loop& loop) override;
  void OnSpawn(Loop& loop, TaskId task) override;
  void OnFinish(TaskId task) override { priorities_.erase(task); }
  size_t Pick(SchedulingPoint& point) override;

  // The k the next run will use (PctOptions::steps, or the estimate).
  uint64_t NextSteps() const;
  // The longest run seen, in scheduling steps.
  uint64_t longest() const { return longest_; }

 private:
  // The index of the highest-priority candidate.
  size_t Highest(const SchedulingPoint& point) const;
  int64_t PriorityOf(TaskId task) const;

  PctOptions options_;
  uint64_t longest_ = 0;  // across runs

  // The current run.
  Prng prng_{0};
  uint64_t steps_ = 0;                           // Pick calls so far
  uint64_t run_steps_k_ = 0;                     // the k this run uses
  std::vector<uint64_t> change_points_;          // step numbers in [1, k], in drawing order
  // Higher runs first.
  absl::flat_hash_map<TaskId, int64_t> priorities_;  // allowed: lookups only
  int64_t lowest_ = 0;                           // the poller guard's priorities go below
  TaskId streak_task_ = 0;                       // the yielder picked in a row
  uint64_t streak_ = 0;
};

}  // namespace laplace::strategies

#endif  // LAPLACE_LOOP_STRATEGIES_PCT_H_
