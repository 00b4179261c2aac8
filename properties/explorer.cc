#include "properties/explorer.h"

#include <cstdlib>
#include <string>

#include "loop/internal/check.h"

namespace laplace::properties {
namespace {

using WallClock = std::chrono::steady_clock;  // allowed: the sweep budget is wall time

std::optional<uint64_t> ReadNumber(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  unsigned long long value = std::strtoull(text, &end, 10);
  LAPLACE_CHECK(end != nullptr && *end == '\0')
      << "environment variable " << name << "=\"" << text << "\" is not a number";
  return value;
}

}  // namespace

Shard Shard::FromEnvironment() {
  for (auto [total_name, index_name] : {std::pair{"TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX"},
                                        std::pair{"GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX"}}) {
    std::optional<uint64_t> total = ReadNumber(total_name);
    if (!total.has_value()) continue;
    std::optional<uint64_t> index = ReadNumber(index_name);
    LAPLACE_CHECK(*total >= 1) << total_name << " must be at least 1";
    LAPLACE_CHECK(index.has_value()) << total_name << " is set but " << index_name << " is not";
    LAPLACE_CHECK(*index < *total)
        << index_name << "=" << *index << " is not below " << total_name << "=" << *total;
    return Shard{*index, *total};
  }
  return Shard{};
}

ExploreResult Explore(const std::function<RunReport(uint64_t seed)>& run_seed,
                      const ExploreOptions& options) {
  const WallClock::time_point start = WallClock::now();  // allowed: sweep budget
  ExploreResult result;
  for (uint64_t seed = options.first_seed; seed < options.first_seed + options.seeds; ++seed) {
    if (!options.shard.Owns(seed)) continue;
    if (options.budget.count() > 0 && WallClock::now() - start >= options.budget) {
      result.budget_exhausted = true;
      break;
    }
    RunReport report = run_seed(seed);
    ++result.runs;
    if (report.discarded) ++result.discarded;
    if (report.failed()) {
      result.failing_seed = seed;
      result.report = std::move(report);
      break;
    }
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(WallClock::now() - start);
  return result;
}

}  // namespace laplace::properties
