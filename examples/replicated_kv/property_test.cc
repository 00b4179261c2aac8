// Proves Laplace finds the buggy primary's lost write from seeds, shrinks it and replays it to the
// same digest; that the fixed primary passes thousands of seeds; and that the property reports a
// lost write as a safety failure and a client stuck after the faults stop as a liveness failure.
#include "examples/replicated_kv/property.h"

#include <cstdint>
#include <optional>

#include "gtest/gtest.h"
#include "properties/failure.h"
#include "properties/property.h"
#include "properties/runner.h"

namespace laplace::examples::replicated_kv {
namespace {

using properties::Body;
using properties::PropertyOptions;
using properties::RunOnce;
using properties::RunReport;
using properties::Simulation;
using properties::TapeSpec;

// The fixed primary, against every fault the swarm draws, on thousands of seeds.
LAPLACE_PROPERTY_WITH_OPTIONS(ReplicatedKv, TheFixedPrimaryKeepsEveryAcknowledgedWrite,
                              (PropertyOptions{.sweep_seeds = 2000}), ()) {
  CheckReplication(sim, {.variant = Variant::kFixed});
}

// The bug zoo: the buggy primary acknowledges before it replicates, so a crash
// loses an acknowledged write. Laplace must find it from seeds, shrink it and
// replay it to the same trace digest; its checked-in replay
// (replays/ReplicatedKv.TheBuggyPrimaryLosesAnAcknowledgedWrite/) must keep
// reproducing. Ten writes rather than twenty: the bug is found as fast, and
// the counterexample has less traffic to read and to shrink (the shrinker
// cannot move a fault earlier past traffic, see docs/sim.md).
LAPLACE_PROPERTY_WITH_OPTIONS(ReplicatedKv, TheBuggyPrimaryLosesAnAcknowledgedWrite,
                              (PropertyOptions{.sweep_seeds = 1000, .expect_failure = true}), ()) {
  CheckReplication(sim, {.variant = Variant::kBuggy, .writes = 10});
}

// The bug zoo, liveness: a client that never retries a failed Put cannot
// finish once one reply is lost, or even when its first Put races the
// primary's start and is refused; found, shrunk and replayed as a "liveness"
// failure after the faults are quiesced.
LAPLACE_PROPERTY_WITH_OPTIONS(ReplicatedKv, AClientThatNeverRetriesNeverFinishes,
                              (PropertyOptions{.sweep_seeds = 100, .expect_failure = true}), ()) {
  CheckReplication(sim, {.variant = Variant::kFixed, .client_retries = false});
}

// The first failing seed of `options` in [0, seeds), with its report.
struct Found {
  uint64_t seed = 0;
  RunReport report;
};
std::optional<Found> FirstFailure(const ScenarioOptions& options, uint64_t seeds) {
  Body body = [&options](Simulation& sim) { CheckReplication(sim, options); };
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    RunReport report = RunOnce(body, TapeSpec::Seed(seed), {});
    if (report.failed()) return Found{seed, std::move(report)};
  }
  return std::nullopt;
}

TEST(ReplicatedKvProperty, ALostAcknowledgedWriteIsAnInvariantFailureAfterTheFaultsStop) {
  const ScenarioOptions options{.variant = Variant::kBuggy};
  std::optional<Found> found = FirstFailure(options, 200);
  ASSERT_TRUE(found.has_value());
  const properties::Failure& failure = *found->report.failure;
  EXPECT_EQ(failure.kind, properties::kInvariant) << failure.ToString();
  EXPECT_EQ(failure.signature(), "invariant:acknowledged-writes-durable");
  EXPECT_NE(failure.message.find("is lost"), std::string::npos) << failure.message;
  // Phase 3: after the faults and the liveness phase.
  EXPECT_GT(failure.time, Time() + options.fault_phase);
}

TEST(ReplicatedKvProperty, AClientThatNeverRetriesIsALivenessFailureAtTheDeadline) {
  ScenarioOptions options{.variant = Variant::kFixed, .client_retries = false};
  std::optional<Found> found = FirstFailure(options, 200);
  ASSERT_TRUE(found.has_value());
  const properties::Failure& failure = *found->report.failure;
  EXPECT_EQ(failure.kind, properties::kLiveness) << failure.ToString();
  EXPECT_EQ(failure.signature(), "liveness:all-writes-acknowledged");
  // Quiesce comes at the end of the fault phase, the deadline that long after.
  EXPECT_EQ(failure.time, Time() + options.fault_phase + options.liveness_timeout);

  // The same seed with a client that retries passes: the store is not at fault.
  options.client_retries = true;
  Body body = [&options](Simulation& sim) { CheckReplication(sim, options); };
  RunReport retrying = RunOnce(body, TapeSpec::Seed(found->seed), {});
  EXPECT_FALSE(retrying.failed()) << retrying.failure->ToString();
}

TEST(ReplicatedKvProperty,
     AZeroTapeRunIsFaultFreeSoEvenTheBuggyPrimaryAndAClientThatNeverRetriesPass) {
  Body body = [](Simulation& sim) {
    CheckReplication(sim, {.variant = Variant::kBuggy, .client_retries = false});
  };
  RunReport report = RunOnce(body, TapeSpec::Replay({}, TapeSource::Mode::kLenient), {});
  EXPECT_FALSE(report.failed()) << report.failure->ToString();
}

}  // namespace
}  // namespace laplace::examples::replicated_kv
