// The pipeline's sequence (see pipeline.h): settings applied, a single file or seed, the
// corpus, exploring, and what happens to a found failure. The phases are in internal/.
#include "properties/pipeline.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_join.h"
#include "base/strings.h"
#include "loop/strategies/registry.h"
#include "properties/address_space.h"
#include "properties/internal/pipeline_context.h"
#include "replays/corpus.h"
#include "replays/corpus_files.h"
#include "replays/replay_file.h"
#include "replays/trace_export/recording.h"
#include "replays/trace_export/text.h"

namespace laplace::properties {
namespace {

using internal::PipelineContext;
using WallClock = std::chrono::steady_clock;  // allowed: a terminal's redraw rate
using laplace::internal::Append;
using laplace::internal::Cat;

PropertyOptions Resolve(PropertyOptions options, const Settings& settings) {
  if (settings.cases.has_value()) options.cases = *settings.cases;
  if (settings.sweep_seeds.has_value()) options.sweep_seeds = *settings.sweep_seeds;
  if (settings.sweep_budget.has_value()) {
    options.sweep_budget = *settings.sweep_budget;
    // A budget alone means: sweep until it is spent.
    if (options.sweep_seeds == 0) options.sweep_seeds = uint64_t{1} << 62;
  }
  if (settings.shrink_budget.has_value()) options.shrink_budget = *settings.shrink_budget;
  if (settings.shrink_candidates_max.has_value()) {
    options.shrink_candidates_max = *settings.shrink_candidates_max;
  }
  if (settings.write_replays.has_value()) options.write_replays = *settings.write_replays;
  if (settings.record) options.record = true;
  if (settings.on_divergence.has_value()) options.on_divergence = *settings.on_divergence;
  if (settings.strategy.has_value()) {
    options.strategy = *settings.strategy;
    options.loop.strategy = nullptr;  // the setting wins over a strategy object in the test
  }
  if (settings.check_determinism.has_value())
    options.check_determinism = *settings.check_determinism;
  return options;
}

// Builds the strategy every exploring run uses (none for the bounded search, which makes its
// own), unless the test gave one. Returns false (with a problem) for a strategy that is not.
bool MakeExploringStrategy(const PipelineContext& context, PropertyOptions& options,
                           std::unique_ptr<Strategy>& owned) {
  if (options.loop.strategy != nullptr) return true;
  absl::Status valid = strategies::ValidateStrategy(options.strategy);
  if (!valid.ok()) {
    context.Problem(Cat("PropertyOptions::strategy: ", valid.message()),
                    context.property.source_file, context.property.line);
    return false;
  }
  if (strategies::IsBoundedSearch(options.strategy)) return true;
  owned = strategies::MakeStrategy(options.strategy).value();
  options.loop.strategy = owned.get();
  return true;
}

// Writes `failure`'s replay file into the corpus, expecting `expect`.
void WriteReplay(const PipelineContext& context, FoundFailure& failure,
                 replays::Expectation expect) {
  replays::Replay file = MakeReplay(failure.found, expect);
  // The corpus files that passed on today's code this run hold their failure no more.
  std::vector<std::string> passing;
  for (const CorpusReplay& replayed : context.result.corpus) {
    if (replayed.verdict.passed) {
      passing.push_back(std::filesystem::path(replayed.path).filename().string());
    }
  }
  absl::StatusOr<replays::CorpusAddition> added = replays::AddToCorpus(
      replays::CorpusWriteDirectory(context.settings.corpus, context.property.CorpusPackage(),
                                    file.test_name(), context.property.source_file),
      file, "", passing);
  if (!added.ok()) {
    failure.replay_error = std::string(added.status().message());
    return;
  }
  failure.replay_path = added->path;
  if (!added->written) {
    failure.replay_note = Cat("already held this failure (", file.failure().signature(),
                              ") in a file at least as simple, so no new file was written");
  } else if (!added->stale.empty()) {
    failure.replay_note = Cat("replaced ", absl::StrJoin(added->stale, ", "),
                              ", which has this failure's signature but passes on today's code "
                              "(its scenario no longer reaches the bug): this is a regression, or "
                              "the same bug by another path");
  } else if (added->updated && added->removed.empty()) {
    failure.replay_note = "updated the file already there (the same failure, the same digest)";
  } else if (!added->removed.empty()) {
    failure.replay_note =
        Cat("replaced ", added->removed.size(),
            " less simple file(s) of this failure: ", absl::StrJoin(added->removed, ", "));
  }
}

}  // namespace

std::function<std::string(const RunReport&)> internal::PipelineContext::HangWriter(
    uint64_t seed, int size, const CaseArgs& args) const {
  if (!options.write_replays) return nullptr;
  return [this, seed, size, args](const RunReport& report) {
    FoundFailure hang;
    hang.found = FoundCase{.test_name = property.name,
                           .bazel_target = settings.test_target,
                           .seed = seed,
                           .size = size,
                           .args_reproduce = args.reproduce,
                           .args_rendering = args.rendering,
                           .report = report,
                           .original_length = report.tape.size()};
    WriteReplay(*this, hang, replays::EXPECT_PASS);
    if (hang.replay_path.empty()) {
      return Cat("  no replay file could be written: ", hang.replay_error, "\n");
    }
    return Cat("  the run up to that step is in ", hang.replay_path,
               "\n  replay it: ", replays::ReproduceCommand(hang.replay_path), "\n");
  };
}

namespace {

// Runs the case `file` (a found failure's replay) holds once more, strictly.
absl::StatusOr<RunReport> RerunFile(const PipelineContext& context, const replays::Replay& file,
                                    bool full_trace) {
  CaseArgs args;
  absl::StatusOr<Body> body =
      context.property.cases->ForReproduce(file.arguments().rapidcheck_reproduce(), args);
  if (!body.ok()) {
    return absl::FailedPreconditionError(
        Cat("the found failure's arguments do not regenerate: ", body.status().message()));
  }
  RunOptions run = context.Run("replaying the found failure");
  run.record_trace = full_trace;  // the whole trace, and its recording for the exports
  return RunOnce(*body, TapeSpec::Replay(replays::TapeFromReplay(file), TapeSource::Mode::kStrict),
                 run);
}

// Under `bazel test`, a CI job's artifacts of `failure` (replays/corpus.h,
// ArtifactDirectory): a copy of its replay file and its whole trace, with
// the report at the top, as <trace digest>.textpb and .trace.txt, and the
// trace viewer's page and the Perfetto JSON (replays/trace_export) as
// .trace.html and .perfetto.json.
void KeepArtifacts(const PipelineContext& context, FoundFailure& failure,
                   replays::Expectation expect) {
  const replays::CorpusEnvironment& env = context.settings.corpus;
  const std::string& test = context.property.name;
  if (replays::ArtifactDirectory(env, test).empty()) return;
  replays::Replay file = MakeReplay(failure.found, expect);
  absl::StatusOr<RunReport> rerun = RerunFile(context, file, true);
  std::string trace = Cat(FormatFailure(context.property, failure), "\n\nThe whole trace");
  if (rerun.ok()) {
    Append(trace, " (", rerun->trace.size(), " events):\n");
    for (const std::string& line : rerun->trace) Append(trace, line, "\n");
  } else {
    Append(trace, ": not available, ", rerun.status().message(), "\n");
  }
  std::vector<std::pair<std::string, std::string>> files = {
      {replays::ReplayFileName(file), replays::FormatReplay(file)},
      {Cat(file.trace_digest(), ".trace.txt"), trace}};
  if (rerun.ok() && rerun->recording != nullptr) {
    replays::trace_export::TraceRecording recording = *rerun->recording;
    recording.title = test;
    recording.source = failure.replay_path.empty() ? failure.how_found : failure.replay_path;
    for (auto format : {replays::trace_export::TraceFormat::kHtml,
                        replays::trace_export::TraceFormat::kPerfetto}) {
      files.emplace_back(Cat(file.trace_digest(),
                             format == replays::trace_export::TraceFormat::kHtml ? ".trace" : "",
                             replays::trace_export::TraceFormatExtension(format)),
                         internal::ExportTrace(recording, format, {}));
    }
  }
  for (const auto& [name, text] : files) {
    absl::StatusOr<std::string> path = replays::WriteArtifact(env, test, name, text);
    if (!path.ok()) {
      context.Note(Cat("could not keep an artifact: ", path.status().message()));
    } else {
      failure.artifacts.push_back(*path);
    }
  }
}

// The bug zoo: a failure was expected. Checks that its replay reproduces it
// exactly in a fresh run, and records the file when asked.
void ConfirmKnownBug(const PipelineContext& context, FoundFailure& failure) {
  replays::Replay file = MakeReplay(failure.found, replays::EXPECT_FAILURE);
  absl::StatusOr<RunReport> rerun = RerunFile(context, file, false);
  failure.confirmation = rerun.ok() ? CheckRerun(file, *rerun)
                                    : ReplayVerdict{false, std::string(rerun.status().message())};
  if (!failure.confirmation->ok) {
    context.Problem(
        Cat("a known bug was found but its replay does not reproduce it: ",
            failure.confirmation->message, "\n", FormatFailure(context.property, failure)),
        context.property.source_file, context.property.line);
    return;
  }
  context.result.known_bug_confirmed = true;
  if (context.options.record) WriteReplay(context, failure, replays::EXPECT_FAILURE);
  KeepArtifacts(context, failure, replays::EXPECT_FAILURE);
  context.Note(Cat("known bug found, as expected:\n", FormatFailure(context.property, failure)));
}

// The causal chain of the shrunk failure: one more run of its case, with the whole trace kept.
// A rerun that does not fail leaves the chain empty (a nondeterministic case; the
// determinism checks say so).
void AddCausalChain(const PipelineContext& context, FoundCase& found) {
  absl::StatusOr<RunReport> rerun =
      RerunFile(context, MakeReplay(found, replays::EXPECT_FAILURE), true);
  if (!rerun.ok() || !rerun->failed() || rerun->recording == nullptr) return;
  replays::trace_export::ChainStory story = replays::trace_export::FailureChain(*rerun->recording);
  found.causal_chain = std::move(story.lines);
  found.causal_ancestors = story.ancestors;
}

void HandleFound(const PipelineContext& context, FoundFailure failure) {
  failure.found.test_name = context.property.name;
  failure.found.bazel_target = context.settings.test_target;
  AddCausalChain(context, failure.found);
  if (context.options.expect_failure) {
    ConfirmKnownBug(context, failure);
  } else {
    if (context.options.write_replays) WriteReplay(context, failure, replays::EXPECT_PASS);
    KeepArtifacts(context, failure, replays::EXPECT_PASS);
  }
  context.result.failure = std::move(failure);
}

// After exploring found nothing.
void NothingFound(const PipelineContext& context, const std::string& what) {
  const PropertyResult& result = context.result;
  if (result.runs > 0 && result.discarded == result.runs) {
    context.Problem(Cat("every one of ", result.runs,
                        " case(s) was rejected by a precondition (RC_PRE), so nothing was tested"),
                    context.property.source_file, context.property.line);
    return;
  }
  if (context.options.expect_failure) {
    context.Problem(Cat(context.property.name,
                        " is expected to fail (a known bug), but no failure was found in ",
                        result.runs, " ", what, " from base seed ", result.base_seed,
                        "; give it more cases or seeds, or check the bug is still there"),
                    context.property.source_file, context.property.line);
  }
}

// Failed when a problem or an unexpected failure was found, else passed.
void SetOutcome(PropertyResult& result) {
  bool failed =
      !result.problems.empty() || (result.failure.has_value() && !result.known_bug_confirmed);
  result.outcome = failed ? PropertyResult::Outcome::kFailed : PropertyResult::Outcome::kPassed;
}

void Explore(const PipelineContext& context) {
  const PropertyOptions& options = context.options;
  if (options.expect_failure && context.settings.shard.index != 0) {
    // A shard whose share of the seeds misses a known bug would fail the test.
    context.Note("a known bug; shard 0 searches for it");
    return;
  }
  context.result.base_seed = EffectiveBaseSeed(context.settings, options.expect_failure);
  const bool bounded = strategies::IsBoundedSearch(options.strategy);
  std::optional<FoundFailure> found =
      bounded ? internal::ExploreBounded(context, context.result.base_seed)
      : options.sweep_seeds > 0
          ? internal::ExploreSeeds(context, context.result.base_seed, options.sweep_seeds,
                                   std::nullopt, false)
          : internal::ExploreWithRapidCheck(context, context.result.base_seed);
  if (found.has_value()) {
    HandleFound(context, std::move(*found));
  } else if (context.result.problems.empty()) {
    NothingFound(context, bounded                   ? "schedule(s) of the bounded search"
                          : options.sweep_seeds > 0 ? "seed(s)"
                                                    : "RapidCheck case(s)");
  }
}

}  // namespace

std::string Property::CorpusPackage() const {
  if (!package.empty()) return package;
  return std::filesystem::path(source_file).parent_path().string();
}

Property PropertyOf(std::string name, Body body, std::string source_file) {
  return Property{.name = std::move(name),
                  .source_file = std::move(source_file),
                  .cases = std::make_shared<BodyCases>(std::move(body))};
}

PipelineOutput PipelineOutput::Stderr() {
  struct StatusLine {
    bool drawn = false;
    WallClock::time_point last{};
    // Draws `text` unless the line was drawn less than 100 ms ago.
    void Draw(const std::string& text) {
      const WallClock::time_point now = WallClock::now();  // allowed: redraw rate
      if (drawn && now - last < std::chrono::milliseconds(100)) return;
      last = now;
      drawn = true;
      std::fprintf(stderr, "\r[laplace] %s\033[K", text.c_str());
    }
  };
  PipelineOutput output;
  // A status line being redrawn ends before the next note.
  auto status = std::make_shared<StatusLine>();
  output.note = [status](const std::string& line) {
    std::fprintf(stderr, "%s%s\n", std::exchange(status->drawn, false) ? "\n" : "", line.c_str());
  };
  if (isatty(STDERR_FILENO) != 0) {
    output.shrink_progress = [status](const ShrinkProgress& progress) {
      status->Draw("shrinking: " + FormatProgress(progress));
    };
    output.explore_progress = [status](const ExploreProgress& progress) {
      status->Draw("exploring: " + FormatProgress(progress));
    };
  }
  return output;
}

PropertyResult RunProperty(const Property& property, const PropertyOptions& property_options,
                           const Settings& settings, const PipelineOutput& output) {
  PropertyOptions options = Resolve(property_options, settings);
  PropertyResult result;
  PipelineContext context{property, options, settings, output, result};
  ApplyAddressSpaceLimit(settings.address_space_mib);
  std::unique_ptr<Strategy> strategy;
  if (!MakeExploringStrategy(context, options, strategy)) {
    result.outcome = PropertyResult::Outcome::kFailed;
    return result;
  }
  if (!settings.determinism_dump.empty()) {
    internal::DumpCase(context);
  } else if (!settings.replay_file.empty()) {
    absl::StatusOr<replays::Replay> file = replays::ReadReplayFile(settings.replay_file);
    if (file.ok() && file->test_name() != property.name) {
      result.outcome = PropertyResult::Outcome::kSkipped;
      result.skip_reason = Cat("--laplace_replay is a file of ", file->test_name());
      return result;
    }
    if (settings.confidence.has_value()) {
      internal::MeasureConfidence(context, settings.replay_file, *settings.confidence);
    } else {
      ReplayVerdict verdict = internal::ReplayFile(context, settings.replay_file, true);
      context.Note(Cat("replay ", settings.replay_file, ": ", verdict.message));
      if (!verdict.ok) {
        context.Problem(Cat("Laplace replay ", settings.replay_file, " ", verdict.message));
      }
      result.corpus.push_back(CorpusReplay{settings.replay_file, verdict});
    }
  } else {
    internal::ReplayCorpus(context);
    if (settings.seed.has_value()) {
      // One seed is a question, not a search: its failure is reported, not confirmed.
      PropertyOptions single = options;
      single.expect_failure = false;
      PipelineContext one{property, single, settings, output, result};
      result.base_seed = settings.seed->seed;
      std::optional<FoundFailure> found = internal::ExploreSeeds(
          one, settings.seed->seed, 1,
          settings.seed->size.value_or(
              static_cast<int>(settings.seed->seed % (options.max_size + 1))),
          true);
      if (found.has_value()) {
        HandleFound(one, std::move(*found));
      } else {
        NothingFound(one, "seed(s)");
      }
    } else {
      Explore(context);
    }
  }
  if (result.runs > 0 && settings.determinism_dump.empty()) {
    context.Note(FormatSummary(property, result));
  }
  SetOutcome(result);
  return result;
}

PropertyResult RunPropertyOnBytes(const Property& property, const PropertyOptions& property_options,
                                  std::span<const uint8_t> bytes, const Settings& settings,
                                  const PipelineOutput& output) {
  PropertyOptions options = Resolve(property_options, settings);
  // A bug-zoo property's fuzzed failure is kept as what it is: a known bug.
  if (options.expect_failure) options.record = true;
  // Only a found failure is rerun: sampling millions of inputs would halve the fuzzer's speed.
  options.check_determinism.share_percent = 0;
  PropertyResult result;
  PipelineContext context{property, options, settings, output, result};
  std::optional<FoundFailure> found = internal::ExploreBytes(context, bytes);
  if (found.has_value()) HandleFound(context, std::move(*found));
  SetOutcome(result);
  return result;
}

}  // namespace laplace::properties
