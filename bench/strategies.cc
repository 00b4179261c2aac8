// Measures every strategy on every bug-zoo program (tests/zoo): 20 trials of at most 10,000
// schedules each (trial t runs seeds t * 1,000,003 + 1, + 2, ... with a fresh strategy, so what
// a strategy learns stays in its trial). Per row: the trials that found the bug, the mean
// (median) schedules to the first failure (a trial that never fails counts as 10,000), the
// trials whose failure shrank to the program's minimal preemptions, and schedules per second.
// The bounded search is deterministic: one trial, its schedules to the first failure.
// The last line is
//   portfolio: found=<F>/<N> minimal_shrinks=<S>/<N> worst_median_vs_best=<R>
// F: programs the portfolio found in 20/20 trials; S: programs whose every portfolio shrink
// reached the minimum; R: the largest, over programs, of the portfolio's median divided by the
// best median of the single randomized strategies (the portfolio's members).
//
//   bazel run -c opt //bench:strategies
//
// The wall clock is allowed here: it measures schedules per second, not a simulation.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "loop/strategies/registry.h"
#include "properties/bounded.h"
#include "tests/zoo/zoo.h"

namespace laplace {
namespace {

using Clock = std::chrono::steady_clock;  // allowed: benchmark timing

constexpr int kTrials = 20;
constexpr uint64_t kSchedules = 10'000;

const char* const kStrategies[] = {"random-walk", "pct:depth=1", "pct:depth=2", "pct:depth=3",
                                   "pos",         "surw",        "portfolio"};

struct Row {
  int found = 0;
  int minimal = 0;                  // trials whose failure shrank to the minimum
  std::vector<uint64_t> schedules;  // to the first failure, per trial (kSchedules if none)
  uint64_t runs = 0;
  double seconds = 0;

  double Mean() const {
    double sum = 0;
    for (uint64_t s : schedules) sum += static_cast<double>(s);
    return schedules.empty() ? 0 : sum / static_cast<double>(schedules.size());
  }
  double Median() const {
    std::vector<uint64_t> sorted = schedules;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    if (n == 0) return 0;
    return n % 2 == 1 ? static_cast<double>(sorted[n / 2])
                      : (static_cast<double>(sorted[n / 2 - 1]) + sorted[n / 2]) / 2.0;
  }
};

// One trial: seeds from `first_seed` until the first failure, shrunk.
void Trial(const zoo::ZooProgram& program, const StrategyConfig& config, uint64_t first_seed,
           Row& row) {
  std::unique_ptr<Strategy> strategy = strategies::MakeStrategy(config).value();
  properties::RunOptions run;
  run.loop.strategy = strategy.get();
  run.passing_trace = false;  // only the failing run's trace is read
  const Clock::time_point start = Clock::now();  // allowed: benchmark timing
  for (uint64_t i = 0; i < kSchedules; ++i) {
    properties::RunReport report =
        properties::RunOnce(program.buggy, properties::TapeSpec::Seed(first_seed + i), run);
    ++row.runs;
    if (!report.failed()) continue;
    row.seconds += std::chrono::duration<double>(Clock::now() - start).count();  // allowed
    row.schedules.push_back(i + 1);
    ++row.found;
    properties::RunReport shrunk = zoo::Shrunk(program.buggy, report);
    if (shrunk.preemptions == static_cast<uint64_t>(program.minimal_preemptions)) ++row.minimal;
    return;
  }
  row.seconds += std::chrono::duration<double>(Clock::now() - start).count();  // allowed
  row.schedules.push_back(kSchedules);
}

Row Measure(const zoo::ZooProgram& program, const StrategyConfig& config) {
  Row row;
  for (int t = 0; t < kTrials; ++t) {
    Trial(program, config, static_cast<uint64_t>(t) * 1'000'003 + 1, row);
  }
  return row;
}

Row MeasureBounded(const zoo::ZooProgram& program) {
  Row row;
  const Clock::time_point start = Clock::now();  // allowed: benchmark timing
  properties::BoundedResult result = properties::SearchBounded(
      program.buggy, {.preemptions_max = 10, .schedules_max = kSchedules}, {});
  row.seconds = std::chrono::duration<double>(Clock::now() - start).count();  // allowed
  row.runs = result.schedules;
  row.schedules.push_back(result.failing.has_value() ? result.schedules : kSchedules);
  if (result.failing.has_value()) {
    row.found = 1;
    properties::RunReport shrunk = zoo::Shrunk(program.buggy, *result.failing);
    if (shrunk.preemptions == static_cast<uint64_t>(program.minimal_preemptions)) row.minimal = 1;
  }
  return row;
}

void PrintRow(const std::string& program, const std::string& strategy, const Row& row, int trials) {
  std::printf("| %-25s | %-12s | %2d/%-2d | %8.1f (%6.1f) | %2d/%-2d | %9.0f |\n", program.c_str(),
              strategy.c_str(), row.found, trials, row.Mean(), row.Median(), row.minimal, trials,
              row.seconds > 0 ? static_cast<double>(row.runs) / row.seconds : 0.0);
}

int Main() {
  std::printf(
      "| program                   | strategy     | found | mean (median) sch. | "
      "min shrinks | sched/s |\n");
  std::printf("|---|---|---|---|---|---|\n");
  const std::vector<zoo::ZooProgram>& zoo = zoo::Zoo();
  int found_all = 0, minimal_all = 0;
  double worst_ratio = 0;
  std::string worst_program;
  for (const zoo::ZooProgram& program : zoo) {
    double best_median = 1e18;
    Row portfolio;
    for (const char* name : kStrategies) {
      const StrategyConfig config = strategies::ParseStrategy(name).value();
      Row row = Measure(program, config);
      PrintRow(program.name, name, row, kTrials);
      if (config.name == "portfolio") {
        portfolio = row;
      } else {
        best_median = std::min(best_median, row.Median());
      }
    }
    PrintRow(program.name, "bounded", MeasureBounded(program), 1);
    if (portfolio.found == kTrials) ++found_all;
    if (portfolio.minimal == portfolio.found && portfolio.found == kTrials) ++minimal_all;
    const double ratio = portfolio.Median() / std::max(best_median, 1.0);
    if (ratio > worst_ratio) {
      worst_ratio = ratio;
      worst_program = program.name;
    }
  }
  std::printf("worst median ratio: %s\n", worst_program.c_str());
  std::printf("portfolio: found=%d/%zu minimal_shrinks=%d/%zu worst_median_vs_best=%.2f\n",
              found_all, zoo.size(), minimal_all, zoo.size(), worst_ratio);
  return 0;
}

}  // namespace
}  // namespace laplace

int main() { return laplace::Main(); }
