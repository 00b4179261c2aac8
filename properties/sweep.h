// The seed sweep: a fast, budgeted run over consecutive seeds, without
// RapidCheck. (Exploring is the pipeline's search phase; a sweep is one way
// to explore, RapidCheck's cases the other.)
//
// Runs seeds first_seed, first_seed + 1, ... (wrapping at 2^64) until one
// fails, `seeds` have been considered, or the wall-clock budget is spent.
// With a Shard (settings.h), shard i of n runs the i-th, (i+n)-th, ... of
// those seeds, so a sweep scales out under Bazel sharding or a CI matrix
// with no scheduler of our own.
//
//   SweepResult found = Sweep(
//       [&](uint64_t seed) { return RunOnce(body, TapeSpec::Seed(seed), {}); },
//       {.seeds = 10'000, .budget = std::chrono::seconds(30)});
//   if (found.failing_seed) ... shrink found.report, write a replay ...
#ifndef LAPLACE_PROPERTIES_SWEEP_H_
#define LAPLACE_PROPERTIES_SWEEP_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "properties/runner.h"
#include "properties/settings.h"

namespace laplace::properties {

// How far exploring has got: a sweep's seeds or RapidCheck's cases.
struct ExploreProgress {
  uint64_t runs = 0;          // runs made so far (on this shard)
  uint64_t runs_planned = 0;  // runs this shard would make without a budget or failure
  uint64_t failures = 0;
  uint64_t discarded = 0;
  std::chrono::milliseconds elapsed{0};
  std::chrono::milliseconds budget{0};  // zero: none

  // Runs per second so far (0 before any time has passed).
  double RunsPerSecond() const;
  // Estimated time left: the planned runs at the rate so far, or what is
  // left of the budget, whichever ends first; nullopt before the first run.
  std::optional<std::chrono::milliseconds> Remaining() const;
};

// "1200/3000 runs, 2400 runs/s, 0 failures, 3 discarded, ETA 0.8s".
std::string FormatProgress(const ExploreProgress& progress);

struct SweepOptions {
  uint64_t first_seed = 0;
  // How many seeds to consider (across all shards).
  uint64_t seeds = 1000;
  // Wall-clock budget (zero = none).
  std::chrono::milliseconds budget{0};
  Shard shard;
  // Asked after every run: true ends the sweep there (a determinism check
  // found a problem). Optional.
  std::function<bool()> stop;
  // Called after every run (for a terminal's status line). Optional.
  std::function<void(const ExploreProgress&)> progress;
};

struct SweepResult {
  uint64_t runs = 0;       // seeds this shard ran
  uint64_t discarded = 0;  // of those, rejected by a precondition (RC_PRE)
  std::optional<uint64_t> failing_seed;
  std::optional<RunReport> report;  // the failing run
  bool budget_exhausted = false;
  std::chrono::milliseconds elapsed{0};
};

// Runs seeds in order and stops at the first failure.
SweepResult Sweep(const std::function<RunReport(uint64_t seed)>& run_seed,
                  const SweepOptions& options);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_SWEEP_H_
