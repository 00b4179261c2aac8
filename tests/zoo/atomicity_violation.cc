// Atomicity violation across an await: a deposit reads the balance, awaits (a call to the
// ledger), then writes what it read plus the amount; two deposits interleaved lose one.
// Fixed: the read and the write under one Lock.
#include "loop/lock.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

Task<> Deposit(Loop& loop, Lock* lock, int& balance, int amount) {
  LockGuard guard;
  if (lock != nullptr) guard = co_await lock->Acquire();
  const int read = balance;
  co_await loop.Yield();  // the ledger call
  balance = read + amount;
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Lock lock(loop, "account");
  int balance = 0;
  TaskSet tasks(loop);
  tasks.Spawn(Deposit(loop, fixed ? &lock : nullptr, balance, 10), "alice");
  tasks.Spawn(Deposit(loop, fixed ? &lock : nullptr, balance, 20), "bob");
  sim.Run();
  LAPLACE_ASSERT_EQ(balance, 30) << "a deposit was lost";
}

}  // namespace

ZooProgram AtomicityViolation() {
  return {"atomicity_violation", "a read-modify-write split by an await loses an update", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
