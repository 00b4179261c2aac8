// laplace: the command line for replay files.
//
//   bazel run //replays:laplace -- show examples/replays/Bank.Transfers/00c0ffee12345678.textpb
//   bazel run //replays:laplace -- check examples/replays/*/*.textpb
//   bazel run //replays:laplace -- replay examples/replays/Bank.Transfers/00c0ffee12345678.textpb
//   bazel run //replays:laplace -- trace examples/replays/Bank.Transfers/00c0ffee12345678.textpb
//   bazel run //replays:laplace -- confidence examples/replays/Bank.Transfers/00c0ffee.textpb
//   bazel run //replays:laplace -- corpus list examples/
//
// Arguments are parsed by hand rather than with absl flags: the tool has
// subcommands with their own flags, which absl's global flags do not model.
// Exit status: 0 success; 1 a bad file (or a failed replay: `replay` exits
// with the status of the test run; `trace` with it when no trace was
// written); 2 a usage error; 4 the test binary could not be built.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "base/strings.h"
#include "properties/linearizability/check_history.h"
#include "replays/corpus.h"
#include "replays/internal/command.h"
#include "replays/internal/corpus_command.h"
#include "replays/internal/describe.h"
#include "replays/internal/text.h"
#include "replays/replay_file.h"
#include "replays/trace_export/recording.h"

namespace laplace::replays {
namespace {

namespace trace_export = ::laplace::replays::trace_export;
using ::laplace::internal::Cat;

constexpr int kExitOk = 0;
constexpr int kExitBadFile = 1;
constexpr int kExitUsage = 2;
// `replay`, `trace`, `confidence`: `bazel build` of the test failed, so nothing ran. Under
// `bazel run` a build failure exits 1, the status of a replay that fails, so the tool builds
// first; 3 is the watchdog's status of a test binary (docs/ci.md), hence 4.
constexpr int kExitNotBuilt = 4;

constexpr char kUsage[] = R"(usage: laplace <command> [arguments]

Commands:
  show FILE...       Print what replay files hold: the test, the failure, the
                     tape's non-zero choices, the trace tail.
  check FILE...      Validate replay files, one line per file ("ok" or the
                     error). Exits 1 if any file is bad.
  replay FILE [--trace [--node=N] [--task=T]] [--print]
                     Rerun FILE with the test binary that owns it, from the
                     workspace root (after a `bazel build` of the target):
                       LAPLACE_REPLAY=<FILE> bazel run \
                         --test_sharding_strategy=disabled <bazel_target> \
                         -- --gtest_filter=<test_name>
                     --trace  also set LAPLACE_TRACE=1 to print the whole trace
                     --node=N, --task=T  the trace shows only these nodes'
                              and tasks' events (repeat, or N1,N2); a name
                              that matches nothing is noted, with the
                              names that do appear
                     --print  print the command instead of running it
                     Exits with the test run's status, or 4 when the test
                     could not be built.
  trace FILE [--format=html|perfetto|text] [--out=PATH] [--node=N] [--task=T]
             [--print]
                     Rerun FILE the same way and write its whole trace:
                     html (default) one self-contained page with lanes per
                     node and task, messages and wake-ups as arrows, faults
                     marked and the failure's causal chain; perfetto Chrome
                     trace-event JSON for ui.perfetto.dev; text one event a
                     line with its causes (to stdout unless --out). Default
                     PATH: <test>-<file>.html or .perfetto.json, here.
  confidence FILE [--runs N] [--steps S] [--print]
                     Measure whether a fix closed FILE's bug or only its one
                     schedule: replay FILE's tape up to S scheduling steps
                     before its failure (default: the last quarter of its
                     steps), draw every later choice at random, N times
                     (default 100; run i is seeded from the file and i, so
                     the count is reproducible), and report how many runs
                     still fail with FILE's signature, with a 95% Wilson
                     interval. Runs the owning test like `replay`, with
                     LAPLACE_CONFIDENCE=N[:S]. Exits with the test run's
                     status: 0 when no run failed, 1 when some did (4: the
                     test could not be built).
%s%s  help               Print this message.

Run it as `bazel run //replays:laplace -- <command> ...`: relative FILEs are
taken from the directory bazel was started in. The environment variable
LAPLACE_BAZEL names another bazel program (e.g. bazelisk) for `replay`,
`trace` and `confidence`.
Exit status: 0 ok, 1 a bad file, a failed replay or a failure that still
happens, 2 a usage error, 4 `replay`/`trace`/`confidence`: the test could not
be built, so nothing ran (check-history: 0 all linearizable, 1 any not or
unknown, 2 unreadable input; docs/ci.md has every exit status in one table).
)";

// The usage with check-history's part, which its own library writes.
std::string Usage() {
  std::string usage = kUsage;
  usage.replace(usage.find("%s"), 2, linearizability::kCheckHistoryUsage);
  usage.replace(usage.find("%s"), 2, internal::kCorpusUsage);
  return usage;
}

int UsageError(const std::string& problem) {
  std::cerr << "laplace: " << problem << "\n\n" << Usage();
  return kExitUsage;
}

// A status message made safe for a terminal.
std::string Printable(const absl::Status& status) {
  return internal::EscapeControl(std::string(status.message()));
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback : std::string(value);
}

// Relative paths are relative to where the user stood: under `bazel run`
// that is BUILD_WORKING_DIRECTORY, not the runfiles tree we run in.
std::string Resolve(const std::string& file) {
  std::filesystem::path path(file);
  if (path.is_absolute()) return path.lexically_normal().string();
  std::error_code error;
  std::filesystem::path here = std::filesystem::current_path(error);
  std::filesystem::path base(EnvOr("BUILD_WORKING_DIRECTORY", here.string()));
  return (base / path).lexically_normal().string();
}

// Reads a file, checking that a file in a corpus folder is for that folder's test.
absl::StatusOr<Replay> Read(const std::string& path) {
  std::optional<std::string> folder_test = TestNameOfCorpusPath(path);
  if (folder_test.has_value()) return ReadReplayFile(path, *folder_test);
  return ReadReplayFile(path);
}

int Show(const std::vector<std::string>& files) {
  int exit_code = kExitOk;
  for (size_t i = 0; i < files.size(); ++i) {
    if (i > 0) std::cout << "\n";
    std::string path = Resolve(files[i]);
    absl::StatusOr<Replay> replay = Read(path);
    if (!replay.ok()) {
      std::cout << std::flush;
      std::cerr << "laplace: " << Printable(replay.status()) << "\n";
      exit_code = kExitBadFile;
      continue;
    }
    std::cout << internal::DescribeReplay(*replay, path);
  }
  return exit_code;
}

int Check(const std::vector<std::string>& files) {
  int exit_code = kExitOk;
  for (const std::string& file : files) {
    std::string path = Resolve(file);
    absl::StatusOr<Replay> replay = Read(path);
    if (replay.ok()) {
      std::cout << "ok   " << internal::EscapeControl(path) << "\n";
    } else {
      std::cout << "BAD  " << Printable(replay.status()) << "\n";
      exit_code = kExitBadFile;
    }
  }
  return exit_code;
}

// Runs `command` and returns its exit status (128 + signal when killed).
// `quiet_stdout`: the command's stdout goes to stderr, leaving ours for a
// result (a text trace).
int Run(const internal::ReplayCommand& command, bool quiet_stdout = false) {
  std::cout << std::flush;
  std::cerr << std::flush;
  pid_t child = fork();
  if (child < 0) {
    std::cerr << "laplace: cannot start " << command.argv[0] << ": " << std::strerror(errno)
              << "\n";
    return kExitBadFile;
  }
  if (child == 0) {
    if (quiet_stdout) dup2(STDERR_FILENO, STDOUT_FILENO);
    if (chdir(command.directory.c_str()) != 0) {
      std::fprintf(stderr, "laplace: cannot enter %s: %s\n", command.directory.c_str(),
                   std::strerror(errno));
      _exit(127);
    }
    for (const auto& [name, value] : command.environment) setenv(name.c_str(), value.c_str(), 1);
    // Our own runfiles (under `bazel run //replays:laplace`) are not the test's.
    for (const char* name : {"RUNFILES_DIR", "RUNFILES_MANIFEST_FILE", "RUNFILES_MANIFEST_ONLY",
                             "JAVA_RUNFILES", "PYTHON_RUNFILES", "TEST_SRCDIR"}) {
      unsetenv(name);
    }
    std::vector<char*> argv;
    for (const std::string& word : command.argv) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "laplace: cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      std::cerr << "laplace: lost track of " << command.argv[0] << ": " << std::strerror(errno)
                << "\n";
      return kExitBadFile;
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return kExitBadFile;
}

// The command line after the command's name.
struct Arguments {
  std::string command;
  std::vector<std::string> files;
  bool trace = false;              // replay --trace
  bool print_only = false;         // --print
  std::string format;              // trace --format
  std::string out;                 // trace --out
  std::vector<std::string> nodes;  // --node (repeatable, or comma-separated)
  std::vector<std::string> tasks;  // --task
  std::string runs = "100";        // confidence --runs
  std::string steps;               // confidence --steps
};

// Adds the comma-separated names of `value` to `names`; false if one is empty.
bool AddNames(const std::string& value, std::vector<std::string>& names) {
  size_t begin = 0;
  while (true) {
    size_t comma = value.find(',', begin);
    std::string name = value.substr(begin, comma == std::string::npos ? comma : comma - begin);
    if (name.empty()) return false;
    names.push_back(name);
    if (comma == std::string::npos) return true;
    begin = comma + 1;
  }
}

// "--runs N", "--runs=N", "--steps S", "--steps=S" of `confidence`: consumes
// the value (args[i + 1] for the spaced form). Returns "" or what is wrong.
std::string TakeNumber(const std::vector<std::string>& args, size_t& i, const std::string& flag,
                       std::string& out) {
  const std::string& arg = args[i];
  std::string value;
  if (arg == flag) {
    if (i + 1 >= args.size()) return flag + " needs a number";
    value = args[++i];
  } else {
    value = arg.substr(flag.size() + 1);
  }
  if (value.empty() || value.size() > 7 ||
      value.find_first_not_of("0123456789") != std::string::npos || value == "0" ||
      value[0] == '0') {
    return flag + " takes a whole number from 1 to 1000000, not '" + internal::Escape(value) + "'";
  }
  if (std::stoul(value) > 1'000'000) return flag + " takes a whole number from 1 to 1000000";
  out = value;
  return "";
}

bool IsFlag(const std::string& arg, const std::string& flag) {
  return arg == flag || arg.rfind(flag + "=", 0) == 0;
}

// Parses the flag words[i] of a command (and its value, words[i + 1], for
// confidence's spaced form); returns what is wrong, or "".
std::string ParseFlag(const std::vector<std::string>& words, size_t& i, Arguments& args) {
  const std::string& arg = words[i];
  const bool reruns = args.command == "replay" || args.command == "trace";
  size_t equals = arg.find('=');
  std::string name = arg.substr(0, equals);
  std::string value = equals == std::string::npos ? "" : arg.substr(equals + 1);
  if (args.command == "replay" && arg == "--trace") {
    args.trace = true;
  } else if ((reruns || args.command == "confidence") && arg == "--print") {
    args.print_only = true;
  } else if (args.command == "confidence" && (IsFlag(arg, "--runs") || IsFlag(arg, "--steps"))) {
    const bool is_runs = IsFlag(arg, "--runs");
    return TakeNumber(words, i, is_runs ? "--runs" : "--steps", is_runs ? args.runs : args.steps);
  } else if (reruns && (name == "--node" || name == "--task")) {
    if (!AddNames(value, name == "--node" ? args.nodes : args.tasks)) {
      return Cat(name, " needs names, e.g. ", name, "=backup or ", name, "=a,b");
    }
  } else if (args.command == "trace" && name == "--format" && !value.empty()) {
    if (!trace_export::ParseTraceFormat(value).ok()) {
      return Cat("--format=", internal::Escape(value), ": expected text, perfetto or html");
    }
    args.format = value;
  } else if (args.command == "trace" && name == "--out" && !value.empty()) {
    args.out = value;
  } else {
    return Cat("unknown flag '", internal::Escape(arg), "' for '", args.command, "'");
  }
  return "";
}

// Reads FILE and builds the command that reruns it, or prints why not.
absl::StatusOr<internal::ReplayCommand> CommandFor(const std::string& path,
                                                   internal::ReplayCommandOptions options) {
  absl::StatusOr<Replay> replay = Read(path);
  if (!replay.ok()) return replay.status();
  std::error_code error;
  std::string here = std::filesystem::current_path(error).string();
  std::string workspace = EnvOr("BUILD_WORKSPACE_DIRECTORY", here);
  options.bazel = EnvOr("LAPLACE_BAZEL", "bazel");
  return internal::BuildReplayCommand(*replay, path, workspace, options);
}

// Builds the test `command` runs: kExitOk, or the status to exit with (kExitNotBuilt; 127 when
// bazel cannot be started, which Run has said).
int Build(const internal::ReplayCommand& command, bool quiet_stdout = false) {
  std::cerr << "laplace: building " << command.BuildToShell() << "\n";
  const int status =
      Run({.directory = command.directory, .argv = command.build_argv}, quiet_stdout);
  if (status == kExitOk || status == 127) return status;
  std::cerr << "laplace: the test was not built (" << command.build_argv[0]
            << " build exited with status " << status
            << "; its output above says why), so nothing was replayed; exit status "
            << kExitNotBuilt << "\n";
  return kExitNotBuilt;
}

int RerunReplay(const Arguments& args) {
  std::string path = Resolve(args.files[0]);
  absl::StatusOr<internal::ReplayCommand> command =
      CommandFor(path, {.trace = args.trace,
                        .trace_nodes = args.nodes,
                        .trace_tasks = args.tasks,
                        .confidence = args.command != "confidence" ? ""
                                      : args.steps.empty()         ? args.runs
                                                                   : args.runs + ":" + args.steps});
  if (!command.ok()) {
    std::cerr << "laplace: " << Printable(command.status()) << "\n";
    return kExitBadFile;
  }
  if (args.print_only) {
    std::cout << command->ToShell() << "\n";
    return kExitOk;
  }
  if (int built = Build(*command); built != kExitOk) return built;
  std::cerr << "laplace: running " << command->ToShell() << "\n";
  return Run(*command);
}

// Where `laplace trace` writes when no --out is given: beside the user, named
// after the test and the file ("Bank.Transfers-00c0ffee12345678.html").
std::string DefaultTraceOut(const std::string& path, trace_export::TraceFormat format) {
  std::string stem = std::filesystem::path(path).filename().string();
  if (stem.size() > kReplayFileExtension.size() &&
      stem.substr(stem.size() - kReplayFileExtension.size()) == kReplayFileExtension) {
    stem.resize(stem.size() - kReplayFileExtension.size());
  }
  std::optional<std::string> test = TestNameOfCorpusPath(path);
  std::string name = test.has_value() ? Cat(*test, "-", stem) : stem;
  return Resolve(Cat(name, trace_export::TraceFormatExtension(format)));
}

// A fresh file for a text trace shown on stdout.
std::string TemporaryTraceFile() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "laplace-trace-XXXXXX.txt").string();
  int fd = mkstemps(pattern.data(), 4);
  if (fd < 0) return "";
  close(fd);
  return pattern;
}

int TraceReplay(const Arguments& args) {
  const std::string path = Resolve(args.files[0]);
  const trace_export::TraceFormat format =
      trace_export::ParseTraceFormat(args.format.empty() ? "html" : args.format).value();
  const bool to_stdout = args.out.empty() && format == trace_export::TraceFormat::kText;
  const std::string out = !args.out.empty() ? Resolve(args.out)
                          : to_stdout       ? TemporaryTraceFile()
                                            : DefaultTraceOut(path, format);
  if (out.empty()) {
    std::cerr << "laplace: cannot make a temporary file: " << std::strerror(errno) << "\n";
    return kExitBadFile;
  }
  absl::StatusOr<internal::ReplayCommand> command =
      CommandFor(path, {.trace_out = out,
                        .trace_format = std::string(trace_export::TraceFormatName(format)),
                        .trace_nodes = args.nodes,
                        .trace_tasks = args.tasks});
  if (!command.ok()) {
    std::cerr << "laplace: " << Printable(command.status()) << "\n";
    return kExitBadFile;
  }
  if (args.print_only) {
    std::cout << command->ToShell() << "\n";
    return kExitOk;
  }
  std::error_code error;
  std::filesystem::remove(out, error);  // so that a stale file is never taken for this one
  if (int built = Build(*command, to_stdout); built != kExitOk) return built;
  std::cerr << "laplace: running " << command->ToShell() << "\n";
  const int status = Run(*command, to_stdout);
  if (!std::filesystem::exists(out, error)) {
    std::cerr << "laplace: the test wrote no trace (it exited with status " << status
              << "); its output above says why\n";
    return status == 0 ? kExitBadFile : status;
  }
  if (to_stdout) {
    std::cout << std::ifstream(out, std::ios::binary).rdbuf() << std::flush;
    std::filesystem::remove(out, error);
    return kExitOk;
  }
  std::cerr << "laplace: wrote the " << trace_export::TraceFormatName(format) << " trace to "
            << internal::EscapeControl(out) << "\n"
            << (format == trace_export::TraceFormat::kPerfetto
                    ? "  open it at https://ui.perfetto.dev (Open trace file) or chrome://tracing\n"
                : format == trace_export::TraceFormat::kHtml ? "  open it in a browser\n"
                                                             : "");
  return kExitOk;
}

int Main(const std::vector<std::string>& words) {
  if (words.empty()) return UsageError("no command given");
  Arguments args{.command = words[0]};
  const std::string& name = args.command;
  if (name == "help" || name == "--help" || name == "-h") {
    std::cout << Usage();
    return kExitOk;
  }
  if (name == "corpus") {
    return internal::CorpusCommand({words.begin() + 1, words.end()}, std::cout, std::cerr, Resolve);
  }
  if (name == "check-history") {
    return linearizability::CheckHistoryCommand({words.begin() + 1, words.end()}, std::cout,
                                                std::cerr, Resolve);
  }
  if (name != "show" && name != "check" && name != "replay" && name != "trace" &&
      name != "confidence") {
    return UsageError("unknown command '" + internal::Escape(name) + "'");
  }
  bool flags_done = false;
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& arg = words[i];
    if (flags_done || arg.empty() || arg[0] != '-' || arg == "-") {
      args.files.push_back(arg);
    } else if (arg == "--") {
      flags_done = true;
    } else if (std::string problem = ParseFlag(words, i, args); !problem.empty()) {
      return UsageError(problem);
    }
  }
  if (args.files.empty()) return UsageError("'" + name + "' needs at least one FILE");
  if (name == "show") return Show(args.files);
  if (name == "check") return Check(args.files);
  if (args.files.size() != 1) return UsageError("'" + name + "' takes exactly one FILE");
  return name == "trace" ? TraceReplay(args) : RerunReplay(args);
}

}  // namespace
}  // namespace laplace::replays

int main(int argc, char** argv) {
  return laplace::replays::Main(std::vector<std::string>(argv + 1, argv + argc));
}
