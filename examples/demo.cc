// The Laplace demo: for each example system with a real concurrency bug,
// find the bug by sweeping seeds, shrink the failing run, write a replay
// file, replay it in a fresh run to the same trace digest, print the one
// command that reproduces it and the shrunk run as a story; then show that
// the fixed twin passes a sweep of many seeds.
//
//   bazel run //examples:demo                    # all examples
//   bazel run //examples:demo -- bank            # only those named
//   bazel run //examples:demo -- --out=DIR       # where replay files go
//
// Everything here goes through the same public API a test uses
// (properties/: Explore, Shrink, RunOnce, MakeReplay, CheckRerun).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "examples/demo_cases.h"
#include "loop/internal/strings.h"
#include "properties/explorer.h"
#include "properties/replay_support.h"
#include "properties/runner.h"
#include "properties/shrinker.h"
#include "replays/corpus.h"
#include "replays/replay_file.h"

namespace laplace::examples {
namespace {

using namespace properties;
using Clock = std::chrono::steady_clock;  // allowed: the demo reports wall time

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

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
  return internal::Cat(count, " ", word, count == 1 ? "" : "s");
}

// Runs one example's story; returns false if something did not go as the
// demo promises (which would be a bug in Laplace or in the example).
bool Demo(const DemoCase& demo, int index, int count, const std::string& out_dir) {
  std::printf("\n[%d/%d] %s\n", index, count, demo.title.c_str());
  for (const std::string& line : demo.explanation) std::printf("      %s\n", line.c_str());

  // 1. Search.
  Clock::time_point start = Clock::now();
  ExploreResult found =
      Explore([&](uint64_t seed) { return RunOnce(demo.buggy, TapeSpec::Seed(seed), {}); },
              {.seeds = demo.seeds});
  if (!found.failing_seed.has_value()) {
    std::printf("  search   no failure in %s: unexpected\n", Plural(found.runs, "seed").c_str());
    return false;
  }
  const RunReport& failing = *found.report;
  std::printf("  search   FOUND at seed %llu after %s (%.2fs):\n           %s\n",
              static_cast<unsigned long long>(*found.failing_seed),
              Plural(found.runs, "run").c_str(), SecondsSince(start),
              failing.failure->ToString().c_str());

  // 2. Shrink.
  start = Clock::now();
  ShrinkResult shrunk = Shrink(
      [&](const Tape& tape) {
        return RunOnce(demo.buggy, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), {});
      },
      failing, {.budget = std::chrono::seconds(10)});
  size_t nonzero_schedule = NonZeroScheduleChoices(shrunk.tape);
  size_t nonzero_other = NonZeroOtherChoices(shrunk.tape);
  std::printf("  shrink   %zu -> %zu choices (%s, %s), %s tried, %.2fs\n", shrunk.original_length,
              shrunk.tape.size(), Plural(nonzero_schedule, "non-zero schedule choice").c_str(),
              Plural(nonzero_other, "non-zero fault/delay/draw choice").c_str(),
              Plural(shrunk.tried, "candidate").c_str(), SecondsSince(start));

  // 3. Write the replay file, as the bug-zoo test names it.
  FoundCase found_case{.test_name = demo.test_name,
                       .bazel_target = demo.bazel_target,
                       .seed = *found.failing_seed,
                       .report = shrunk.report,
                       .original_length = shrunk.original_length,
                       .candidates_tried = shrunk.tried,
                       .shrink_budget_exhausted = shrunk.budget_exhausted};
  replays::Replay file = MakeReplay(found_case, replays::EXPECT_FAILURE);
  std::string path =
      internal::Cat(out_dir, "/", replays::CorpusDirectory(demo.package, demo.test_name), "/",
                    replays::ReplayFileName(file));
  absl::Status written = replays::WriteReplayFileAtomically(path, file);
  if (!written.ok()) {
    std::printf("  replay   could not write %s: %s\n", path.c_str(),
                std::string(written.message()).c_str());
    return false;
  }
  std::printf("  replay   written to %s\n", path.c_str());

  // 4. Read it back and replay it in a fresh run.
  absl::StatusOr<replays::Replay> read = replays::ReadReplayFile(path, demo.test_name);
  if (!read.ok()) {
    std::printf("  replay   cannot read it back: %s\n",
                std::string(read.status().message()).c_str());
    return false;
  }
  RunReport rerun = RunOnce(
      demo.buggy, TapeSpec::Replay(replays::TapeFromReplay(*read), TapeSource::Mode::kStrict), {});
  ReplayVerdict verdict = CheckRerun(*read, rerun);
  std::printf("           %s in a fresh run\n", verdict.message.c_str());
  std::printf("  command  bazel run //replays:laplace -- replay %s --trace\n", path.c_str());

  // 5. The story of the shrunk run: rerun it with the whole trace kept.
  RunReport story = RunOnce(
      demo.buggy, TapeSpec::Replay(replays::TapeFromReplay(*read), TapeSource::Mode::kStrict),
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

  // 6. The fixed twin.
  start = Clock::now();
  ExploreResult fixed =
      Explore([&](uint64_t seed) { return RunOnce(demo.fixed, TapeSpec::Seed(seed), {}); },
              {.seeds = demo.fixed_seeds});
  if (fixed.failing_seed.has_value()) {
    std::printf("  fixed    FAILS at seed %llu: %s\n",
                static_cast<unsigned long long>(*fixed.failing_seed),
                fixed.report->failure->ToString().c_str());
    return false;
  }
  std::printf("  fixed    %s: all %s pass (%.2fs)\n", demo.fix.c_str(),
              Plural(fixed.runs, "seed").c_str(), SecondsSince(start));
  return verdict.ok;
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
