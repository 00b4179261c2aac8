// The Laplace test main: GoogleTest's main, with command-line flags for single
// runs, and sharding spread over every property's cases.
//
// Flags (each sets the environment variable LAPLACE_PROPERTY reads, so
// `bazel run //pkg:test -- --laplace_seed=7` and `LAPLACE_SEED=7` are the same):
//   --laplace_seed=S[:Z]     LAPLACE_SEED     run only the case of seed S
//   --laplace_replay=FILE    LAPLACE_REPLAY   replay only FILE
//   --laplace_trace          LAPLACE_TRACE=1  print the whole trace of a replay
//   --laplace_cases=N        LAPLACE_CASES    RapidCheck cases per property
//   --laplace_sweep=N        LAPLACE_SWEEP    a seed sweep instead of RapidCheck
//   --laplace_record         LAPLACE_RECORD=1 bug-zoo tests record their replays
// Any other --laplace_ flag is an error that lists these.
//
// Sharding: under Bazel sharding (shard_count, TEST_TOTAL_SHARDS/
// TEST_SHARD_INDEX) or a GoogleTest CI matrix (GTEST_TOTAL_SHARDS/
// GTEST_SHARD_INDEX), plain GoogleTest would run each whole test on one shard.
// A property's cases are the unit worth spreading, so this main moves the
// shard into LAPLACE_TOTAL_SHARDS/LAPLACE_SHARD_INDEX (which LAPLACE_PROPERTY
// reads), turns GoogleTest's own sharding off (every shard runs every test,
// each property on its share of the seeds), and tells Bazel it understood
// sharding by touching TEST_SHARD_STATUS_FILE. Plain TESTs in the same binary
// then run on every shard.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace {

struct Flag {
  const char* name;  // without the leading "--"
  const char* variable;
  bool takes_value;
};

constexpr Flag kFlags[] = {
    {"laplace_seed", "LAPLACE_SEED", true},    {"laplace_replay", "LAPLACE_REPLAY", true},
    {"laplace_trace", "LAPLACE_TRACE", false}, {"laplace_cases", "LAPLACE_CASES", true},
    {"laplace_sweep", "LAPLACE_SWEEP", true},  {"laplace_record", "LAPLACE_RECORD", false},
};

void Usage(const char* program) {
  std::fprintf(stderr, "%s: Laplace flags:\n", program);
  for (const Flag& flag : kFlags) {
    std::fprintf(stderr, "  --%s%s   (same as %s)\n", flag.name, flag.takes_value ? "=VALUE" : "",
                 flag.variable);
  }
}

// Turns --laplace_* flags into environment variables and removes them from
// argv. Returns false on an unknown or malformed one.
bool TakeLaplaceFlags(int& argc, char** argv) {
  std::vector<char*> kept = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--laplace_", 10) != 0) {
      kept.push_back(argv[i]);
      continue;
    }
    std::string text = argv[i] + 2;
    size_t equals = text.find('=');
    std::string name = text.substr(0, equals);
    const Flag* match = nullptr;
    for (const Flag& flag : kFlags) {
      if (name == flag.name) match = &flag;
    }
    if (match == nullptr || match->takes_value != (equals != std::string::npos)) {
      std::fprintf(stderr, "%s: bad flag %s\n", argv[0], argv[i]);
      return false;
    }
    setenv(match->variable, match->takes_value ? text.c_str() + equals + 1 : "1", 1);
  }
  for (size_t i = 0; i < kept.size(); ++i) argv[i] = kept[i];
  argc = static_cast<int>(kept.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (!TakeLaplaceFlags(argc, argv)) {
    Usage(argv[0]);
    return 2;
  }
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
