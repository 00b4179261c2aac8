// The settings module: one table of every Laplace setting (flag, variable, what it accepts,
// how it applies), the parsers it uses, and the Bazel and GoogleTest variables.
#include "properties/settings.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <random>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "base/strings.h"
#include "loop/strategies/registry.h"
#include "properties/internal/settings_parsers.h"
#include "rapidcheck/detail/Configuration.h"

namespace laplace::properties {
namespace {

namespace fs = std::filesystem;
using internal::ParseBool;
using internal::ParseDuration;
using internal::ParseNumber;
using internal::ParseSeedChoice;
using laplace::internal::Append;
using laplace::internal::Cat;

// ---- The table ----

struct Setting {
  const char* flag;      // without the leading "--"
  const char* variable;  // the environment variable
  const char* syntax;    // shown in the help: "N", "FILE", ... ("" for a switch)
  const char* help;
  // Applies `value` to `settings`; returns what is wrong, or "".
  std::string (*apply)(const std::string& value, Settings& settings);
};

std::string ApplySeed(const std::string& v, Settings& s) {
  SeedChoice choice;
  std::string error = ParseSeedChoice(v, choice);
  if (error.empty()) s.seed = choice;
  return error;
}
std::string ApplyReplay(const std::string& v, Settings& s) {
  if (v.empty()) return "expected the path of a replay file";
  s.replay_file = v;  // resolved and checked once every setting is in (see Resolve)
  return "";
}
std::string ApplyTrace(const std::string& v, Settings& s) { return ParseBool(v, s.trace); }
std::string ApplyCases(const std::string& v, Settings& s) {
  uint64_t n = 0;
  std::string error = ParseNumber(v, 1, 10'000'000, n);
  if (error.empty()) s.cases = static_cast<int>(n);
  return error;
}
std::string ApplySweep(const std::string& v, Settings& s) {
  uint64_t n = 0;
  std::string error = ParseNumber(v, 1, uint64_t{1} << 62, n);
  if (error.empty()) s.sweep_seeds = n;
  return error;
}
std::string ApplySweepTime(const std::string& v, Settings& s) {
  std::chrono::milliseconds d{0};
  std::string error = ParseDuration(v, d);
  if (error.empty()) s.sweep_budget = d;
  return error;
}
std::string ApplyShrinkTime(const std::string& v, Settings& s) {
  std::chrono::milliseconds d{0};
  std::string error = ParseDuration(v, d);
  if (error.empty()) s.shrink_budget = d;
  return error;
}
std::string ApplyShrinkCandidates(const std::string& v, Settings& s) {
  uint64_t n = 0;
  std::string error = ParseNumber(v, 1, uint64_t{1} << 40, n);
  if (error.empty()) s.shrink_candidates_max = n;
  return error;
}
std::string ApplyWriteReplays(const std::string& v, Settings& s) {
  bool b = true;
  std::string error = ParseBool(v, b);
  if (error.empty()) s.write_replays = b;
  return error;
}
std::string ApplyRecord(const std::string& v, Settings& s) { return ParseBool(v, s.record); }
std::string ApplyOnDivergence(const std::string& v, Settings& s) {
  if (v == "fail") {
    s.on_divergence = OnDivergence::kFail;
  } else if (v == "warn") {
    s.on_divergence = OnDivergence::kWarn;
  } else {
    return "expected fail or warn";
  }
  return "";
}
std::string ApplyAddressSpace(const std::string& v, Settings& s) {
  std::string error = ParseNumber(v, 0, uint64_t{1} << 30, s.address_space_mib);
  return error.empty() ? error : error + " (MiB; 0 turns the limit off)";
}
std::string ApplyTraceOut(const std::string& v, Settings& s) {
  if (v.empty()) return "expected the path of a file to write";
  s.trace_out = v;  // resolved once every setting is in (see ParseSettings)
  return "";
}
std::string ApplyTraceFormat(const std::string& v, Settings& s) {
  absl::StatusOr<replays::trace_export::TraceFormat> format =
      replays::trace_export::ParseTraceFormat(v);
  if (!format.ok()) return "expected text, perfetto or html";
  s.trace_format = *format;
  return "";
}
// "a,b,c" -> {"a", "b", "c"}; empty names are refused.
std::string ParseNames(const std::string& text, std::vector<std::string>& out) {
  std::vector<std::string> names;
  size_t begin = 0;
  while (true) {
    size_t comma = text.find(',', begin);
    std::string name = text.substr(begin, comma == std::string::npos ? comma : comma - begin);
    if (name.empty()) return "expected names separated by commas (node names, task labels or #id)";
    names.push_back(name);
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  out = std::move(names);
  return "";
}
std::string ApplyTraceNodes(const std::string& v, Settings& s) {
  return ParseNames(v, s.trace_filter.nodes);
}
std::string ApplyTraceTasks(const std::string& v, Settings& s) {
  return ParseNames(v, s.trace_filter.tasks);
}
std::string ApplyCheckDeterminism(const std::string& v, Settings& s) {
  DeterminismCheck check;
  std::string error = internal::ParseDeterminismCheck(v, check);
  if (error.empty()) s.check_determinism = check;
  return error;
}
std::string ApplyConfidence(const std::string& v, Settings& s) {
  ConfidenceRequest request;
  std::string error = internal::ParseConfidence(v, request);
  if (error.empty()) s.confidence = request;
  return error;
}
std::string ApplyDeterminismDump(const std::string& v, Settings& s) {
  if (v.empty()) return "expected the path of a file to write";
  s.determinism_dump = v;
  return "";
}
std::string ApplyCorpusRoot(const std::string& v, Settings& s) {
  if (v.empty()) return "expected a directory";
  s.corpus.corpus_root = v;
  return "";
}
std::string ApplyStrategy(const std::string& v, Settings& s) {
  absl::StatusOr<StrategyConfig> config = strategies::ParseStrategy(v);
  if (!config.ok()) {
    std::string message(config.status().message());
    return message.substr(message.find(": ") + 2);  // the setting's name and value come first
  }
  s.strategy = *std::move(config);
  return "";
}
std::string ApplyBaseSeed(const std::string& v, Settings& s) {
  if (v == "fresh") {
    s.base_seed_origin = BaseSeedOrigin::kFresh;
    return "";
  }
  std::string error = ParseNumber(v, 0, UINT64_MAX, s.base_seed);
  if (!error.empty()) return error + ", or fresh";
  s.base_seed_origin = BaseSeedOrigin::kPinned;
  return "";
}

constexpr Setting kSettings[] = {
    {"laplace_seed", "LAPLACE_SEED", "S[:Z]",
     "run only the case of seed S (at generation size Z), printing its whole trace", ApplySeed},
    {"laplace_replay", "LAPLACE_REPLAY", "FILE",
     "replay only FILE; the binary's other properties are skipped", ApplyReplay},
    {"laplace_trace", "LAPLACE_TRACE", "", "print the whole trace of a replay or a seed",
     ApplyTrace},
    {"laplace_trace_out", "LAPLACE_TRACE_OUT", "FILE",
     "write the whole trace of a replay or a seed to FILE (see --laplace_trace_format)",
     ApplyTraceOut},
    {"laplace_trace_format", "LAPLACE_TRACE_FORMAT", "text|perfetto|html",
     "the format of --laplace_trace_out (default: html for .html, perfetto for .json, else text)",
     ApplyTraceFormat},
    {"laplace_trace_nodes", "LAPLACE_TRACE_NODES", "A,B",
     "text traces show only these nodes' events (names or numbers)", ApplyTraceNodes},
    {"laplace_trace_tasks", "LAPLACE_TRACE_TASKS", "A,B",
     "text traces show only these tasks' events (labels, label prefixes before '/', or #id)",
     ApplyTraceTasks},
    {"laplace_cases", "LAPLACE_CASES", "N", "RapidCheck cases per property (1 to 10000000)",
     ApplyCases},
    {"laplace_sweep", "LAPLACE_SWEEP", "N", "a sweep of N seeds instead of RapidCheck", ApplySweep},
    {"laplace_sweep_seconds", "LAPLACE_SWEEP_SECONDS", "T",
     "wall-time budget of a sweep (30, 30s, 500ms, 2m); with no --laplace_sweep, sweep until "
     "it is spent",
     ApplySweepTime},
    {"laplace_shrink_seconds", "LAPLACE_SHRINK_SECONDS", "T",
     "wall-time budget for shrinking one failure (default 10s)", ApplyShrinkTime},
    {"laplace_shrink_candidates", "LAPLACE_SHRINK_CANDIDATES", "N",
     "at most N candidate runs shrink one failure (default: no limit but the time budget); "
     "with a time budget that never runs out first, shrinking no longer depends on the "
     "machine's load",
     ApplyShrinkCandidates},
    {"laplace_write_replays", "LAPLACE_WRITE_REPLAYS", "0|1",
     "write a replay file for a new failure (default 1)", ApplyWriteReplays},
    {"laplace_record", "LAPLACE_RECORD", "",
     "bug-zoo properties (expect_failure) record their replay files, and corpus files that "
     "diverged are rebuilt on the new code and rewritten",
     ApplyRecord},
    {"laplace_on_divergence", "LAPLACE_ON_DIVERGENCE", "fail|warn",
     "a corpus file that no longer fits the program fails the test (fail, the default) or "
     "only warns (warn); overrides PropertyOptions::on_divergence",
     ApplyOnDivergence},
    {"laplace_address_space_mib", "LAPLACE_ADDRESS_SPACE_MIB", "MIB",
     "the harness's address-space limit, so an allocation runaway fails as budget:address "
     "space rather than meeting the OOM killer (default 8192; 0: none; ignored under "
     "sanitizers)",
     ApplyAddressSpace},
    {"laplace_corpus_root", "LAPLACE_CORPUS_ROOT", "DIR",
     "write new replay files under DIR instead of the source tree", ApplyCorpusRoot},
    {"laplace_strategy", "LAPLACE_STRATEGY", "NAME[:P=V,...]",
     "how runs are scheduled: portfolio (the default), random-walk, pct[:depth=D][,steps=K], "
     "pos, surw, or bounded[:preemptions=B] (every schedule with at most B preemptions)",
     ApplyStrategy},
    {"laplace_base_seed", "LAPLACE_BASE_SEED", "S|fresh",
     "the seed exploration starts from (default: fresh, or RC_PARAMS's seed; printed in "
     "reports)",
     ApplyBaseSeed},
    {"laplace_check_determinism", "LAPLACE_CHECK_DETERMINISM", "off|P%|all[,fresh]",
     "rerun P% of cases (and the first, and every found failure) and compare them step by "
     "step; ,fresh also reruns each checked case in a fresh process (default 5%)",
     ApplyCheckDeterminism},
    {"laplace_confidence", "LAPLACE_CONFIDENCE", "RUNS[:STEPS]",
     "with --laplace_replay: replay the file up to STEPS steps before its failure (default: "
     "the last quarter of its steps), randomize the rest RUNS times, report how often it "
     "still fails (with a 95% Wilson interval)",
     ApplyConfidence},
    {"laplace_determinism_dump", "LAPLACE_DETERMINISM_DUMP", "FILE",
     "internal (the fresh-process determinism check): run --laplace_seed's case once and "
     "write its step digests and trace to FILE",
     ApplyDeterminismDump},
};

const Setting* FindByFlag(std::string_view name) {
  for (const Setting& setting : kSettings) {
    if (name == setting.flag) return &setting;
  }
  return nullptr;
}

// Edits (insertions, deletions, substitutions) turning `a` into `b`.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The known name closest to a misspelled one, within three edits, or null.
// `name_of` picks the flag or the variable of a setting.
template <typename NameOf>
const char* Closest(std::string_view name, NameOf name_of) {
  const char* best = nullptr;
  size_t best_distance = 4;
  for (const Setting& setting : kSettings) {
    size_t distance = EditDistance(name, name_of(setting));
    if (distance < best_distance) best = name_of(setting), best_distance = distance;
  }
  return best;
}

// The known flag closest to a misspelled one ("laplace-seed", "laplace_sed" -> "laplace_seed").
std::string Suggestion(std::string_view name) {
  std::string normalized(name);
  for (char& c : normalized) c = c == '-' ? '_' : c;
  if (normalized.rfind("laplace", 0) == 0 && normalized.size() > 7 && normalized[7] != '_') {
    normalized.insert(7, "_");
  }
  const char* match = Closest(normalized, [](const Setting& s) { return s.flag; });
  return match == nullptr ? "" : Cat(" (did you mean --", match, "?)");
}

// LAPLACE_* variables that are not settings of a test binary but are read
// by the `laplace` command line tool.
constexpr std::string_view kToolVariables[] = {"LAPLACE_BAZEL"};

// A LAPLACE_* variable no setting reads is a misspelling or a setting of
// another version: refused, like an unknown flag, rather than ignored.
void RefuseUnknownVariables(const Environment& environment, std::vector<std::string>& problems) {
  for (const auto& [name, value] : environment) {
    if (name.rfind("LAPLACE_", 0) != 0) continue;
    bool known = std::find(std::begin(kToolVariables), std::end(kToolVariables), name) !=
                 std::end(kToolVariables);
    for (const Setting& setting : kSettings) known = known || name == setting.variable;
    if (known) continue;
    const char* match = Closest(name, [](const Setting& s) { return s.variable; });
    problems.push_back(Cat(name, "=\"", value, "\": no Laplace setting has this variable",
                           match == nullptr ? "" : Cat(" (did you mean ", match, "?)"),
                           "; unset it, or see --help for the variables"));
  }
}

std::string Env(const Environment& environment, const std::string& name) {
  auto it = environment.find(name);
  return it == environment.end() ? std::string() : it->second;
}

// ---- The Bazel and GoogleTest variables ----

void ParseShard(const Environment& environment, Settings& settings,
                std::vector<std::string>& problems) {
  for (auto [total_name, index_name] : {std::pair{"TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX"},
                                        std::pair{"GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX"}}) {
    std::string total_text = Env(environment, total_name);
    std::string index_text = Env(environment, index_name);
    if (total_text.empty() && index_text.empty()) continue;
    uint64_t total = 0, index = 0;
    std::string error = ParseNumber(total_text, 1, 1'000'000, total);
    if (!error.empty()) {
      problems.push_back(Cat(total_name, "=\"", total_text, "\": ", error));
      return;
    }
    error = ParseNumber(index_text, 0, total - 1, index);
    if (!error.empty()) {
      problems.push_back(Cat(index_name, "=\"", index_text, "\": ", error, " (", total_name, "=",
                             total, " shards are numbered 0 to ", total - 1, ")"));
      return;
    }
    settings.shard = Shard{index, total};
    return;
  }
}

// The Bazel target of this process: TEST_TARGET, else from the binary's path
// under bazel-out (`bazel run`), else "".
std::string BazelTarget(const Environment& environment) {
  std::string target = Env(environment, "TEST_TARGET");
  if (!target.empty()) return target;
  return replays::BazelTargetOfBinary("/proc/self/exe");
}

// A LAPLACE_REPLAY path: absolute, or relative to where `bazel run` was
// started, to the workspace, or to the current directory, the first that
// exists. Returns "" if none does.
std::string ResolveReplayFile(const std::string& path, const Settings& settings) {
  std::error_code error;
  if (path.front() == '/') return fs::exists(path, error) ? path : "";
  for (const std::string& dir :
       {settings.build_working_directory, settings.corpus.build_workspace_directory}) {
    if (!dir.empty() && fs::exists(fs::path(dir) / path, error)) {
      return (fs::path(dir) / path).string();
    }
  }
  return fs::exists(path, error) ? fs::absolute(path, error).string() : "";
}

// RC_PARAMS: RapidCheck's own settings. Laplace uses only its seed.
void ParseRapidCheckParams(const Environment& environment, Settings& settings,
                           std::vector<std::string>& problems) {
  std::string params = Env(environment, "RC_PARAMS");
  if (params.empty() || settings.base_seed_origin == BaseSeedOrigin::kPinned) return;
  try {
    rc::detail::Configuration a, b;
    a.testParams.seed = 1;
    b.testParams.seed = 2;
    rc::detail::Configuration with_a = rc::detail::configFromString(params, a);
    rc::detail::Configuration with_b = rc::detail::configFromString(params, b);
    if (with_a.testParams.seed == with_b.testParams.seed) {  // RC_PARAMS gives a seed
      settings.base_seed = with_a.testParams.seed;
      settings.base_seed_origin = BaseSeedOrigin::kRapidCheck;
    }
  } catch (const rc::detail::ConfigurationException& error) {
    problems.push_back(Cat("RC_PARAMS=\"", params, "\": ", error.what()));
  }
}

uint64_t FreshSeed() {
  std::random_device device;  // allowed: a fresh base seed is drawn outside any simulation
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

void ApplyOne(const Setting& setting, const std::string& source, const std::string& value,
              Settings& settings, std::vector<std::string>& problems) {
  std::string error = setting.apply(value, settings);
  if (!error.empty()) problems.push_back(Cat(source, "=\"", value, "\": ", error));
}

void ParseFlag(const std::string& argument, Settings& settings,
               std::vector<std::string>& problems) {
  std::string text = argument.rfind("--", 0) == 0 ? argument.substr(2) : argument;
  size_t equals = text.find('=');
  std::string name = text.substr(0, equals);
  const Setting* setting = FindByFlag(name);
  if (setting == nullptr) {
    problems.push_back(
        Cat(argument, ": unknown flag", Suggestion(name), "; --help lists the Laplace flags"));
    return;
  }
  bool is_switch = std::string_view(setting->syntax).empty();
  if (equals == std::string::npos && !is_switch) {
    problems.push_back(Cat(argument, ": needs a value, --", setting->flag, "=", setting->syntax));
    return;
  }
  ApplyOne(*setting, Cat("--", name),
           equals == std::string::npos ? std::string("1") : text.substr(equals + 1), settings,
           problems);
}

std::unique_ptr<Settings>& InstalledSettings() {
  static auto* installed = new std::unique_ptr<Settings>();
  return *installed;
}

}  // namespace

Environment ProcessEnvironment() {
  Environment environment;
  auto read = [&](const char* name) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') environment[name] = value;
  };
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text = *entry;
    size_t equals = text.find('=');
    // Every LAPLACE_* variable, known or not (unknown ones are refused), set and non-empty.
    if (text.rfind("LAPLACE_", 0) == 0 && equals != std::string_view::npos &&
        equals + 1 < text.size()) {
      environment[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
  }
  for (const char* name : {"TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS",
                           "GTEST_SHARD_INDEX", "TEST_RANDOM_SEED", "TEST_TARGET", "TEST_SRCDIR",
                           "TEST_WORKSPACE", "TEST_UNDECLARED_OUTPUTS_DIR",
                           "BUILD_WORKSPACE_DIRECTORY", "BUILD_WORKING_DIRECTORY", "RC_PARAMS"}) {
    read(name);
  }
  return environment;
}

absl::StatusOr<Settings> ParseSettings(const Environment& environment,
                                       const std::vector<std::string>& flags) {
  Settings settings;
  std::vector<std::string> problems;
  for (const Setting& setting : kSettings) {
    std::string value = Env(environment, setting.variable);
    if (!value.empty()) ApplyOne(setting, setting.variable, value, settings, problems);
  }
  RefuseUnknownVariables(environment, problems);
  for (const std::string& flag : flags) ParseFlag(flag, settings, problems);
  ParseShard(environment, settings, problems);
  std::string random_seed = Env(environment, "TEST_RANDOM_SEED");
  if (!random_seed.empty()) {
    std::string error = ParseNumber(random_seed, 0, UINT64_MAX, settings.test_random_seed);
    if (!error.empty()) problems.push_back(Cat("TEST_RANDOM_SEED=\"", random_seed, "\": ", error));
  }
  ParseRapidCheckParams(environment, settings, problems);
  if (settings.base_seed_origin == BaseSeedOrigin::kFresh) settings.base_seed = FreshSeed();
  settings.corpus.build_workspace_directory = Env(environment, "BUILD_WORKSPACE_DIRECTORY");
  settings.corpus.test_undeclared_outputs_dir = Env(environment, "TEST_UNDECLARED_OUTPUTS_DIR");
  settings.corpus.test_srcdir = Env(environment, "TEST_SRCDIR");
  settings.corpus.test_workspace = Env(environment, "TEST_WORKSPACE");
  settings.build_working_directory = Env(environment, "BUILD_WORKING_DIRECTORY");
  settings.test_target = BazelTarget(environment);
  const bool replay_asked = !settings.replay_file.empty();
  if (replay_asked) {
    std::string resolved = ResolveReplayFile(settings.replay_file, settings);
    if (resolved.empty()) {
      problems.push_back(Cat("LAPLACE_REPLAY / --laplace_replay=\"", settings.replay_file,
                             "\": no such file (relative paths are looked up from where "
                             "`bazel run` started, the workspace, and the current directory)"));
    }
    settings.replay_file = resolved;
  }
  if (!settings.trace_out.empty() && settings.trace_out.front() != '/') {
    // Relative to where the user stood (`bazel run` starts elsewhere).
    std::error_code error;
    fs::path base = settings.build_working_directory.empty()
                        ? fs::current_path(error)
                        : fs::path(settings.build_working_directory);
    settings.trace_out = (base / settings.trace_out).lexically_normal().string();
  }
  if (!settings.trace_out.empty() && !settings.seed.has_value() && !replay_asked) {
    problems.push_back(Cat("--laplace_trace_out=\"", settings.trace_out,
                           "\" needs --laplace_replay or --laplace_seed: it writes the trace of "
                           "one run"));
  }
  if (settings.seed.has_value() && !settings.replay_file.empty()) {
    problems.push_back("--laplace_seed and --laplace_replay both given: choose one");
  }
  if (settings.seed.has_value() && settings.strategy.has_value() &&
      strategies::IsBoundedSearch(*settings.strategy)) {
    problems.push_back(
        "--laplace_seed and --laplace_strategy=bounded both given: the bounded search runs "
        "schedules of its own, not a seed's; choose one");
  }
  if (settings.confidence.has_value() && settings.replay_file.empty()) {
    problems.push_back(
        "--laplace_confidence needs --laplace_replay=FILE: the failure whose schedule it "
        "randomizes (or run `laplace confidence FILE --runs N`)");
  }
  if (!settings.determinism_dump.empty() && !settings.seed.has_value()) {
    problems.push_back("--laplace_determinism_dump needs --laplace_seed=S:Z: the case to run");
  }
  if (!problems.empty()) {
    std::string message = "Laplace cannot start: bad settings\n";
    for (const std::string& problem : problems) Append(message, "  ", problem, "\n");
    return absl::InvalidArgumentError(message);
  }
  return settings;
}

std::vector<std::string> TakeLaplaceFlags(int& argc, char** argv) {
  std::vector<std::string> taken;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]).rfind("--laplace", 0) == 0) {
      taken.push_back(argv[i]);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return taken;
}

const Settings& ProcessSettings() {
  std::unique_ptr<Settings>& installed = InstalledSettings();
  if (installed == nullptr) {
    absl::StatusOr<Settings> parsed = ParseSettings(ProcessEnvironment(), {});
    if (!parsed.ok()) {
      std::cerr << parsed.status().message() << std::flush;
      std::exit(2);
    }
    installed = std::make_unique<Settings>(*std::move(parsed));
  }
  return *installed;
}

void InstallProcessSettings(const Settings& settings) {
  InstalledSettings() = std::make_unique<Settings>(settings);
  // RapidCheck reads RC_PARAMS when it first runs; with the base seed there,
  // a user's direct use of RapidCheck agrees with Laplace's reports (Laplace's
  // own searches run it with a quiet listener: rapidcheck_case.cc).
  rc::detail::Configuration config;
  const char* params = std::getenv("RC_PARAMS");
  try {
    if (params != nullptr) config = rc::detail::configFromString(params);
  } catch (const rc::detail::ConfigurationException&) {
    // Already refused by ParseSettings; nothing to keep.
  }
  config.testParams.seed = settings.base_seed;
  setenv("RC_PARAMS", rc::detail::configToMinimalString(config).c_str(), 1);
}

replays::trace_export::TraceFormat TraceOutFormat(const Settings& settings) {
  using replays::trace_export::TraceFormat;
  if (settings.trace_format.has_value()) return *settings.trace_format;
  const std::string extension = fs::path(settings.trace_out).extension().string();
  if (extension == ".html" || extension == ".htm") return TraceFormat::kHtml;
  if (extension == ".json") return TraceFormat::kPerfetto;
  return TraceFormat::kText;
}

uint64_t EffectiveBaseSeed(const Settings& settings, bool expect_failure) {
  uint64_t base = settings.base_seed;
  if (expect_failure && settings.base_seed_origin == BaseSeedOrigin::kFresh) base = 0;
  if (settings.test_random_seed == 0) return base;
  // SplitMix64 of the run number: well spread, so runs explore far apart.
  uint64_t z = settings.test_random_seed + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return base ^ (z ^ (z >> 31));
}

std::string SettingsHelp() {
  std::string text =
      "\nLaplace flags (each has an environment variable; a flag wins over its variable):\n";
  for (const Setting& setting : kSettings) {
    std::string left = Cat("--", setting.flag);
    if (*setting.syntax != '\0') Append(left, "=", setting.syntax);
    Append(text, "  ", left, std::string(left.size() < 34 ? 34 - left.size() : 1, ' '),
           setting.variable, "\n      ", setting.help, "\n");
  }
  Append(text,
         "Also read: TEST_TOTAL_SHARDS/TEST_SHARD_INDEX (or GTEST_*), TEST_RANDOM_SEED, RC_PARAMS "
         "(its seed), and Bazel's directories.\n");
  return text;
}

}  // namespace laplace::properties
