#include "properties/sweep.h"

namespace laplace::properties {
namespace {

using WallClock = std::chrono::steady_clock;  // allowed: the sweep budget is wall time

}  // namespace

SweepResult Sweep(const std::function<RunReport(uint64_t seed)>& run_seed,
                  const SweepOptions& options) {
  const WallClock::time_point start = WallClock::now();  // allowed: sweep budget
  SweepResult result;
  for (uint64_t i = 0; i < options.seeds; ++i) {
    if (!options.shard.Owns(i)) continue;
    if (options.budget.count() > 0 && WallClock::now() - start >= options.budget) {
      result.budget_exhausted = true;
      break;
    }
    const uint64_t seed = options.first_seed + i;  // wraps at 2^64
    RunReport report = run_seed(seed);
    ++result.runs;
    if (report.discarded) ++result.discarded;
    if (report.failed()) {
      result.failing_seed = seed;
      result.report = std::move(report);
      break;
    }
    if (options.stop && options.stop()) break;
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(WallClock::now() - start);
  return result;
}

}  // namespace laplace::properties
