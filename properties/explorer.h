// The seed explorer: a fast, budgeted sweep of seeds, without RapidCheck.
//
// Runs seeds first_seed, first_seed + 1, ... until one fails, `seeds` have
// run, or the wall-clock budget is spent. Honours the sharding protocols that
// exist, so a sweep scales out with no scheduler of our own: Bazel's
// TEST_TOTAL_SHARDS / TEST_SHARD_INDEX and GoogleTest's GTEST_TOTAL_SHARDS /
// GTEST_SHARD_INDEX (CI matrices). Shard i of n runs the seeds s with
// s % n == i.
//
//   ExploreResult found = Explore(
//       [&](uint64_t seed) { return RunOnce(body, TapeSpec::Seed(seed), {}); },
//       {.seeds = 10'000, .budget = std::chrono::seconds(30)});
//   if (found.failing_seed) ... shrink found.report, write a replay ...
#ifndef LAPLACE_PROPERTIES_EXPLORER_H_
#define LAPLACE_PROPERTIES_EXPLORER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "properties/runner.h"

namespace laplace::properties {

struct Shard {
  uint64_t index = 0;
  uint64_t count = 1;

  // From TEST_TOTAL_SHARDS/TEST_SHARD_INDEX, else GTEST_TOTAL_SHARDS/
  // GTEST_SHARD_INDEX, else a single shard. Malformed values are a check
  // failure that names the variable.
  static Shard FromEnvironment();
  bool Owns(uint64_t seed) const { return seed % count == index; }
};

struct ExploreOptions {
  uint64_t first_seed = 0;
  // How many seeds to consider (across all shards).
  uint64_t seeds = 1000;
  // Wall-clock budget (zero = none).
  std::chrono::milliseconds budget{0};
  Shard shard;
};

struct ExploreResult {
  uint64_t runs = 0;       // seeds this shard ran
  uint64_t discarded = 0;  // of those, rejected by a precondition (RC_PRE)
  std::optional<uint64_t> failing_seed;
  std::optional<RunReport> report;  // the failing run
  bool budget_exhausted = false;
  std::chrono::milliseconds elapsed{0};
};

// Runs seeds in order and stops at the first failure.
ExploreResult Explore(const std::function<RunReport(uint64_t seed)>& run_seed,
                      const ExploreOptions& options);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_EXPLORER_H_
