// The Laplace test main: GoogleTest's main, with sharding spread over every
// property's cases.
//
// Under Bazel sharding (shard_count, TEST_TOTAL_SHARDS/TEST_SHARD_INDEX) or a
// GoogleTest CI matrix (GTEST_TOTAL_SHARDS/GTEST_SHARD_INDEX), plain
// GoogleTest would run each whole test on one shard. A property's cases are
// the unit worth spreading, so this main moves the shard into
// LAPLACE_TOTAL_SHARDS/LAPLACE_SHARD_INDEX (which LAPLACE_PROPERTY reads),
// turns GoogleTest's own sharding off (every shard runs every test, each
// property on its share of the seeds), and tells Bazel it understood sharding
// by touching TEST_SHARD_STATUS_FILE. Plain TESTs in the same binary then run
// on every shard.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"

int main(int argc, char** argv) {
  for (auto [total, index] : {std::pair{"TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX"},
                              std::pair{"GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX"}}) {
    const char* total_value = std::getenv(total);
    const char* index_value = std::getenv(index);
    if (total_value == nullptr || index_value == nullptr) continue;
    setenv("LAPLACE_TOTAL_SHARDS", total_value, 1);
    setenv("LAPLACE_SHARD_INDEX", index_value, 1);
    break;
  }
  unsetenv("GTEST_TOTAL_SHARDS");
  unsetenv("GTEST_SHARD_INDEX");
  if (const char* status_file = std::getenv("TEST_SHARD_STATUS_FILE")) {
    if (FILE* file = std::fopen(status_file, "w")) std::fclose(file);
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
