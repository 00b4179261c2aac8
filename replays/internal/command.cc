#include "replays/internal/command.h"

#include "base/check.h"
#include "base/strings.h"
#include "replays/corpus.h"
#include "replays/internal/text.h"

namespace laplace::replays::internal {
namespace {

using ::laplace::internal::Append;
using ::laplace::internal::Cat;

bool NeedsNoQuotes(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_-./:=@%+,").find(c) != std::string_view::npos;
}

}  // namespace

std::string ShellQuote(std::string_view word) {
  bool plain = !word.empty();
  for (char c : word) plain = plain && NeedsNoQuotes(c);
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out.append("'\\''");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string ReplayCommand::ToShell() const {
  std::string out = Cat("cd ", ShellQuote(directory), " &&");
  for (const auto& [name, value] : environment) Append(out, " ", name, "=", ShellQuote(value));
  for (const std::string& word : argv) Append(out, " ", ShellQuote(word));
  return out;
}

std::string ReplayCommand::BuildToShell() const {
  std::string out = Cat("cd ", ShellQuote(directory), " &&");
  for (const std::string& word : build_argv) Append(out, " ", ShellQuote(word));
  return out;
}

absl::StatusOr<ReplayCommand> BuildReplayCommand(const Replay& replay,
                                                 std::string_view absolute_file,
                                                 std::string_view workspace,
                                                 const ReplayCommandOptions& options) {
  LAPLACE_CHECK(!absolute_file.empty()) << "no replay file";
  LAPLACE_CHECK(absolute_file.front() == '/') << "not absolute: " << std::string(absolute_file);
  if (replay.bazel_target().empty()) {
    return absl::InvalidArgumentError(Cat(
        Escape(absolute_file, 4 * kShownBytesMax),
        ": the replay does not name its bazel_target, so laplace cannot tell which test "
        "binary to run; run the test yourself with ",
        kReplayFileEnv, "=", ShellQuote(absolute_file), " and --gtest_filter=", replay.test_name(),
        ", or add a line bazel_target: \"//package:target\" to the file"));
  }
  ReplayCommand command;
  command.directory = std::string(workspace);
  command.argv = {options.bazel,         "run", std::string(kRunOneShard),
                  replay.bazel_target(), "--",  Cat("--gtest_filter=", replay.test_name())};
  command.build_argv = {options.bazel, "build", std::string(kRunOneShard), replay.bazel_target()};
  command.environment.emplace_back(kReplayFileEnv, std::string(absolute_file));
  if (options.trace) command.environment.emplace_back(kTraceEnv, "1");
  if (!options.trace_out.empty()) {
    LAPLACE_CHECK(options.trace_out.front() == '/') << "not absolute: " << options.trace_out;
    command.environment.emplace_back(kTraceOutEnv, options.trace_out);
  }
  if (!options.trace_format.empty()) {
    command.environment.emplace_back(kTraceFormatEnv, options.trace_format);
  }
  auto joined = [](const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) Append(text, text.empty() ? "" : ",", name);
    return text;
  };
  if (!options.trace_nodes.empty()) {
    command.environment.emplace_back(kTraceNodesEnv, joined(options.trace_nodes));
  }
  if (!options.trace_tasks.empty()) {
    command.environment.emplace_back(kTraceTasksEnv, joined(options.trace_tasks));
  }
  if (!options.confidence.empty()) {
    command.environment.emplace_back(kConfidenceEnv, options.confidence);
  }
  return command;
}

}  // namespace laplace::replays::internal
