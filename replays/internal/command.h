// The command that `laplace replay` runs to rerun a replay file.
//
// A replay file names the Bazel target of its test and the test's name, so
// rerunning it is running that test binary on just that test, with the file
// handed over in LAPLACE_REPLAY (properties/ reads it there):
//
//   cd <workspace> && LAPLACE_REPLAY=/abs/path/to/file.textpb
//       bazel run --test_sharding_strategy=disabled //examples:bank_test
//       -- --gtest_filter=Bank.Transfers
//
// (`bazel run` refuses a test with shard_count > 1 without that flag.)
// `laplace replay` builds the target first with `build_argv`, so that a
// build failure is told apart from a replay that fails: under `bazel run`
// both exit 1.
//
//   absl::StatusOr<ReplayCommand> command =
//       BuildReplayCommand(replay, "/abs/file.textpb", "/ws", {.trace = true});
//   std::cout << command->ToShell() << "\n";
#ifndef LAPLACE_REPLAYS_INTERNAL_COMMAND_H_
#define LAPLACE_REPLAYS_INTERNAL_COMMAND_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "replays/replay.pb.h"

namespace laplace::replays::internal {

struct ReplayCommandOptions {
  // Also set LAPLACE_TRACE=1, so the test prints the whole trace of the run.
  bool trace = false;
  // `laplace trace`: the test writes the whole trace to `trace_out` (an
  // absolute path) in `trace_format` ("text", "perfetto" or "html").
  std::string trace_out;
  std::string trace_format;
  // Text traces show only these nodes' and tasks' events (empty: all).
  std::vector<std::string> trace_nodes;
  std::vector<std::string> trace_tasks;
  // The Bazel program to run ("bazel", or e.g. "bazelisk").
  std::string bazel = "bazel";
  // When not empty, "RUNS[:STEPS]": measure fix confidence instead of
  // replaying once (LAPLACE_CONFIDENCE; properties/confidence.h).
  std::string confidence;
};

// `bazel run` of a test target with shard_count > 1 fails ("'run' only works
// with tests with one shard") unless sharding is disabled; a replay is one
// run of one test, so every command that runs a test target passes this.
inline constexpr std::string_view kRunOneShard = "--test_sharding_strategy=disabled";

// A program to run: in `directory`, `argv` with `environment` added.
struct ReplayCommand {
  std::string directory;
  std::vector<std::string> argv;
  // Builds what `argv` runs, with the same flags (so Bazel keeps its
  // analysis cache): "bazel build --test_sharding_strategy=disabled //a:b".
  std::vector<std::string> build_argv;
  std::vector<std::pair<std::string, std::string>> environment;

  // The same command as one line of POSIX shell, every word quoted as
  // needed: "cd /ws && LAPLACE_REPLAY=/f.textpb bazel run
  // --test_sharding_strategy=disabled //a:b -- ...". Without the build step
  // (`bazel run` builds too).
  std::string ToShell() const;
  // The build step alone: "cd /ws && bazel build --test_sharding_strategy=disabled //a:b".
  std::string BuildToShell() const;
};

// The command that reruns `replay`, read from `absolute_file`, from the
// workspace root `workspace`. kInvalidArgument when the replay names no
// bazel_target (the message says how to run it by hand instead). Requires a
// replay that passed ValidateReplay() and an absolute `absolute_file`.
absl::StatusOr<ReplayCommand> BuildReplayCommand(const Replay& replay,
                                                 std::string_view absolute_file,
                                                 std::string_view workspace,
                                                 const ReplayCommandOptions& options);

// `word` quoted for a POSIX shell when it needs quoting: 'it'\''s'.
std::string ShellQuote(std::string_view word);

}  // namespace laplace::replays::internal

#endif  // LAPLACE_REPLAYS_INTERNAL_COMMAND_H_
