// SURW: a (selectively) uniform random walk over interleavings.
//
// Zhao, Wolff, Mathur, Roychoudhury, "Selectively Uniform Concurrency
// Testing", ASPLOS 2025; shuttle's UrwRandomScheduler is the same algorithm.
// The random walk picks each ready task with the same probability, so it
// favours interleavings where short tasks run early: one step of a short
// task is as likely as one step of a long one, and a long task is overtaken
// at once. SURW picks each ready task with probability proportional to the
// number of steps it has left (its own, plus those of the tasks it will still
// spawn), which samples the interleavings of the tasks' steps uniformly.
//
// Guarantee (the paper's, for programs without blocking synchronization and
// with exact step counts): every interleaving of the tasks' events is sampled
// with the same probability, 1 / (the multinomial of their lengths). Blocking
// and estimated counts make it approximate.
//
// Laplace's choices:
//   - Steps left are learned from earlier runs of the same strategy object
//     (a sweep's, a RapidCheck search's): each task is known by its
//     signature (its parent's signature, its label, and which child of that
//     label it is), and its estimate is the most steps a task of that
//     signature took in any earlier run. A task never seen weighs 1, so the
//     first run is the random walk (as shuttle's estimation run).
//   - The events counted are all scheduling steps (the "selective" variant,
//     which counts only a chosen set of interesting events, is not done:
//     Laplace does not know which events matter to the bug).
//   - Randomness comes from the run's seed (strategy.h); picks are decided,
//     so the tape records them as the random walk's and replays need no SURW.
//
//   laplace::strategies::Surw surw;
//   for (uint64_t seed = 0; seed < 1000; ++seed) {
//     laplace::Loop loop({.seed = seed, .strategy = &surw});  // learns run by run
//     ...
//   }
#ifndef LAPLACE_LOOP_STRATEGIES_SURW_H_
#define LAPLACE_LOOP_STRATEGIES_SURW_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"  // allowed: lookups only
#include "loop/loop.h"
#include "loop/prng.h"
#include "loop/strategy.h"

namespace laplace::strategies {

class Surw final : public Strategy {
 public:
  std::string_view name() const override { return "surw"; }
  // runs: how many earlier runs the estimates were learned from; tasks: how many signatures.
  StrategyConfig config() const override;

  void OnRunStart(Loop& loop) override;
  void OnRunEnd(const Loop& loop) override;
  void OnSpawn(Loop& loop, TaskId task) override;
  void OnStep(TaskId task, const PendingOperation& operation) override;
  size_t Pick(SchedulingPoint& point) override;

  // The estimated steps of a task of `signature` and everything it spawns (0 if never seen).
  uint64_t EstimatedTotal(uint64_t signature) const;

 private:
  struct Learned {
    uint64_t steps = 0;              // the most steps one task of this signature took
    std::vector<uint64_t> children;  // the signatures it spawned, in the last run seen
  };
  struct Running {
    bool spawned = false;  // seen by OnSpawn this run (ids the strategy never saw stay false)
    uint64_t signature = 0;
    uint64_t steps = 0;      // taken this run
    uint64_t remaining = 1;  // the weight: estimated steps left (at least 1)
    absl::flat_hash_map<uint64_t, uint64_t> children_by_label;  // allowed: lookups only
    std::vector<uint64_t> children;                             // signatures spawned this run
  };

  uint64_t Total(uint64_t signature, int depth) const;
  // This run's record of `task`, or null if OnSpawn never saw it.
  Running* Find(TaskId task) {
    return task < running_.size() && running_[task].spawned ? &running_[task] : nullptr;
  }

  // By signature, across runs. Looked up only (OnRunEnd writes in task order, so the result does
  // not depend on the map's order).
  absl::flat_hash_map<uint64_t, Learned> learned_;  // allowed: lookups only
  uint64_t runs_ = 0;

  Prng prng_{0};
  // This run's tasks (finished ones too), indexed by TaskId: a Loop numbers its tasks 1, 2, ...
  // in each run, so this is dense, and a spawn or a step finds its task without a search.
  std::vector<Running> running_;
  absl::flat_hash_map<uint64_t, uint64_t> roots_by_label_;  // allowed: lookups only
  std::vector<uint64_t> weights_;                           // Pick's scratch
};

}  // namespace laplace::strategies

#endif  // LAPLACE_LOOP_STRATEGIES_SURW_H_
