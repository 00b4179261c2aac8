// Proves a found failure's causal chain: for a store that acknowledges a write its backup never
// synced, it holds the crash, the lost write and the failing check in that order; the report
// prints it first, before the tail; the replay file keeps it and `laplace show` prints it; and
// two runs give the same chain.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/pipeline.h"
#include "replays/replay_file.h"
#include "replays/trace_export/text.h"
#include "sim/world.h"

namespace laplace::properties {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

constexpr sim::NodeId kBackup = 2;

// The backup appends every write to its log and acknowledges it at once, without an fsync: the
// bug. A crash then loses what it acknowledged.
Task<> Backup(sim::Node& node) {
  sim::Socket socket = node.Bind(80);
  while (true) {
    absl::StatusOr<sim::Message> write = co_await socket.Receive();
    if (!write.ok()) co_return;
    (void)co_await node.disk().Append("log", write->payload);
    (void)socket.Reply(*write, "Ack", "");
  }
}

// The primary replicates one write and notes its acknowledgement.
Task<> Primary(sim::Node& node) {
  sim::Socket socket = node.BindEphemeral();
  co_await node.loop().Sleep(milliseconds(1));
  (void)socket.Send({.node = kBackup, .port = 80}, "Replicate", "k=v");
  absl::StatusOr<sim::Message> ack = co_await socket.Receive();
  if (ack.ok()) node.loop().Note("write k=v acknowledged");
}

// Reads the backup's log after the faults: the acknowledged write must be there.
Task<> Audit(sim::Node& backup) {
  absl::StatusOr<std::string> log =
      co_await backup.disk().Read("log", 0, backup.disk().Size("log"));
  LAPLACE_ASSERT(log.ok() && *log == "k=v")
      << "acknowledged write k=v is lost: the backup's log holds '" << log.value_or("") << "'";
}

Property LostWrite() {
  return PropertyOf("Chain.AnUnsyncedAcknowledgedWriteIsLost", [](Simulation& sim) {
    sim::World world(sim.loop());
    world.AddNode("primary", Primary);
    world.AddNode("backup", Backup);
    sim.RunFor(milliseconds(20));
    // The fault decision: crash the backup, or not.
    if (sim.loop().Choose(2, ChoiceKind::kFault) == 1) {
      world.Crash(kBackup);
      world.Restart(kBackup);
    }
    sim.loop().Spawn(Audit(world.node(kBackup)), "audit");
    sim.RunFor(milliseconds(20));
  });
}

struct Found {
  PropertyResult result;
  std::vector<std::string> chain;
};

// The pipeline on LostWrite, with its replay file written under `corpus`.
Found FindLostWrite(const std::string& corpus) {
  std::filesystem::remove_all(corpus);
  absl::StatusOr<Settings> settings =
      ParseSettings({{"LAPLACE_BASE_SEED", "0"}, {"LAPLACE_CORPUS_ROOT", corpus}}, {});
  EXPECT_TRUE(settings.ok()) << settings.status();
  Found found{RunProperty(LostWrite(), {.sweep_seeds = 50}, *settings, PipelineOutput::Silent()),
              {}};
  EXPECT_TRUE(found.result.failure.has_value());
  if (found.result.failure.has_value()) found.chain = found.result.failure->found.causal_chain;
  return found;
}

std::string Corpus(std::string_view name) {
  return (std::filesystem::path(::testing::TempDir()) / name).lexically_normal().string();
}

// The position of the first of `lines` holding `text`, or lines.size().
size_t LineWith(const std::vector<std::string>& lines, std::string_view text) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(text) != std::string::npos) return i;
  }
  return lines.size();
}

TEST(CausalChain, HoldsTheCrashTheLostWriteAndTheFailingCheckInThatOrder) {
  const Found found = FindLostWrite(Corpus("order"));
  const std::vector<std::string>& chain = found.chain;
  ASSERT_FALSE(chain.empty());
  EXPECT_LE(chain.size(), replays::trace_export::kChainStoryEventsMax);
  const size_t crash = LineWith(chain, "backup crashed");
  const size_t lost = LineWith(chain, "crash lost 1 unsynced write(s) to 'log'");
  const size_t check = LineWith(chain, "FAILURE: assertion");
  ASSERT_LT(crash, chain.size()) << testing::PrintToString(chain);
  ASSERT_LT(lost, chain.size()) << testing::PrintToString(chain);
  EXPECT_LT(crash, lost);
  EXPECT_EQ(check, chain.size() - 1);
  EXPECT_THAT(chain[lost], HasSubstr(" fault"));  // "<- #N fault": the crash made it
  EXPECT_GT(found.result.failure->found.causal_ancestors, chain.size() - 1);
}

TEST(CausalChain, TheReportPrintsItFirstBeforeTheTail) {
  const Found found = FindLostWrite(Corpus("report"));
  ASSERT_FALSE(found.chain.empty());
  const std::string report = FormatFailure(LostWrite(), *found.result.failure);
  const size_t heading = report.find("\n  causal chain of the failure (");
  ASSERT_NE(heading, std::string::npos) << report;
  EXPECT_EQ(report.rfind("Laplace found a failure in Chain.AnUnsyncedAcknowledgedWriteIsLost\n",
                         0),
            0u);
  EXPECT_LT(heading, report.find("\n  failure: "));
  EXPECT_LT(heading, report.find("\n  trace (last "));
  EXPECT_THAT(report, HasSubstr("\n    " + found.chain.back() + "\n"));
}

TEST(CausalChain, TheReplayFileKeepsItAndLaplaceShowPrintsItFirst) {
  const Found found = FindLostWrite(Corpus("file"));
  ASSERT_FALSE(found.chain.empty());
  const std::string& path = found.result.failure->replay_path;
  absl::StatusOr<replays::Replay> file = replays::ReadReplayFile(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(std::vector<std::string>(file->causal_chain().begin(), file->causal_chain().end()),
            found.chain);
  EXPECT_EQ(file->causal_ancestors(), found.result.failure->found.causal_ancestors);

  const std::string command = "replays/laplace show '" + path + "'";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string shown;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) shown.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << shown;
  EXPECT_EQ(shown.rfind(path + "\n  causal chain of the failure (", 0), 0u) << shown;
  EXPECT_LT(shown.find(found.chain.front()), shown.find("\n  test: ")) << shown;
  EXPECT_THAT(shown, HasSubstr("    " + found.chain.back() + "\n"));
}

TEST(CausalChain, TwoRunsGiveTheSameChain) {
  const Found first = FindLostWrite(Corpus("first"));
  const Found second = FindLostWrite(Corpus("second"));
  ASSERT_FALSE(first.chain.empty());
  // Shrinking has a wall-clock budget; this case is small enough to reach its fixpoint.
  ASSERT_FALSE(first.result.failure->found.shrink_budget_exhausted);
  ASSERT_FALSE(second.result.failure->found.shrink_budget_exhausted);
  EXPECT_EQ(first.chain, second.chain);
}

}  // namespace
}  // namespace laplace::properties
