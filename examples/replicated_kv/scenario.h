// RunScenario: one seeded run of the primary/backup store against its
// invariant, "an acknowledged write is never lost".
//
// The run, all in virtual time, on a World whose fault settings are drawn
// from the Loop's choices (swarm.h) unless told otherwise:
//   1. nodes "primary" (n1), "backup" (n2) and "client" (n3) start; the
//      client Puts keys k0, k1, ... one at a time, retrying each until it is
//      acknowledged; a nemesis crashes, pauses and partitions n1 and n2;
//   2. after `fault_phase`, World::Quiesce() ends the faults, and the client
//      must finish within `liveness_timeout` (else kDeadlineExceeded);
//   3. after `settle`, the primary is lost for good (crashed, never
//      restarted), and every acknowledged key is read from the backup: a
//      missing or different value is kDataLoss.
// Any other way the run ends badly (deadlock, budget) is kInternal. So
// RunScenario returns OK or the failure, and a property layer can shrink
// the Loop's tape on it.
//
//   laplace::Loop loop({.seed = 42});
//   absl::Status verdict = RunScenario(loop, {.variant = Variant::kBuggy});
//   // e.g. DATA_LOSS: acknowledged write k7=v7 is lost: the backup has nothing
#ifndef LAPLACE_EXAMPLES_REPLICATED_KV_SCENARIO_H_
#define LAPLACE_EXAMPLES_REPLICATED_KV_SCENARIO_H_

#include <string_view>

#include "absl/status/status.h"
#include "loop/loop.h"
#include "loop/time.h"
#include "sim/nemesis.h"
#include "sim/swarm.h"
#include "sim/world.h"

namespace laplace::examples::replicated_kv {

// Which primary the scenario runs.
enum class Variant {
  kFixed,  // fixed.h
  kBuggy,  // buggy.h
};

// "fixed" or "buggy".
std::string_view VariantName(Variant variant);

// The scenario's knobs; the defaults are what the tests and the benchmark run.
struct ScenarioOptions {
  Variant variant = Variant::kFixed;
  // How many distinct keys the client writes.
  int writes = 20;
  // How long the nemesis and the drawn faults run before Quiesce.
  Duration fault_phase = std::chrono::seconds(2);
  // After Quiesce, every write must be acknowledged within this much time.
  Duration liveness_timeout = std::chrono::seconds(20);
  // Quiet time between the last acknowledgement and losing the primary.
  Duration settle = std::chrono::seconds(1);
  // The client's timeout per Put attempt.
  Duration put_timeout = std::chrono::milliseconds(400);
  // Draw the fault settings from the Loop's choices (swarm testing); when
  // false, `world` and `nemesis` are used as they are.
  bool swarm = true;
  // Corruption is off: with one copy per node a corrupt sector loses data no
  // matter how correct the protocol is, which is not the bug under study.
  sim::SwarmOptions swarm_options{.disk_corruption = false};
  sim::WorldOptions world;
  sim::NemesisOptions nemesis;
};

// Runs the scenario above on `loop` (which must be fresh) and returns OK or
// the invariant it broke: kDataLoss (an acknowledged write lost),
// kDeadlineExceeded (no progress after Quiesce) or kInternal (the run itself
// failed). Deterministic: the Loop's seed or tape decides everything.
absl::Status RunScenario(Loop& loop, const ScenarioOptions& options);

}  // namespace laplace::examples::replicated_kv

#endif  // LAPLACE_EXAMPLES_REPLICATED_KV_SCENARIO_H_
