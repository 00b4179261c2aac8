// Proves that `laplace replay` builds the right command: bazel run of the file's target,
// filtered to its test, with LAPLACE_REPLAY (and LAPLACE_TRACE) set, from the workspace root.
#include "replays/internal/command.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace laplace::replays::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

Replay Example() {
  Replay replay;
  replay.set_test_name("Bank.Transfers");
  replay.set_bazel_target("//examples:bank_test");
  return replay;
}

TEST(BuildReplayCommand, RunsTheTargetFilteredToTheTestWithTheFileInTheEnvironment) {
  absl::StatusOr<ReplayCommand> command =
      BuildReplayCommand(Example(), "/ws/examples/replays/a.textpb", "/ws", {});
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(command->directory, "/ws");
  EXPECT_THAT(command->argv,
              ElementsAre("bazel", "run", "--test_sharding_strategy=disabled",
                          "//examples:bank_test", "--", "--gtest_filter=Bank.Transfers"));
  EXPECT_THAT(command->environment,
              ElementsAre(Pair("LAPLACE_REPLAY", "/ws/examples/replays/a.textpb")));
  EXPECT_EQ(command->ToShell(),
            "cd /ws && LAPLACE_REPLAY=/ws/examples/replays/a.textpb bazel run "
            "--test_sharding_strategy=disabled //examples:bank_test -- "
            "--gtest_filter=Bank.Transfers");
}

// `bazel run` of a test with shard_count > 1 fails ("'run' only works with tests with one
// shard") unless sharding is disabled; the build step uses the same flags, so Bazel keeps its
// analysis cache between the two.
TEST(BuildReplayCommand, DisablesShardingAndBuildsWithTheSameFlagsFirst) {
  absl::StatusOr<ReplayCommand> command =
      BuildReplayCommand(Example(), "/f.textpb", "/ws", {.bazel = "bazelisk"});
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_THAT(command->argv, ::testing::Contains("--test_sharding_strategy=disabled"));
  EXPECT_THAT(command->build_argv,
              ElementsAre("bazelisk", "build", "--test_sharding_strategy=disabled",
                          "//examples:bank_test"));
  EXPECT_EQ(command->BuildToShell(),
            "cd /ws && bazelisk build --test_sharding_strategy=disabled //examples:bank_test");
}

TEST(BuildReplayCommand, TraceAddsLaplaceTraceAndBazelCanBeReplaced) {
  absl::StatusOr<ReplayCommand> command =
      BuildReplayCommand(Example(), "/f.textpb", "/ws", {.trace = true, .bazel = "bazelisk"});
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(command->argv[0], "bazelisk");
  EXPECT_THAT(command->environment,
              ElementsAre(Pair("LAPLACE_REPLAY", "/f.textpb"), Pair("LAPLACE_TRACE", "1")));
}

TEST(BuildReplayCommand, ATraceExportNamesItsFileFormatAndFiltersInTheEnvironment) {
  absl::StatusOr<ReplayCommand> command = BuildReplayCommand(Example(), "/f.textpb", "/ws",
                                                             {.trace_out = "/out/t.html",
                                                              .trace_format = "html",
                                                              .trace_nodes = {"backup", "primary"},
                                                              .trace_tasks = {"audit"}});
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_THAT(command->environment, ElementsAre(Pair("LAPLACE_REPLAY", "/f.textpb"),
                                                Pair("LAPLACE_TRACE_OUT", "/out/t.html"),
                                                Pair("LAPLACE_TRACE_FORMAT", "html"),
                                                Pair("LAPLACE_TRACE_NODES", "backup,primary"),
                                                Pair("LAPLACE_TRACE_TASKS", "audit")));
}

TEST(BuildReplayCommand, ConfidenceAddsLaplaceConfidence) {
  absl::StatusOr<ReplayCommand> command =
      BuildReplayCommand(Example(), "/f.textpb", "/ws", {.confidence = "200:5"});
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_THAT(command->environment, ElementsAre(Pair("LAPLACE_REPLAY", "/f.textpb"),
                                                Pair("LAPLACE_CONFIDENCE", "200:5")));
}

TEST(BuildReplayCommand, AReplayWithoutATargetSaysHowToRunItByHand) {
  Replay replay = Example();
  replay.clear_bazel_target();
  absl::StatusOr<ReplayCommand> command = BuildReplayCommand(replay, "/f.textpb", "/ws", {});
  EXPECT_EQ(command.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(command.status().message()),
              HasSubstr("LAPLACE_REPLAY=/f.textpb and --gtest_filter=Bank.Transfers"));
}

TEST(ShellQuote, QuotesOnlyWhatTheShellWouldMangle) {
  EXPECT_EQ(ShellQuote("//a/b:c"), "//a/b:c");
  EXPECT_EQ(ShellQuote("--gtest_filter=A.B"), "--gtest_filter=A.B");
  EXPECT_EQ(ShellQuote("my dir"), "'my dir'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote("$HOME"), "'$HOME'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace laplace::replays::internal
