// The property pipeline: everything Laplace does with one property, as a
// library call that needs no test framework.
//
// RunProperty runs the whole sequence and returns what happened:
//   1. replay the property's corpus (<package>/replays/<Suite>.<Test>/), so a
//      checked-in failure stays fixed (or, for EXPECT_FAILURE files, stays
//      reproducible);
//   2. explore: RapidCheck cases, or a sweep of seeds (PropertyOptions), from
//      the process's base seed (settings.h), on this process's shard;
//   3. on a failure, shrink it (arguments and tape together);
//   4. write its replay file into the corpus, and for a bug-zoo property
//      (`expect_failure`) confirm the file reproduces the failure exactly.
// Settings can narrow it to one seed (--laplace_seed) or one file
// (--laplace_replay). LAPLACE_PROPERTY (property.h) is a thin GoogleTest
// layer over this; a plain main, a fuzzer or another framework can call it
// the same way:
//
//   int main(int argc, char** argv) {
//     // Honour (and refuse bad) --laplace_* flags and LAPLACE_* variables, as
//     // the test main does; without this only the defaults apply. The flags
//     // are taken out of argv; `laplace replay` also passes --gtest_filter=,
//     // which a plain main should ignore.
//     absl::StatusOr<Settings> settings =
//         ParseSettings(ProcessEnvironment(), TakeLaplaceFlags(argc, argv));
//     if (!settings.ok()) return std::cerr << settings.status().message(), 2;
//     InstallProcessSettings(*settings);
//     Property property = PropertyOf("Bank.Transfers", [](Simulation& sim) {
//       Bank bank(sim.loop(), {});
//       sim.AddInvariant("money-conserved", [&] { return bank.total() == 300; });
//       sim.loop().Spawn(Client(sim.loop(), bank));
//       sim.Run();
//     });
//     PropertyResult result = RunProperty(property, {.sweep_seeds = 1000});
//     if (!result.ok()) std::cerr << FormatResult(property, result);
//     return result.ok() ? 0 : 1;
//   }
#ifndef LAPLACE_PROPERTIES_PIPELINE_H_
#define LAPLACE_PROPERTIES_PIPELINE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "loop/loop.h"
#include "properties/cases.h"
#include "properties/confidence.h"
#include "properties/found_case.h"
#include "properties/replay_record.h"
#include "properties/runner.h"
#include "properties/settings.h"
#include "properties/shrinker.h"
#include "properties/sweep.h"

namespace laplace::properties {

// A property's own options, written with the test. Settings (flags and
// variables) override some of them for a run: see settings.h.
struct PropertyOptions {
  // RapidCheck cases to run (--laplace_cases).
  int cases = 100;
  // RapidCheck's largest generation size.
  int max_size = 100;
  // When non-zero, a fast seed sweep of this many seeds replaces RapidCheck
  // (--laplace_sweep); the arguments come from each seed too.
  uint64_t sweep_seeds = 0;
  // Wall-clock budget of a sweep; zero means none (--laplace_sweep_seconds).
  std::chrono::milliseconds sweep_budget{0};
  // Wall-clock budget for shrinking one failure (--laplace_shrink_seconds);
  // zero reports the failure as found, unshrunk.
  std::chrono::milliseconds shrink_budget = std::chrono::seconds(10);
  // When non-zero, at most this many candidate runs shrink one failure
  // (--laplace_shrink_candidates; a RapidCheck property's count also has
  // RapidCheck's rerun of the smallest case it ended on). Unlike the wall-clock budget it does not
  // depend on the machine's load: with a shrink_budget large enough never to
  // run out first, the same seed shrinks to the same file everywhere.
  uint64_t shrink_candidates_max = 0;
  // How runs are scheduled (--laplace_strategy): a name from loop/strategies/registry.h, by
  // default the portfolio (seed s runs member s % 16, see loop/strategies/portfolio.h).
  // "bounded:preemptions=B" replaces the sweep or RapidCheck with the bounded search: every
  // schedule with at most B preemptions, for the arguments of the base seed, reporting when
  // the space is exhausted (a proof that no such schedule fails). Replays and shrinking never
  // use a strategy: a tape holds every pick (loop/strategy.h).
  StrategyConfig strategy{"portfolio", {}};
  // Budgets for every run's Loop, and a user-written strategy (loop.strategy, not owned),
  // which wins over `strategy` unless --laplace_strategy is given.
  LoopOptions loop;
  // Wall-clock limit of one run, for tasks that never yield.
  std::chrono::seconds watchdog = std::chrono::seconds(120);
  // Write a replay file for a new failure (--laplace_write_replays).
  bool write_replays = true;
  // How many trace events a failure report and a replay file keep.
  size_t trace_tail = 40;
  // The bug zoo: the property is known to fail (a system with a deliberate
  // bug). It then passes only if a failure is found, shrinks, and its replay
  // reproduces the same failure and trace digest. Its replay file is written
  // (with EXPECT_FAILURE) only when recording (`record`, --laplace_record).
  bool expect_failure = false;
  // Bug zoo: write the confirmed failure's replay file into the corpus. Also, for every
  // property: rebuild a corpus file that diverged on the new code and rewrite it (see
  // docs/ci.md, "When the code changes under a corpus file").
  bool record = false;
  // What a corpus file that diverged (the program no longer makes the choices it recorded)
  // does: fail the test (the default: a file that no longer exercises its scenario is never a
  // silent pass) or warn and go on (--laplace_on_divergence overrides it).
  OnDivergence on_divergence = OnDivergence::kFail;
  // Which cases are rerun to check that they run the same way twice
  // (--laplace_check_determinism overrides it; settings.h, determinism.h).
  DeterminismCheck check_determinism;
};

// A property: its name, where it is defined, and its cases.
struct Property {
  std::string name;         // "Suite.Test": names its corpus folder and its reports
  std::string source_file;  // the test's __FILE__ (workspace-relative), or ""
  int line = 0;             // where reports point (the LAPLACE_PROPERTY line)
  std::shared_ptr<PropertyCases> cases;
  // The package whose replays/ folder is the corpus; default (""): the
  // folder of source_file. With neither, there is no corpus to replay, and
  // new files go under the corpus root (LAPLACE_CORPUS_ROOT) or the current
  // directory.
  std::string package;

  // `package`, else the folder of `source_file`.
  std::string CorpusPackage() const;
};

// A property without generated arguments.
Property PropertyOf(std::string name, Body body, std::string source_file = "");

// A problem that makes the property fail (other than a found failure): a
// corpus file that no longer holds, RapidCheck giving up, a known bug not
// found, a bad replay file. `file`/`line` point where it comes from, when known.
struct Problem {
  std::string message;
  std::string file;
  int line = 0;
};

// One corpus file, replayed.
struct CorpusReplay {
  std::string path;
  ReplayVerdict verdict;
};

// What the bounded search did (PropertyOptions::strategy "bounded").
struct BoundedOutcome {
  int preemptions_max = 0;  // the bound asked for
  int bound = 0;            // the bound of the last schedule run
  uint64_t schedules = 0;
  // Every schedule within preemptions_max passed: no such schedule fails.
  bool exhausted = false;
  std::string summary;  // BoundedResult::Summary
};

// A failure found by exploring, after shrinking.
struct FoundFailure {
  FoundCase found;
  std::string how_found;     // "seed 7 after 8 run(s)", "a RapidCheck case (...)"
  std::string replay_path;   // the file written, "" if none
  std::string replay_error;  // why no file was written, when one should have been
  // What keeping one file per failure signature did (replays/corpus_files.h): "" when the file
  // was simply added; else that the corpus already held this failure as simply (replay_path is
  // then that file) or which less simple files of it were replaced.
  std::string replay_note;
  // Under `bazel test`: the copy of the replay file and the whole trace kept
  // as the CI job's artifacts (replays/corpus.h, ArtifactDirectory).
  std::vector<std::string> artifacts;
  // Bug zoo: the rerun of the failure's replay file in a fresh run.
  std::optional<ReplayVerdict> confirmation;
};

// What the exploring runs did, for the summary line (FormatSummary).
// Shrink candidates and determinism reruns are not counted.
struct RunStats {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t discarded = 0;
  // Injected faults that fired, by kind, over every run (runner.h).
  absl::btree_map<std::string, uint64_t, std::less<>> faults;
  uint64_t fault_choices = 0;  // non-zero kFault choices on every run's tape
  uint64_t runs_with_faults = 0;
  // RapidCheck's RC_CLASSIFY/RC_TAG table: each combination of tags and
  // how many cases had it (only when RapidCheck explored and passed).
  std::vector<std::pair<std::vector<std::string>, int>> classes;
};

struct PropertyResult {
  enum class Outcome {
    kPassed,   // nothing wrong: no failure, or a bug-zoo failure confirmed
    kFailed,   // a found failure (not expected) or a problem
    kSkipped,  // --laplace_replay names another property's file
  };
  Outcome outcome = Outcome::kPassed;
  std::string skip_reason;
  std::vector<Problem> problems;
  std::vector<CorpusReplay> corpus;
  // Exploration: the base seed it started from, runs made (cases or seeds,
  // shrink candidates not included), runs rejected by RC_PRE.
  uint64_t base_seed = 0;
  uint64_t runs = 0;
  uint64_t discarded = 0;
  bool sweep_budget_exhausted = false;
  std::chrono::milliseconds explore_time{0};
  RunStats stats;
  std::optional<FoundFailure> failure;
  // Set when the bounded search explored.
  std::optional<BoundedOutcome> bounded;
  // The property was expected to fail (bug zoo) and `failure` was confirmed.
  bool known_bug_confirmed = false;
  // Determinism checks (settings.h, DeterminismCheck): cases checked, and
  // the report of the first case that did not run the same way twice (also
  // one of `problems`).
  uint64_t determinism_checked = 0;
  std::optional<std::string> nondeterminism;
  // --laplace_confidence: the measurement (confidence.h).
  std::optional<ConfidenceResult> confidence;

  bool ok() const { return outcome != Outcome::kFailed; }
};

// Where the pipeline says what it is doing while it runs.
struct PipelineOutput {
  // One line at a time ("[laplace] Bank.Transfers: 100 RapidCheck case(s) passed").
  std::function<void(const std::string& line)> note;
  // While shrinking (called often; suited to a terminal's status line).
  std::function<void(const ShrinkProgress& progress)> shrink_progress;
  // While exploring, after every run (called often, like shrink_progress).
  std::function<void(const ExploreProgress& progress)> explore_progress;

  // Lines to stderr; when stderr is a terminal, also a status line for
  // exploring and shrinking, redrawn at most ten times a second.
  static PipelineOutput Stderr();
  static PipelineOutput Silent() { return {}; }
};

// Runs the pipeline (see the banner) for `property`.
PropertyResult RunProperty(const Property& property, const PropertyOptions& options,
                           const Settings& settings = ProcessSettings(),
                           const PipelineOutput& output = PipelineOutput::Stderr());

// Runs one input of a coverage-guided fuzzer (libFuzzer; fuzz_main.cc) as
// one case of `property`: arguments, for a property that takes them, seeded
// from its first 8 bytes, and every choice from the remaining bytes
// (loop/choice.h, ByteSource; past their end every choice is 0). A failure
// is rerun (determinism), shrunk, and written as an ordinary replay file into
// the corpus (a bug-zoo property's with EXPECT_FAILURE); `result.failure`
// then says so. No corpus replay, no summary: a fuzzer calls this millions
// of times.
PropertyResult RunPropertyOnBytes(const Property& property, const PropertyOptions& options,
                                  std::span<const uint8_t> bytes,
                                  const Settings& settings = ProcessSettings(),
                                  const PipelineOutput& output = PipelineOutput::Stderr());

// The report of a found failure: what failed, how it was found, the
// arguments, the shrink, the trace tail, the replay file and the one command
// that reproduces it.
std::string FormatFailure(const Property& property, const FoundFailure& failure);

// The summary of what exploring did: runs, runs per second, outcomes, the
// faults that fired, the determinism checks, and RapidCheck's classes (one
// line, then the classes' table when there is one).
std::string FormatSummary(const Property& property, const PropertyResult& result);

// Everything that makes `result` not ok, as text (empty when it is ok).
std::string FormatResult(const Property& property, const PropertyResult& result);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_PIPELINE_H_
