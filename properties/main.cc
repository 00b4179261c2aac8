// The Laplace test main: GoogleTest's main, with Laplace's settings parsed
// before anything runs, and sharding spread over every property's cases.
//
// Settings: every --laplace_* flag and LAPLACE_* variable (settings.h;
// `--help` lists them after GoogleTest's own). A bad one (a malformed or
// out-of-range value, an unknown or misspelled flag, a shard index outside
// the shard count) is printed with what is accepted, and the binary exits
// with status 2 before running any test.
//
// Sharding: under Bazel sharding (shard_count, TEST_TOTAL_SHARDS/
// TEST_SHARD_INDEX) or a GoogleTest CI matrix (GTEST_TOTAL_SHARDS/
// GTEST_SHARD_INDEX), plain GoogleTest would run each whole test on one shard.
// A property's cases are the unit worth spreading, so the settings keep the
// shard, this main turns GoogleTest's own sharding off (every shard runs
// every test, each property on its share of the seeds), and tells Bazel it
// understood sharding by touching TEST_SHARD_STATUS_FILE. Plain TESTs in the
// same binary then run on every shard.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "properties/settings.h"
#include "replays/replay_file.h"

namespace {

// --laplace_replay names one file; its test must be in this binary, or the
// run would pass having replayed nothing (a renamed property, a typo, the
// wrong binary). Returns false, having said so, when it is not.
bool ReplayFileHasItsTest(const std::string& path, const char* binary) {
  absl::StatusOr<laplace::replays::Replay> file = laplace::replays::ReadReplayFile(path);
  if (!file.ok()) return true;  // the pipeline reports a damaged file in the test itself
  const testing::UnitTest& unit = *testing::UnitTest::GetInstance();
  std::string names;
  int listed = 0;
  for (int s = 0; s < unit.total_test_suite_count(); ++s) {
    const testing::TestSuite& suite = *unit.GetTestSuite(s);
    for (int t = 0; t < suite.total_test_count(); ++t) {
      std::string name = std::string(suite.name()) + "." + suite.GetTestInfo(t)->name();
      if (name == file->test_name()) return true;
      if (listed++ < 12) names += "\n  " + name;
    }
  }
  std::fprintf(stderr,
               "%s: the replay file %s is a file of test %s, which is not in this binary.\n"
               "Was the property renamed or removed? Replay it with the binary that defines it,\n"
               "or move the file into the renamed property's corpus folder and fix its "
               "test_name. The tests here:%s%s\n",
               binary, path.c_str(), file->test_name().c_str(), names.c_str(),
               listed > 12 ? "\n  ..." : "");
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  bool help = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    help = help || argument == "--help" || argument == "-h" || argument == "-?" ||
           argument == "/?" || argument == "--gtest_help";
  }
  std::vector<std::string> flags = laplace::properties::TakeLaplaceFlags(argc, argv);
  if (!help) {
    absl::StatusOr<laplace::properties::Settings> settings =
        laplace::properties::ParseSettings(laplace::properties::ProcessEnvironment(), flags);
    if (!settings.ok()) {
      std::fprintf(stderr, "%s%s: --help lists every Laplace flag and variable\n",
                   std::string(settings.status().message()).c_str(), argv[0]);
      return 2;
    }
    laplace::properties::InstallProcessSettings(*settings);
  }
  const std::string replay_file = help ? "" : laplace::properties::ProcessSettings().replay_file;
  unsetenv("GTEST_TOTAL_SHARDS");
  unsetenv("GTEST_SHARD_INDEX");
  if (const char* status_file = std::getenv("TEST_SHARD_STATUS_FILE")) {
    if (FILE* file = std::fopen(status_file, "w")) std::fclose(file);
  }
  testing::InitGoogleTest(&argc, argv);
  if (help) {
    std::printf("%s", laplace::properties::SettingsHelp().c_str());
    return 0;
  }
  if (!replay_file.empty() && !ReplayFileHasItsTest(replay_file, argv[0])) return 2;
  return RUN_ALL_TESTS();
}
