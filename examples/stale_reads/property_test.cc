// Proves Laplace finds the one-replica read's stale value from seeds as a non-linearizable
// history, shrinks the run and shows the minimal witness (a write, and a read after it that
// missed it), replays it to the same digest; and that quorum reads pass hundreds of seeds.
#include "examples/stale_reads/property.h"

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "properties/failure.h"
#include "properties/property.h"
#include "properties/runner.h"
#include "properties/shrinker.h"

namespace laplace::examples::stale_reads {
namespace {

using properties::Body;
using properties::PropertyOptions;
using properties::RunOnce;
using properties::RunReport;
using properties::Simulation;
using properties::TapeSpec;

// The fixed register: majority reads with write-back, under partitions.
LAPLACE_PROPERTY_WITH_OPTIONS(StaleReads, QuorumReadsAreLinearizable,
                              (PropertyOptions{.sweep_seeds = 300}), ()) {
  CheckRegister(sim, {.mode = ReadMode::kQuorum});
}

// Two clients and four operations each are enough for the bug, and leave a
// shorter run to shrink.
const RegisterOptions kBuggy{
    .mode = ReadMode::kOneReplica, .clients = 2, .operations_per_client = 4};

// The bug zoo: one-replica reads. No replica's state is ever wrong; only the
// history shows the bug. Its replay (replays/StaleReads.OneReplicaReads
// ServeAStaleValueAfterAPartition/) must keep reproducing.
LAPLACE_PROPERTY_WITH_OPTIONS(StaleReads, OneReplicaReadsServeAStaleValueAfterAPartition,
                              (PropertyOptions{.sweep_seeds = 500, .expect_failure = true}), ()) {
  CheckRegister(sim, kBuggy);
}

Body Buggy() {
  return [](Simulation& sim) { CheckRegister(sim, kBuggy); };
}

std::optional<RunReport> FirstFailure(const Body& body, uint64_t seeds) {
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    RunReport report = RunOnce(body, TapeSpec::Seed(seed), {});
    if (report.failed()) return report;
  }
  return std::nullopt;
}

TEST(StaleReadsProperty, TheShrunkRunsWitnessIsAWriteAndAReadThatMissedIt) {
  std::optional<RunReport> found = FirstFailure(Buggy(), 500);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->failure->signature(), "linearizability:register");
  properties::ShrinkResult shrunk = properties::Shrink(
      [](const Tape& tape, const properties::RunBound& bound) {
        return RunOnce(Buggy(), TapeSpec::Replay(tape, TapeSource::Mode::kLenient),
                       {.bound = bound});
      },
      *found, {});
  ASSERT_TRUE(shrunk.report.failed());
  EXPECT_LT(shrunk.tape.size(), found->tape.size());
  const std::string& message = shrunk.report.failure->message;
  EXPECT_EQ(shrunk.report.failure->signature(), "linearizability:register");
  // The witness: the write(s) the read should have seen, and the stale read.
  EXPECT_NE(message.find("operations are not linearizable:\n"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot be placed after it: read -> "), std::string::npos) << message;
  std::cout << "shrunk " << found->tape.size() << " -> " << shrunk.tape.size() << " choices:\n"
            << message << "\n";
}

TEST(StaleReadsProperty, AZeroTapeRunIsPartitionFreeSoEvenOneReplicaReadsPass) {
  RunReport report = RunOnce(Buggy(), TapeSpec::Replay({}, TapeSource::Mode::kLenient), {});
  EXPECT_FALSE(report.failed()) << report.failure->ToString();
}

}  // namespace
}  // namespace laplace::examples::stale_reads
