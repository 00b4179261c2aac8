// Settings: every knob of a Laplace test process, read in one place.
//
// A property run is shaped by its PropertyOptions (written in the test) and
// by the process it runs in: `--laplace_*` flags, `LAPLACE_*` environment
// variables, and what Bazel and GoogleTest tell a test (shards,
// TEST_RANDOM_SEED, where the workspace is). This module is the only code
// that reads any of them. Every variable has a flag and every flag a
// variable (a flag wins over its variable); a malformed or out-of-range
// value, an unknown `--laplace*` flag (a misspelling such as `--laplace-seed`
// included) or a shard index outside the shard count is an error that names
// the variable or flag, the value and what is accepted. The Laplace test main
// (main.cc) parses the settings before anything runs and exits with status 2
// on an error.
//
//   // In a test main (properties/main.cc does this):
//   absl::StatusOr<Settings> settings = ParseSettings(ProcessEnvironment(), TakeLaplaceFlags(argc,
//   argv)); if (!settings.ok()) { std::cerr << settings.status().message(); return 2; }
//   InstallProcessSettings(*settings);
//
//   // In a test of the harness: a Settings built by hand.
//   Settings settings = ParseSettings({{"LAPLACE_SWEEP", "100"}}, {}).value();
//   PropertyResult result = RunProperty(property, options, settings);
#ifndef LAPLACE_PROPERTIES_SETTINGS_H_
#define LAPLACE_PROPERTIES_SETTINGS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loop/strategy.h"
#include "properties/address_space.h"
#include "replays/corpus.h"
#include "replays/trace_export/recording.h"

namespace laplace::properties {

// This process's share of a sharded run: shard `index` of `count` runs the
// cases whose number n has n % count == index.
struct Shard {
  uint64_t index = 0;
  uint64_t count = 1;

  bool Owns(uint64_t n) const { return n % count == index; }
};

// One case chosen by seed: LAPLACE_SEED=S or S:Z.
struct SeedChoice {
  uint64_t seed = 0;
  std::optional<int> size;  // RapidCheck's generation size; default seed % (max_size + 1)
};

// --laplace_check_determinism: which cases are run again to check that a
// case's run depends on its seed alone (determinism.h).
struct DeterminismCheck {
  // False for "off": no case is rerun, not even a found failure.
  bool enabled = true;
  // Percent of a sweep's seeds and of RapidCheck's cases (chosen by a hash
  // of the case's seed) that are run twice more in this process and
  // compared step by step. When above 0 the first case of every exploration
  // is checked too. Whatever the share, a found failure is rerun at once
  // before it is shrunk (unless `enabled` is false).
  int share_percent = 5;
  // Also run every checked case once in a fresh process (the test binary
  // started again with --laplace_seed) and compare its steps as well.
  bool fresh_process = false;
};

// What a corpus replay that no longer fits the program (a divergence: the code changed under
// the file, so its tape steers a different run) does to the test (--laplace_on_divergence,
// PropertyOptions::on_divergence).
enum class OnDivergence {
  kFail,  // the test fails, saying which file, where it diverged and what to do (the default)
  kWarn,  // the test goes on, printing the same report as a warning
};

// --laplace_confidence: how often a replay file's failure still happens
// when the last steps before it are randomized (confidence.h).
struct ConfidenceRequest {
  uint64_t runs = 0;  // randomized runs
  // The scheduling steps before the failure that are randomized; 0 means
  // the default, the last quarter of the failing run's steps (at least one).
  uint64_t window_steps = 0;
};

// Where the base seed of this process came from.
enum class BaseSeedOrigin {
  kFresh,      // drawn at start-up (printed in every report)
  kPinned,     // --laplace_base_seed / LAPLACE_BASE_SEED
  kRapidCheck  // the seed of RC_PARAMS
};

struct Settings {
  // ---- What to run ----
  std::optional<SeedChoice> seed;  // --laplace_seed: only this case
  std::string replay_file;         // --laplace_replay: only this file (resolved path)
  bool trace = false;              // --laplace_trace: print whole traces
  // --laplace_trace_out: write the trace of a replay or a seed to this file
  // (resolved path), as --laplace_trace_format says (default: by the file's
  // ending, .html or .json, else text).
  std::string trace_out;
  std::optional<replays::trace_export::TraceFormat> trace_format;  // --laplace_trace_format
  // --laplace_trace_nodes / --laplace_trace_tasks: which events text traces
  // show (and the HTML page's filter starts with).
  replays::trace_export::TraceFilter trace_filter;

  // ---- Overrides of PropertyOptions (unset: the test's own value) ----
  std::optional<int> cases;                                // --laplace_cases
  std::optional<uint64_t> sweep_seeds;                     // --laplace_sweep
  std::optional<std::chrono::milliseconds> sweep_budget;   // --laplace_sweep_seconds
  std::optional<std::chrono::milliseconds> shrink_budget;  // --laplace_shrink_seconds
  std::optional<uint64_t> shrink_candidates_max;          // --laplace_shrink_candidates
  std::optional<bool> write_replays;                       // --laplace_write_replays
  bool record = false;                                     // --laplace_record
  std::optional<OnDivergence> on_divergence;               // --laplace_on_divergence
  // --laplace_address_space_mib: the harness's address-space limit (address_space.h); 0 none.
  uint64_t address_space_mib = kDefaultAddressSpaceMib;
  // --laplace_strategy: how runs are scheduled (loop/strategies/registry.h's names).
  std::optional<StrategyConfig> strategy;
  std::optional<DeterminismCheck> check_determinism;  // --laplace_check_determinism
  std::optional<ConfidenceRequest> confidence;        // --laplace_confidence (with a replay)
  // --laplace_determinism_dump: run --laplace_seed's case once and write its
  // step digests and trace to this file, nothing else (the fresh-process
  // half of a determinism check).
  std::string determinism_dump;

  // ---- Exploration ----
  // The base seed every property's exploration starts from, before mixing
  // with TEST_RANDOM_SEED (see EffectiveBaseSeed).
  uint64_t base_seed = 0;
  BaseSeedOrigin base_seed_origin = BaseSeedOrigin::kFresh;
  // TEST_RANDOM_SEED (set by `bazel test --runs_per_test=N`), 0 when unset.
  uint64_t test_random_seed = 0;
  Shard shard;  // TEST_TOTAL_SHARDS/TEST_SHARD_INDEX, else GTEST_*

  // ---- Files and names ----
  replays::CorpusEnvironment corpus;    // LAPLACE_CORPUS_ROOT and Bazel's directories
  std::string test_target;              // TEST_TARGET, else from the binary's path
  std::string build_working_directory;  // BUILD_WORKING_DIRECTORY (`bazel run`)
};

// A process environment as plain data: variable name -> value. Variables
// that are set to "" count as unset.
using Environment = std::map<std::string, std::string>;

// Every variable Laplace reads, from this process's environment.
Environment ProcessEnvironment();

// Parses `environment` and then `flags` (each "--laplace_name=value" or
// "--laplace_name"; flags override variables). On any problem,
// kInvalidArgument whose message lists every problem, one per line, each
// naming the variable or flag, the value, and what is accepted.
absl::StatusOr<Settings> ParseSettings(const Environment& environment,
                                       const std::vector<std::string>& flags);

// Removes every argument that starts with "--laplace" from argv (a
// misspelled one included, so that ParseSettings can refuse it) and returns
// them in order.
std::vector<std::string> TakeLaplaceFlags(int& argc, char** argv);

// The settings of this process: those installed by InstallProcessSettings,
// else parsed from the environment on first use (a process whose main is not
// Laplace's); a parse error there is printed and the process exits with
// status 2.
const Settings& ProcessSettings();

// Makes `settings` what ProcessSettings() returns, and tells RapidCheck the
// base seed (its "Using configuration: seed=..." line then shows it).
void InstallProcessSettings(const Settings& settings);

// The format of --laplace_trace_out: --laplace_trace_format, else by the
// file's ending (".html": HTML, ".json": Perfetto), else text.
replays::trace_export::TraceFormat TraceOutFormat(const Settings& settings);

// The base seed a property explores from: for a bug-zoo property
// (`expect_failure`) whose base seed was not pinned, 0, so that the harness's
// own regression tests do not depend on luck; otherwise settings.base_seed.
// Either way mixed with TEST_RANDOM_SEED, so `--runs_per_test=N` explores N
// different, reproducible ranges.
uint64_t EffectiveBaseSeed(const Settings& settings, bool expect_failure);

// The help text: one line per flag, with its variable and what it accepts.
std::string SettingsHelp();

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_SETTINGS_H_
