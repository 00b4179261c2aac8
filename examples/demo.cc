// The Laplace demo: for each example system with a real concurrency bug,
// find the bug by sweeping seeds, shrink the failing run, write a replay
// file, replay it in a fresh run to the same trace digest, print the one
// command that reproduces it, the failure's causal chain (cause before
// effect: the crash, the lost write, the stale read) and the shrunk run as a
// story; then show that the fixed twin passes a sweep of many seeds.
//
//   bazel run //examples:demo                    # all examples
//   bazel run //examples:demo -- bank            # only those named
//   bazel run //examples:demo -- --out=DIR       # where replay files go
//
// Everything here goes through the same pipeline a test uses
// (properties/pipeline.h: RunProperty), with its result printed as a story.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "base/strings.h"
#include "examples/demo_cases.h"
#include "loop/strategies/registry.h"
#include "properties/pipeline.h"
#include "properties/runner.h"
#include "properties/shrinker.h"
#include "replays/replay_file.h"
#include "replays/trace_export/text.h"

namespace laplace::examples {
namespace {

using namespace properties;
// How many story lines to print at most (the last ones).
constexpr size_t kStoryLinesMax = 30;

// The trace lines worth reading. With keywords: the lines holding one of
// them, and the failure. Without: the system's own notes, what tasks wait
// on, how they end, and the failure; timer plumbing is left out.
bool Interesting(const std::string& line, const std::vector<std::string>& keywords) {
  if (line.find("FAILURE") != std::string::npos) return true;
  if (!keywords.empty()) {
    for (const std::string& keyword : keywords) {
      if (line.find(keyword) != std::string::npos) return true;
    }
    return false;
  }
  for (const char* noise :
       {" timer wakes ", " sleeps until ", " resumed after sleep", " spawned", " started",
        " yields", " resumed after yield", " cancelled", " resolved broken", "callback timer"}) {
    if (line.find(noise) != std::string::npos) return false;
  }
  return true;
}

std::string Plural(uint64_t count, const char* word) {
  return laplace::internal::Cat(count, " ", word, count == 1 ? "" : "s");
}

// The settings of every pipeline run the demo makes: pinned (the demo tells
// the same story every time), replay files under `out_dir`.
Settings DemoSettings(const DemoCase& demo, const std::string& out_dir) {
  Settings settings;
  settings.base_seed_origin = BaseSeedOrigin::kPinned;
  settings.corpus.corpus_root = out_dir;
  settings.test_target = demo.bazel_target;
  return settings;
}

// The cause first: the failure's causal chain, as its replay file keeps it.
void PrintCausalChain(const replays::Replay& file) {
  if (file.causal_chain_size() == 0) return;
  std::printf("  cause    %s\n",
              replays::trace_export::ChainHeading(file.causal_chain_size(), file.causal_ancestors())
                  .c_str());
  for (const std::string& line : file.causal_chain()) std::printf("             %s\n", line.c_str());
}

void PrintStory(const DemoCase& demo, const replays::Replay& file) {
  PrintCausalChain(file);
  RunReport story = RunOnce(
      demo.buggy, TapeSpec::Replay(replays::TapeFromReplay(file), TapeSource::Mode::kStrict),
      {.full_trace = true});
  std::vector<std::string> lines;
  for (const std::string& line : story.trace) {
    if (Interesting(line, demo.story_keywords)) lines.push_back(line);
  }
  std::printf("  story    the shrunk run, %s:\n",
              demo.story_keywords.empty() ? "step by step" : "its key events");
  size_t first = lines.size() > kStoryLinesMax ? lines.size() - kStoryLinesMax : 0;
  if (first > 0) std::printf("             ... (%zu earlier lines)\n", first);
  for (size_t i = first; i < lines.size(); ++i) std::printf("             %s\n", lines[i].c_str());
}

// Sweeps the buggy body with each of demo.compare_strategies alone (the
// pipeline with --laplace_strategy), and says how far each got.
void CompareStrategies(const DemoCase& demo, const Settings& base) {
  for (const std::string& name : demo.compare_strategies) {
    Settings settings = base;
    settings.strategy = strategies::ParseStrategy(name).value();
    PropertyResult result = RunProperty(PropertyOf(demo.test_name, demo.buggy),
                                        {.sweep_seeds = demo.seeds, .write_replays = false},
                                        settings, PipelineOutput::Silent());
    if (result.failure.has_value()) {
      std::printf("  alone    %-12s found it at %s\n", name.c_str(),
                  result.failure->how_found.c_str());
    } else {
      std::printf("  alone    %-12s no failure in %s\n", name.c_str(),
                  Plural(result.runs, "seed").c_str());
    }
  }
}

// Runs one example's story; returns false if something did not go as the
// demo promises (which would be a bug in Laplace or in the example).
bool Demo(const DemoCase& demo, int index, int count, const std::string& out_dir) {
  std::printf("\n[%d/%d] %s\n", index, count, demo.title.c_str());
  for (const std::string& line : demo.explanation) std::printf("      %s\n", line.c_str());
  const Settings settings = DemoSettings(demo, out_dir);
  CompareStrategies(demo, settings);

  // 1-4. The pipeline: sweep, shrink, write the replay file (as the bug-zoo
  // test names it), replay it in a fresh run to the same digest.
  Property buggy = PropertyOf(demo.test_name, demo.buggy);
  buggy.package = demo.package;
  PropertyResult result =
      RunProperty(buggy, {.sweep_seeds = demo.seeds, .expect_failure = true, .record = true},
                  settings, PipelineOutput::Silent());
  if (!result.failure.has_value()) {
    std::printf("  search   no failure in %s: unexpected\n%s", Plural(result.runs, "seed").c_str(),
                FormatResult(buggy, result).c_str());
    return false;
  }
  const FoundFailure& failure = *result.failure;
  const FoundCase& found = failure.found;
  std::printf("  search   FOUND at %s (%.2fs):\n           %s\n", failure.how_found.c_str(),
              result.explore_time.count() / 1000.0, found.report.failure->ToString().c_str());
  std::printf(
      "  shrink   %zu -> %zu choices (%s, %s), %s tried, %.2fs\n", found.original_length,
      found.report.tape.size(),
      Plural(NonZeroScheduleChoices(found.report.tape), "non-zero schedule choice").c_str(),
      Plural(NonZeroOtherChoices(found.report.tape), "non-zero fault/delay/draw choice").c_str(),
      Plural(found.candidates_tried, "candidate").c_str(), found.shrink_time.count() / 1000.0);
  if (failure.replay_path.empty()) {
    std::printf("  replay   could not write it: %s\n%s", failure.replay_error.c_str(),
                FormatResult(buggy, result).c_str());
    return false;
  }
  std::printf("  replay   written to %s\n", failure.replay_path.c_str());
  std::printf("           %s in a fresh run\n", failure.confirmation->message.c_str());
  std::printf("  command  bazel run //replays:laplace -- replay %s --trace\n",
              failure.replay_path.c_str());

  // 5. The story of the shrunk run: rerun its file with the whole trace kept.
  absl::StatusOr<replays::Replay> file =
      replays::ReadReplayFile(failure.replay_path, demo.test_name);
  if (!file.ok()) {
    std::printf("  replay   cannot read it back: %s\n",
                std::string(file.status().message()).c_str());
    return false;
  }
  PrintStory(demo, *file);

  // 6. The fixed twin.
  PropertyResult fixed = RunProperty(PropertyOf(demo.test_name, demo.fixed),
                                     {.sweep_seeds = demo.fixed_seeds, .write_replays = false},
                                     settings, PipelineOutput::Silent());
  if (!fixed.ok()) {
    std::printf("  fixed    FAILS:\n%s", FormatResult(buggy, fixed).c_str());
    return false;
  }
  std::printf("  fixed    %s: all %s pass (%.2fs)\n", demo.fix.c_str(),
              Plural(fixed.runs, "seed").c_str(), fixed.explore_time.count() / 1000.0);
  return result.ok();
}

}  // namespace
}  // namespace laplace::examples

int main(int argc, char** argv) {
  std::string out_dir = "/tmp/laplace-demo";
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--out=", 6) == 0) {
      out_dir = argv[i] + 6;
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: %s [--out=DIR] [EXAMPLE...]\n", argv[0]);
      return 2;
    } else {
      only.push_back(argv[i]);
    }
  }
  std::vector<laplace::examples::DemoCase> cases = laplace::examples::DemoCases();
  std::vector<laplace::examples::DemoCase> chosen;
  for (const auto& demo : cases) {
    bool wanted = only.empty();
    for (const std::string& name : only) wanted = wanted || name == demo.name;
    if (wanted) chosen.push_back(demo);
  }
  if (chosen.empty()) {
    std::fprintf(stderr, "no such example; the examples are:");
    for (const auto& demo : cases) std::fprintf(stderr, " %s", demo.name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  std::printf(
      "Laplace demo: for each example, sweep seeds until the bug shows, shrink the\n"
      "failing run, write a replay file, replay it, and check the fixed twin.\n");
  bool ok = true;
  for (size_t i = 0; i < chosen.size(); ++i) {
    ok = laplace::examples::Demo(chosen[i], static_cast<int>(i + 1),
                                 static_cast<int>(chosen.size()), out_dir) &&
         ok;
  }
  std::printf("\n%s\n", ok ? "Every bug was found, shrunk and replayed; every fix held."
                           : "Something did not go as expected (see above).");
  return ok ? 0 : 1;
}
