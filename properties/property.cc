// The LAPLACE_PROPERTY test driver: replays the corpus, runs one seed, a sweep or RapidCheck,
// and reports (or, for the bug zoo, confirms) what they find. The RapidCheck plumbing is in
// internal/rapidcheck_case.cc.
#include "properties/property.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loop/digest.h"
#include "loop/internal/strings.h"
#include "properties/explorer.h"
#include "replays/corpus.h"
#include "replays/replay_file.h"

namespace laplace::properties {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// A non-negative integer from the environment; a malformed one fails the
// test with a message naming the variable.
std::optional<uint64_t> EnvNumber(const char* name) {
  std::string text = Env(name);
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  // strtoull would take "-1" as a huge number: only digits are accepted.
  if (text.find_first_not_of("0123456789") != std::string::npos || end == nullptr || *end != '\0') {
    ADD_FAILURE() << name << "=\"" << text << "\" is not a non-negative integer; ignoring it";
    return std::nullopt;
  }
  return value;
}

void ApplyEnvironment(PropertyOptions& options) {
  if (auto cases = EnvNumber("LAPLACE_CASES")) options.cases = static_cast<int>(*cases);
  if (auto seeds = EnvNumber("LAPLACE_SWEEP")) options.sweep_seeds = *seeds;
  if (auto seconds = EnvNumber("LAPLACE_SWEEP_SECONDS")) {
    options.sweep_budget = std::chrono::seconds(*seconds);
    if (options.sweep_seeds == 0) options.sweep_seeds = UINT64_MAX / 2;
  }
  if (auto seconds = EnvNumber("LAPLACE_SHRINK_SECONDS")) {
    options.shrink_budget = std::chrono::seconds(*seconds);
  }
  if (Env("LAPLACE_WRITE_REPLAYS") == "0") options.write_replays = false;
}

// The shard of this process when the Laplace main spreads cases across
// shards (it moves the sharding variables to LAPLACE_* ones).
Shard PropertyShard() {
  std::optional<uint64_t> total = EnvNumber("LAPLACE_TOTAL_SHARDS");
  std::optional<uint64_t> index = EnvNumber("LAPLACE_SHARD_INDEX");
  if (!total.has_value() || !index.has_value() || *total == 0 || *index >= *total) return {};
  return Shard{*index, *total};
}

bool Interactive() { return isatty(STDERR_FILENO) != 0; }

RunOptions BaseRunOptions(const PropertyOptions& options, const std::string& hint) {
  return RunOptions{.loop = options.loop,
                    .trace_tail = options.trace_tail,
                    .watchdog = options.watchdog,
                    .reproduce_hint = hint};
}

void PrintTrace(const std::vector<std::string>& trace, const char* title) {
  std::fprintf(stderr, "%s\n", title);
  for (const std::string& line : trace) std::fprintf(stderr, "    %s\n", line.c_str());
}

// Replays one corpus (or LAPLACE_REPLAY) file; reports through GoogleTest.
void ReplayFile(const PropertyInfo& info, PropertyCases& cases, const PropertyOptions& options,
                const std::string& path, bool print_trace) {
  absl::StatusOr<replays::Replay> file = replays::ReadReplayFile(path, info.test_name);
  if (!file.ok()) {
    ADD_FAILURE() << "Laplace cannot replay " << path << ":\n  " << file.status().message();
    return;
  }
  CaseArgs args;
  absl::StatusOr<Body> body = cases.ForReproduce(file->arguments().rapidcheck_reproduce(), args);
  if (!body.ok()) {
    ADD_FAILURE() << "Laplace cannot replay " << path << ": " << body.status().message();
    return;
  }
  RunOptions run = BaseRunOptions(options, "replaying " + path);
  run.full_trace = print_trace;
  run.loop.stop_on_divergence = file->expect() == replays::EXPECT_FAILURE;
  RunReport report = RunOnce(
      *body, TapeSpec::Replay(replays::TapeFromReplay(*file), TapeSource::Mode::kStrict), run);
  ReplayVerdict verdict = CheckRerun(*file, report);
  std::fprintf(stderr, "[laplace] %s: replay %s: %s\n", info.test_name.c_str(), path.c_str(),
               verdict.message.c_str());
  if (print_trace) PrintTrace(report.trace, "[laplace] its trace:");
  if (!verdict.ok) {
    std::string trace;
    for (const std::string& line : report.trace) Append(trace, "    ", line, "\n");
    ADD_FAILURE() << "Laplace replay " << path << " " << verdict.message
                  << (print_trace ? "" : "\n  trace (last events):\n" + trace);
  }
}

void ReplayCorpus(const PropertyInfo& info, PropertyCases& cases, const PropertyOptions& options) {
  std::string directory = CorpusReadDirectoryFor(info.source_file, info.test_name);
  absl::StatusOr<std::vector<std::string>> files = replays::ListReplayFiles(directory);
  if (!files.ok()) {
    ADD_FAILURE() << "Laplace cannot read the corpus " << directory << ": "
                  << files.status().message();
    return;
  }
  for (const std::string& path : *files) ReplayFile(info, cases, options, path, false);
  if (!files->empty()) {
    std::fprintf(stderr, "[laplace] %s: replayed %zu corpus file(s) from %s\n",
                 info.test_name.c_str(), files->size(), directory.c_str());
  }
}

// The report of a found failure, without the trace.
std::string DescribeFound(const PropertyInfo& info, const FoundCase& found,
                          const std::string& how_found) {
  const RunReport& report = found.report;
  std::string text = Cat(
      "Laplace found a failure in ", info.test_name, "\n  failure:   ", report.failure->ToString(),
      "\n  signature: ", report.failure->signature(), "\n  found:     ", how_found, "\n");
  for (size_t i = 0; i < found.args_rendering.size(); ++i) {
    Append(text, i == 0 ? "  arguments: " : "             ", found.args_rendering[i], "\n");
  }
  Append(text, "  shrunk:    ", found.original_length, " -> ", report.tape.size(), " choices (",
         NonZeroScheduleChoices(report.tape), " non-zero schedule) after ", found.candidates_tried,
         " candidates", found.shrink_budget_exhausted ? " (shrink budget exhausted)" : "", "\n");
  return text;
}

std::string TraceText(const RunReport& report) {
  std::string text = Cat("  trace (last ", report.trace.size(), " events):\n");
  for (const std::string& line : report.trace) Append(text, "    ", line, "\n");
  return text;
}

// Reports a found failure: writes its replay file and fails the test.
void ReportFound(const PropertyInfo& info, const PropertyOptions& options, FoundCase found,
                 const std::string& how_found) {
  found.test_name = info.test_name;
  found.bazel_target = CurrentBazelTarget();
  // The report ends with the one command that reproduces the failure.
  std::string text = DescribeFound(info, found, how_found) + TraceText(found.report);
  if (options.write_replays) {
    replays::Replay file = MakeReplay(found, replays::EXPECT_PASS);
    absl::StatusOr<std::string> path = WriteFoundReplay(file, info.source_file);
    if (path.ok()) {
      Append(text, "  replay:    ", *path,
             " (in the test's corpus: replayed first from now on, it expects the property to "
             "pass, so it fails until the bug is fixed and guards the fix after)\n",
             "  reproduce: ", ReproduceCommand(*path), "\n");
    } else {
      Append(text, "  replay:    not written: ", path.status().message(), "\n");
    }
  }
  if (!options.write_replays || text.find("  reproduce: ") == std::string::npos) {
    // No file: the seed reruns the case (before shrinking).
    Append(text, "  reproduce: bazel run ", found.bazel_target, " -- --laplace_seed=", found.seed,
           ":", found.size, " --gtest_filter=", info.test_name, "\n");
  }
  ADD_FAILURE() << text;
}

// The bug zoo: a failure was expected. Checks that its replay reproduces it
// exactly in a fresh run, and records the file when asked.
void ConfirmKnownBug(const PropertyInfo& info, PropertyCases& cases, const PropertyOptions& options,
                     FoundCase found, const std::string& how_found) {
  found.test_name = info.test_name;
  found.bazel_target = CurrentBazelTarget();
  replays::Replay file = MakeReplay(found, replays::EXPECT_FAILURE);
  CaseArgs args;
  absl::StatusOr<Body> body = cases.ForReproduce(found.args_reproduce, args);
  if (!body.ok()) {
    ADD_FAILURE() << "the found failure's arguments do not regenerate: " << body.status();
    return;
  }
  RunOptions run = BaseRunOptions(options, "replaying the found failure");
  RunReport rerun = RunOnce(
      *body, TapeSpec::Replay(replays::TapeFromReplay(file), TapeSource::Mode::kStrict), run);
  ReplayVerdict verdict = CheckRerun(file, rerun);
  std::string text = DescribeFound(info, found, how_found);
  Append(text, "  replayed:  ", verdict.message, "\n");
  if (!verdict.ok) {
    ADD_FAILURE() << "a known bug was found but its replay does not reproduce it:\n"
                  << text << TraceText(rerun);
    return;
  }
  if (Env("LAPLACE_RECORD") == "1") {
    absl::StatusOr<std::string> path = WriteFoundReplay(file, info.source_file);
    Append(text, "  recorded:  ", path.ok() ? *path : std::string(path.status().message()), "\n");
  }
  std::fprintf(stderr, "[laplace] known bug found, as expected:\n%s", text.c_str());
}

// What to do with a found failure: report it, or confirm an expected one.
void Found(const PropertyInfo& info, PropertyCases& cases, const PropertyOptions& options,
           FoundCase found, const std::string& how_found) {
  if (options.expect_failure) {
    ConfirmKnownBug(info, cases, options, std::move(found), how_found);
  } else {
    ReportFound(info, options, std::move(found), how_found);
  }
}

// A bug-zoo property that passed everything: its bug was not found.
void NotFound(const PropertyInfo& info, const PropertyOptions& options, const std::string& what) {
  if (!options.expect_failure) return;
  ADD_FAILURE() << info.test_name
                << " is expected to fail (a known bug), but no failure was found in " << what
                << "; give it more cases or seeds, or check the bug is still there";
}

// Shrinks a failure found by a seeded run (its arguments are fixed).
FoundCase ShrinkSeedFailure(const Body& body, uint64_t seed, int size, const CaseArgs& args,
                            const RunReport& failing, const PropertyOptions& options,
                            const RunOptions& run) {
  ShrinkOptions shrink_options{.budget = options.shrink_budget};
  if (Interactive()) {
    shrink_options.progress = [](const ShrinkProgress& progress) {
      std::fprintf(stderr, "\r[laplace] shrinking: %s   ", FormatProgress(progress).c_str());
    };
  }
  ShrinkResult shrunk = Shrink(
      [&](const Tape& tape) {
        return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), run);
      },
      failing, shrink_options);
  if (Interactive()) std::fprintf(stderr, "\n");
  return FoundCase{.seed = seed,
                   .size = size,
                   .args_reproduce = args.reproduce,
                   .args_rendering = args.rendering,
                   .report = shrunk.report,
                   .original_length = shrunk.original_length,
                   .candidates_tried = shrunk.tried,
                   .shrink_budget_exhausted = shrunk.budget_exhausted};
}

// Parses "S" or "S:Z" (digits only).
std::optional<std::pair<uint64_t, int>> ParseSeed(const std::string& text, int max_size) {
  auto digits = [](const std::string& part) {
    return !part.empty() && part.size() <= 19 &&
           part.find_first_not_of("0123456789") == std::string::npos;
  };
  size_t colon = text.find(':');
  std::string seed_text = text.substr(0, colon);
  if (!digits(seed_text)) return std::nullopt;
  uint64_t seed = std::strtoull(seed_text.c_str(), nullptr, 10);
  int size = static_cast<int>(seed % static_cast<uint64_t>(max_size + 1));
  if (colon != std::string::npos) {
    std::string size_text = text.substr(colon + 1);
    if (!digits(size_text) || size_text.size() > 6) return std::nullopt;
    size = std::atoi(size_text.c_str());
  }
  return std::pair{seed, size};
}

// Runs seeds (LAPLACE_SEED's one, or a sweep); shrinks and reports a failure.
void RunSeeds(const PropertyInfo& info, PropertyCases& cases, const PropertyOptions& options,
              uint64_t first, uint64_t count, std::optional<int> fixed_size, bool print_trace) {
  ExploreOptions explore{.first_seed = first,
                         .seeds = count,
                         .budget = options.sweep_budget,
                         .shard = fixed_size.has_value() ? Shard{} : PropertyShard()};
  CaseArgs failing_args;
  Body failing_body;
  int failing_size = 0;
  ExploreResult result = Explore(
      [&](uint64_t seed) {
        int size = fixed_size.value_or(static_cast<int>(seed % (options.max_size + 1)));
        failing_size = size;
        CaseArgs args;
        Body body = cases.ForSeed(seed, size, args);
        RunOptions run = BaseRunOptions(
            options, Cat("rerun with LAPLACE_SEED=", seed, ":", size, " to reproduce"));
        run.full_trace = print_trace;
        RunReport report = RunOnce(body, TapeSpec::Seed(seed), run);
        if (report.failed()) {
          failing_args = args;
          failing_body = body;
        }
        return report;
      },
      explore);
  if (!result.failing_seed.has_value()) {
    std::fprintf(stderr, "[laplace] %s: %llu seed(s) passed, %llu discarded, in %lldms%s\n",
                 info.test_name.c_str(),
                 static_cast<unsigned long long>(result.runs - result.discarded),
                 static_cast<unsigned long long>(result.discarded),
                 static_cast<long long>(result.elapsed.count()),
                 result.budget_exhausted ? " (sweep budget reached)" : "");
    if (result.runs > 0 && result.discarded == result.runs) {
      ADD_FAILURE() << info.test_name << ": every one of " << result.runs
                    << " seed(s) was rejected by a precondition (RC_PRE), so nothing was tested";
      return;
    }
    NotFound(info, options, Cat(result.runs, " seed(s)"));
    return;
  }
  if (print_trace) PrintTrace(result.report->trace, "[laplace] the failing run's trace:");
  RunOptions run = BaseRunOptions(options, "shrinking");
  FoundCase found = ShrinkSeedFailure(failing_body, *result.failing_seed, failing_size,
                                      failing_args, *result.report, options, run);
  Found(info, cases, options, std::move(found),
        Cat("seed ", *result.failing_seed, " after ", result.runs, " run(s)"));
}

// RapidCheck shrinks a case with the tape passes it can express as values;
// the realign pass needs runs of its own (shrinker.h, Realign), so a case
// RapidCheck has finished with gets one more Shrink with its arguments fixed.
// It gets what RapidCheck left of the shrink budget.
void PolishRapidCheckFailure(PropertyCases& cases, std::chrono::milliseconds budget,
                             const RunOptions& run, FoundCase& found) {
  if (budget <= std::chrono::milliseconds(0) || !found.report.failed()) return;
  CaseArgs args;
  absl::StatusOr<Body> body = cases.ForReproduce(found.args_reproduce, args);
  if (!body.ok()) return;
  ShrinkResult shrunk = Shrink(
      [&](const Tape& tape) {
        return RunOnce(*body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), run);
      },
      found.report, {.budget = budget});
  found.candidates_tried += shrunk.tried;
  found.shrink_budget_exhausted = found.shrink_budget_exhausted || shrunk.budget_exhausted;
  if (shrunk.accepted > 0) found.report = std::move(shrunk.report);
}

void RunWithRapidCheck(const PropertyInfo& info, PropertyCases& cases,
                       const PropertyOptions& options) {
  Shard shard = PropertyShard();
  RapidCheckSettings settings{
      .test_name = info.test_name,
      .seed = HashString(info.test_name) + shard.index,
      .cases =
          static_cast<int>((static_cast<uint64_t>(options.cases) + shard.count - 1) / shard.count),
      .max_size = options.max_size,
      .shrink_budget = options.shrink_budget,
      .run = BaseRunOptions(options, "a RapidCheck case of " + info.test_name)};
  if (Interactive()) {
    settings.progress = [](const FoundCase& found) {
      std::fprintf(stderr,
                   "\r[laplace] shrinking: %zu choices (%zu non-zero schedule), %zu tried   ",
                   found.report.tape.size(), NonZeroScheduleChoices(found.report.tape),
                   found.candidates_tried);
    };
  }
  RapidCheckOutcome outcome = cases.Check(settings);
  if (Interactive() && outcome.found.has_value()) std::fprintf(stderr, "\n");
  if (!outcome.error.empty()) {
    ADD_FAILURE() << "RapidCheck: " << outcome.error;
    return;
  }
  if (!outcome.found.has_value()) {
    std::fprintf(stderr, "[laplace] %s: %d RapidCheck case(s) passed\n", info.test_name.c_str(),
                 outcome.cases_run);
    NotFound(info, options, Cat(outcome.cases_run, " RapidCheck case(s)"));
    return;
  }
  uint64_t seed = outcome.found->seed;
  int size = outcome.found->size;
  PolishRapidCheckFailure(cases, outcome.shrink_budget_left, settings.run, *outcome.found);
  Found(info, cases, options, std::move(*outcome.found),
        Cat("a RapidCheck case (LAPLACE_SEED=", seed, ":", size, " reruns it before shrinking); ",
            outcome.cases_run, " run(s) in all"));
}

}  // namespace

void RunPropertyTest(const PropertyInfo& info, PropertyCases& cases, PropertyOptions options) {
  ApplyEnvironment(options);
  std::string replay = Env(replays::kReplayFileEnv);
  bool print_trace = Env(replays::kTraceEnv) == "1";
  if (!replay.empty()) {
    ReplayFile(info, cases, options, ResolveReplayPath(replay), print_trace);
    return;
  }
  ReplayCorpus(info, cases, options);
  std::string seed_text = Env("LAPLACE_SEED");
  if (!seed_text.empty()) {
    std::optional<std::pair<uint64_t, int>> seed = ParseSeed(seed_text, options.max_size);
    if (!seed.has_value()) {
      ADD_FAILURE() << "LAPLACE_SEED=\"" << seed_text << "\" is not SEED or SEED:SIZE";
      return;
    }
    PropertyOptions single = options;
    single.expect_failure = false;  // one seed is a question, not a search
    RunSeeds(info, cases, single, seed->first, 1, seed->second, /*print_trace=*/true);
    return;
  }
  if (options.expect_failure && PropertyShard().index != 0) {
    // A known bug is searched for on one shard only: a shard whose share of
    // the seeds misses it would otherwise fail the test.
    std::fprintf(stderr, "[laplace] %s: a known bug; shard 0 searches for it\n",
                 info.test_name.c_str());
    return;
  }
  if (options.sweep_seeds > 0) {
    RunSeeds(info, cases, options, 0, options.sweep_seeds, std::nullopt, false);
    return;
  }
  RunWithRapidCheck(info, cases, options);
}

}  // namespace laplace::properties
