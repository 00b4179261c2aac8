// A bug that needs three preemptions: an auditor takes a two-part snapshot (a, then b) while a
// transfer moves money in two parts; the audit goes wrong only for the exact interleaving
// audit-1, transfer-1, audit-2, transfer-2 before the audit's last step, each a switch away
// from a task that could have gone on. Fixed: both hold the ledger's Lock for all their steps.
#include <string>
#include <vector>

#include "loop/lock.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Ledger {
  explicit Ledger(Loop& loop) : lock(loop, "ledger") {}
  Lock lock;
  std::vector<std::string> log;

  bool Torn() const {
    const std::vector<std::string> torn = {"audit-1", "transfer-1", "audit-2", "transfer-2"};
    return log.size() >= torn.size() && std::equal(torn.begin(), torn.end(), log.begin());
  }
};

Task<> Steps(Loop& loop, Ledger& ledger, std::string name, bool fixed) {
  LockGuard guard;
  if (fixed) guard = co_await ledger.lock.Acquire();
  for (int step = 1; step <= 3; ++step) {
    ledger.log.push_back(name + "-" + std::to_string(step));
    if (step < 3) co_await loop.Yield();
  }
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Ledger ledger(loop);
  TaskSet tasks(loop);
  tasks.Spawn(Steps(loop, ledger, "audit", fixed), "audit");
  tasks.Spawn(Steps(loop, ledger, "transfer", fixed), "transfer");
  sim.Run();
  LAPLACE_ASSERT(!ledger.Torn()) << "the audit saw a torn transfer";
}

}  // namespace

ZooProgram ThreePreemptions() {
  return {"three_preemptions", "a torn read needing three switches away from a runnable task", 3,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
