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
//   //      (acknowledged at t=20.16ms)
//
// ScenarioWorld is the same run taken apart, for drivers that run the phases
// themselves (property.h runs them on a properties::Simulation):
//
//   ScenarioWorld scenario(loop, options);  // faults drawn, nodes started
//   loop.RunFor(options.fault_phase);       // 1. faults
//   scenario.world().Quiesce();             // 2. liveness: finished() must come true
//   ...
//   auto audit = loop.Spawn(scenario.LoseThePrimaryAndAudit(), "audit");  // 3. safety
#ifndef LAPLACE_EXAMPLES_REPLICATED_KV_SCENARIO_H_
#define LAPLACE_EXAMPLES_REPLICATED_KV_SCENARIO_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "loop/future.h"
#include "loop/loop.h"
#include "loop/task.h"
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
  // Whether the client retries a Put that failed or timed out. False makes a
  // deliberately broken client that stops for good at its first failed Put
  // (a lost request or reply, or a Put refused because the primary was down
  // or not yet listening): it can then never finish, and the run fails the
  // liveness phase. Only for tests that check liveness failures are reported
  // as such.
  bool client_retries = true;
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

// The scenario's nodes.
inline constexpr sim::NodeId kPrimary = 1;
inline constexpr sim::NodeId kBackup = 2;
inline constexpr sim::NodeId kClient = 3;

// One acknowledged Put, as the client saw it.
struct Write {
  std::string key;
  std::string value;
  Time acknowledged_at;  // when the client got "PutOk"
};

// The scenario's world, built and started but not run: see the banner.
// RunScenario is a ScenarioWorld plus a task that runs the three phases.
class ScenarioWorld {
 public:
  // Draws the fault settings from `loop` (unless !options.swarm), builds the
  // world, and spawns the client's workload and the nemesis (both daemons).
  // Nothing runs until the caller runs `loop`, which must be fresh and
  // outlive this. The draws come in the order RunScenario has always made
  // them, so a seed means the same world in both.
  ScenarioWorld(Loop& loop, const ScenarioOptions& options);
  ScenarioWorld(const ScenarioWorld&) = delete;
  ScenarioWorld& operator=(const ScenarioWorld&) = delete;

  // ---- Phase 1 and 2: faults, then (after world().Quiesce()) liveness ----

  sim::World& world() { return world_; }
  // The fault settings this run drew (or was given).
  const sim::SwarmDraw& draw() const { return draw_; }
  // Every write the client has had acknowledged so far, in order: the oracle,
  // kept outside the simulated world so that no crash can touch it.
  const std::vector<Write>& acknowledged() const { return acknowledged_; }
  // True once every one of options.writes writes is acknowledged.
  bool finished() const;
  // Resolves when finished() becomes true.
  Future<> finished_future() const { return finished_.future(); }

  // ---- Phase 3: safety ----

  // Loses the primary for good (a crash, never restarted), then reads every
  // acknowledged write from the backup in order, stopping at the first one
  // that is missing or different. Returns OK; kDataLoss naming the lost write
  // (also kept in lost_write()); or kInternal if the backup does not answer
  // (it is never faulted after Quiesce, so that is a harness problem). Call
  // once, after Quiesce; this object must outlive the task.
  Task<absl::Status> LoseThePrimaryAndAudit();
  // OK until LoseThePrimaryAndAudit has found a lost write, then its
  // kDataLoss: what an invariant watches.
  const absl::Status& lost_write() const { return lost_write_; }

 private:
  static Task<> Client(sim::Node& node, ScenarioWorld& scenario);

  ScenarioOptions options_;
  sim::SwarmDraw draw_;
  // The oracle and the promise outlive the world, whose destructor cancels
  // the client task that refers to them.
  std::vector<Write> acknowledged_;
  Promise<> finished_;
  absl::Status lost_write_;
  sim::World world_;
};

}  // namespace laplace::examples::replicated_kv

#endif  // LAPLACE_EXAMPLES_REPLICATED_KV_SCENARIO_H_
