#include "examples/replicated_kv/property.h"

#include "base/strings.h"
#include "loop/task.h"
#include "properties/assertions.h"

namespace laplace::examples::replicated_kv {

void CheckReplication(properties::Simulation& sim, const ScenarioOptions& options) {
  ScenarioWorld scenario(sim.loop(), options);
  // Watched after every step, but it can only fail in phase 3, when the audit
  // reads a write back from the backup that is not there.
  sim.AddInvariantStatus(kWritesDurable, [&scenario] { return scenario.lost_write(); });

  // 1. Faults: the drawn mix and the nemesis.
  sim.RunFor(options.fault_phase);
  if (sim.failed()) return;

  // 2. Liveness: no more faults, so the client must get every write through.
  // Run() ends when the watcher does: at once when the condition holds, or at
  // the deadline, having failed the run.
  scenario.world().Quiesce();
  sim.loop().Note(internal::Cat("liveness phase: ", scenario.acknowledged().size(), " of ",
                                options.writes, " writes acknowledged; all must be within ",
                                FormatDuration(options.liveness_timeout)));
  sim.Eventually(
      kWritesAcknowledged, [&scenario] { return scenario.finished(); }, options.liveness_timeout);
  sim.Run();
  if (sim.failed()) return;

  // 3. Safety: lose the primary and read everything back from the backup.
  sim.RunFor(options.settle);
  if (sim.failed()) return;
  TaskHandle<absl::Status> audit = sim.loop().Spawn(scenario.LoseThePrimaryAndAudit(), "audit");
  sim.RunUntilComplete(audit);
  if (sim.failed()) return;  // the invariant saw a lost write
  absl::Status audited = audit.result();
  // Not a property of the store: the backup is never faulted after Quiesce.
  LAPLACE_ASSERT(audited.ok()) << "the audit could not read the backup: " << audited;
}

}  // namespace laplace::examples::replicated_kv
