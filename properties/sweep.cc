#include "properties/sweep.h"

#include <algorithm>
#include <cstdio>

#include "base/strings.h"

namespace laplace::properties {
namespace {

using WallClock = std::chrono::steady_clock;  // allowed: the sweep budget is wall time

std::chrono::milliseconds Since(WallClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      WallClock::now() -  // allowed: budget
      start);
}

// "0.8s", "12s", "3m20s", "2h05m".
std::string FormatSeconds(std::chrono::milliseconds time) {
  const int64_t ms = time.count();
  char text[32];
  if (ms < 10'000) {
    std::snprintf(text, sizeof text, "%.1fs", static_cast<double>(ms) / 1000);
  } else if (ms < 600'000) {
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(ms / 1000));
  } else if (ms < 36'000'000) {
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(ms / 60'000),
                  static_cast<long long>(ms / 1000 % 60));
  } else {
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(ms / 3'600'000),
                  static_cast<long long>(ms / 60'000 % 60));
  }
  return text;
}

}  // namespace

double ExploreProgress::RunsPerSecond() const {
  if (elapsed.count() <= 0) return 0;
  return static_cast<double>(runs) * 1000.0 / static_cast<double>(elapsed.count());
}

std::optional<std::chrono::milliseconds> ExploreProgress::Remaining() const {
  if (runs == 0) return std::nullopt;
  std::optional<std::chrono::milliseconds> left;
  if (runs_planned >= runs) {
    const double per_run = static_cast<double>(elapsed.count()) / static_cast<double>(runs);
    const double planned_left = per_run * static_cast<double>(runs_planned - runs);
    if (planned_left < 1e15) left = std::chrono::milliseconds(static_cast<int64_t>(planned_left));
  }
  if (budget.count() > 0) {
    std::chrono::milliseconds budget_left =
        std::max(budget - elapsed, std::chrono::milliseconds(0));
    left = left.has_value() ? std::min(*left, budget_left) : budget_left;
  }
  return left;
}

std::string FormatProgress(const ExploreProgress& progress) {
  const bool planned_known =
      progress.runs_planned > 0 && progress.runs_planned < (uint64_t{1} << 62);
  std::string text = laplace::internal::Cat(
      progress.runs, planned_known ? laplace::internal::Cat("/", progress.runs_planned) : "",
      " runs, ", static_cast<uint64_t>(progress.RunsPerSecond()), " runs/s, ", progress.failures,
      " failure", progress.failures == 1 ? "" : "s");
  if (progress.discarded > 0)
    laplace::internal::Append(text, ", ", progress.discarded, " discarded");
  std::optional<std::chrono::milliseconds> left = progress.Remaining();
  if (left.has_value()) laplace::internal::Append(text, ", ETA ", FormatSeconds(*left));
  return text;
}

SweepResult Sweep(const std::function<RunReport(uint64_t seed)>& run_seed,
                  const SweepOptions& options) {
  const WallClock::time_point start = WallClock::now();  // allowed: sweep budget
  SweepResult result;
  const Shard& shard = options.shard;
  const uint64_t planned = options.seeds > shard.index
                               ? (options.seeds - shard.index + shard.count - 1) / shard.count
                               : 0;
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
    if (options.progress) {
      options.progress(ExploreProgress{.runs = result.runs,
                                       .runs_planned = planned,
                                       .failures = report.failed() ? 1u : 0u,
                                       .discarded = result.discarded,
                                       .elapsed = Since(start),
                                       .budget = options.budget});
    }
    if (report.failed()) {
      result.failing_seed = seed;
      result.report = std::move(report);
      break;
    }
    if (options.stop && options.stop()) break;
  }
  result.elapsed = Since(start);
  return result;
}

}  // namespace laplace::properties
