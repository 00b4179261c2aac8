// laplace: the command line for replay files.
//
//   bazel run //replays:laplace -- show examples/replays/Bank.Transfers/00c0ffee12345678.textpb
//   bazel run //replays:laplace -- check examples/replays/*/*.textpb
//   bazel run //replays:laplace -- replay examples/replays/Bank.Transfers/00c0ffee12345678.textpb
//   bazel run //replays:laplace -- confidence examples/replays/Bank.Transfers/00c0ffee.textpb
//
// Arguments are parsed by hand rather than with absl flags: the tool has
// subcommands with their own flags, which absl's global flags do not model.
// Exit status: 0 success; 1 a bad file (or a failed replay: `replay` exits
// with the status of the test run); 2 a usage error.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "properties/linearizability/check_history.h"
#include "replays/corpus.h"
#include "replays/internal/command.h"
#include "replays/internal/describe.h"
#include "replays/internal/text.h"
#include "replays/replay_file.h"

namespace laplace::replays {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitBadFile = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] = R"(usage: laplace <command> [arguments]

Commands:
  show FILE...       Print what replay files hold: the test, the failure, the
                     tape's non-zero choices, the trace tail.
  check FILE...      Validate replay files, one line per file ("ok" or the
                     error). Exits 1 if any file is bad.
  replay FILE [--trace] [--print]
                     Rerun FILE with the test binary that owns it, from the
                     workspace root:
                       LAPLACE_REPLAY=<FILE> bazel run <bazel_target> \
                         -- --gtest_filter=<test_name>
                     --trace  also set LAPLACE_TRACE=1 to print the whole trace
                     --print  print the command instead of running it
                     Exits with the test run's status.
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
                     status: 0 when no run failed, 1 when some did.
%s  help               Print this message.

Run it as `bazel run //replays:laplace -- <command> ...`: relative FILEs are
taken from the directory bazel was started in. The environment variable
LAPLACE_BAZEL names another bazel program (e.g. bazelisk) for `replay`.
Exit status: 0 ok, 1 a bad file, a failed replay or a failure that still
happens, 2 a usage error (check-history: 0 all linearizable, 1 any not or
unknown, 2 unreadable input; docs/ci.md has every exit status in one table).
)";

// The usage with check-history's part, which its own library writes.
std::string Usage() {
  std::string usage = kUsage;
  usage.replace(usage.find("%s"), 2, linearizability::kCheckHistoryUsage);
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
int Run(const internal::ReplayCommand& command) {
  std::cout << std::flush;
  std::cerr << std::flush;
  pid_t child = fork();
  if (child < 0) {
    std::cerr << "laplace: cannot start " << command.argv[0] << ": " << std::strerror(errno)
              << "\n";
    return kExitBadFile;
  }
  if (child == 0) {
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

int RerunReplay(const std::string& file, const internal::ReplayCommandOptions& options,
                bool print_only) {
  std::string path = Resolve(file);
  absl::StatusOr<Replay> replay = Read(path);
  if (!replay.ok()) {
    std::cerr << "laplace: " << Printable(replay.status()) << "\n";
    return kExitBadFile;
  }
  std::error_code error;
  std::string here = std::filesystem::current_path(error).string();
  std::string workspace = EnvOr("BUILD_WORKSPACE_DIRECTORY", here);
  absl::StatusOr<internal::ReplayCommand> command =
      internal::BuildReplayCommand(*replay, path, workspace,
                                   {.trace = options.trace,
                                    .bazel = EnvOr("LAPLACE_BAZEL", "bazel"),
                                    .confidence = options.confidence});
  if (!command.ok()) {
    std::cerr << "laplace: " << Printable(command.status()) << "\n";
    return kExitBadFile;
  }
  if (print_only) {
    std::cout << command->ToShell() << "\n";
    return kExitOk;
  }
  std::cerr << "laplace: running " << command->ToShell() << "\n";
  return Run(*command);
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

int Main(const std::vector<std::string>& args) {
  if (args.empty()) return UsageError("no command given");
  const std::string& name = args[0];
  if (name == "help" || name == "--help" || name == "-h") {
    std::cout << Usage();
    return kExitOk;
  }
  if (name == "check-history") {
    return linearizability::CheckHistoryCommand({args.begin() + 1, args.end()}, std::cout,
                                                std::cerr, Resolve);
  }
  if (name != "show" && name != "check" && name != "replay" && name != "confidence") {
    return UsageError("unknown command '" + internal::Escape(name) + "'");
  }
  bool trace = false;
  bool print_only = false;
  std::string runs = "100";
  std::string steps;
  bool flags_done = false;
  std::vector<std::string> files;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_done || arg.empty() || arg[0] != '-' || arg == "-") {
      files.push_back(arg);
    } else if (arg == "--") {
      flags_done = true;
    } else if (name == "replay" && arg == "--trace") {
      trace = true;
    } else if ((name == "replay" || name == "confidence") && arg == "--print") {
      print_only = true;
    } else if (name == "confidence" && (IsFlag(arg, "--runs") || IsFlag(arg, "--steps"))) {
      const bool is_runs = IsFlag(arg, "--runs");
      std::string problem =
          TakeNumber(args, i, is_runs ? "--runs" : "--steps", is_runs ? runs : steps);
      if (!problem.empty()) return UsageError(problem);
    } else {
      return UsageError("unknown flag '" + internal::Escape(arg) + "' for '" + name + "'");
    }
  }
  if (files.empty()) return UsageError("'" + name + "' needs at least one FILE");
  if (name == "show") return Show(files);
  if (name == "check") return Check(files);
  if (files.size() != 1) return UsageError("'" + name + "' takes exactly one FILE");
  internal::ReplayCommandOptions options{.trace = trace};
  if (name == "confidence") options.confidence = steps.empty() ? runs : runs + ":" + steps;
  return RerunReplay(files[0], options, print_only);
}

}  // namespace
}  // namespace laplace::replays

int main(int argc, char** argv) {
  return laplace::replays::Main(std::vector<std::string>(argv + 1, argv + argc));
}
