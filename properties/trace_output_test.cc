// Proves what the pipeline writes about runs: --laplace_trace_out's export of a replay or a seed
// in each format (pipeline_test checks a failure's artifacts).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/pipeline.h"
#include "replays/replay_file.h"

namespace laplace::properties {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A fresh directory for this test.
std::string Fresh(const std::string& name) {
  std::string dir = ::testing::TempDir() + "/trace_output_test/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

Settings SettingsOf(Environment environment, std::vector<std::string> flags = {}) {
  environment.emplace("LAPLACE_BASE_SEED", "0");
  absl::StatusOr<Settings> settings = ParseSettings(environment, flags);
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

Task<> Increment(Loop& loop, int& counter) {
  int seen = counter;
  co_await loop.Yield();
  counter = seen + 1;
}

Property LostUpdate() {
  return PropertyOf("Artifacts.LostUpdate", [](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    for (int w = 0; w < 3; ++w) sim.loop().Spawn(Increment(sim.loop(), *counter), "worker");
    sim.Run();
    LAPLACE_ASSERT_EQ(*counter, 3);
  });
}

// The replay file of LostUpdate's failure, written into `corpus`.
std::string RecordedReplay(const std::string& corpus) {
  PropertyResult found =
      RunProperty(LostUpdate(), {.sweep_seeds = 100}, SettingsOf({{"LAPLACE_CORPUS_ROOT", corpus}}),
                  PipelineOutput::Silent());
  EXPECT_TRUE(found.failure.has_value());
  return found.failure.has_value() ? found.failure->replay_path : "";
}

TEST(TraceOut, WritesTheWholeTraceOfAReplayInTheFormatAskedOrByTheFilesEnding) {
  const std::string dir = Fresh("trace_out");
  const std::string replay = RecordedReplay(Fresh("c5"));
  for (const auto& [name, format, start] :
       {std::tuple{"t.html", "", "<!DOCTYPE html>"},
        std::tuple{"t.json", "", "{\"displayTimeUnit\""},
        std::tuple{"t.txt", "", "# Laplace trace of Artifacts.LostUpdate\n"},
        std::tuple{"t.out", "perfetto", "{\"displayTimeUnit\""}}) {
    std::vector<std::string> flags = {"--laplace_replay=" + replay,
                                      "--laplace_trace_out=" + dir + "/" + name};
    if (*format != '\0') flags.push_back(std::string("--laplace_trace_format=") + format);
    PropertyResult result =
        RunProperty(LostUpdate(), {}, SettingsOf({}, flags), PipelineOutput::Silent());
    EXPECT_THAT(ReadAll(dir + "/" + name), StartsWith(start)) << name;
    EXPECT_EQ(result.corpus.size(), 1u);
  }
  // A filter narrows the text trace to the named tasks.
  PropertyResult filtered = RunProperty(
      LostUpdate(), {},
      SettingsOf({}, {"--laplace_replay=" + replay, "--laplace_trace_out=" + dir + "/f.txt",
                      "--laplace_trace_tasks=#2"}),
      PipelineOutput::Silent());
  EXPECT_THAT(ReadAll(dir + "/f.txt"), HasSubstr(" shown (task #2)\n"));
}

TEST(TraceOut, WritesTheTraceOfOneSeedPassingOrFailing) {
  const std::string dir = Fresh("seed");
  PropertyResult result =
      RunProperty(LostUpdate(), {},
                  SettingsOf({{"LAPLACE_CORPUS_ROOT", Fresh("c6")}},
                             {"--laplace_seed=0", "--laplace_trace_out=" + dir + "/seed.txt"}),
                  PipelineOutput::Silent());
  EXPECT_THAT(ReadAll(dir + "/seed.txt"), HasSubstr("# Laplace trace of Artifacts.LostUpdate\n"));
  EXPECT_THAT(ReadAll(dir + "/seed.txt"), HasSubstr("# source:  seed 0:0\n"));
}

}  // namespace
}  // namespace laplace::properties
