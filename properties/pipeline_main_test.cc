// Proves the pipeline runs from a plain main, with no test framework: a
// lost update is found, shrunk and written; its fixed twin passes a sweep.
// Exits 0 when both come out as expected.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "loop/lock.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/pipeline.h"

namespace {

using laplace::Lock;
using laplace::LockGuard;
using laplace::Loop;
using laplace::Task;
using namespace laplace::properties;

Task<> Increment(Loop& loop, int& counter, Lock* lock) {
  LockGuard guard;
  if (lock != nullptr) guard = co_await lock->Acquire();
  int seen = counter;
  co_await loop.Yield();
  counter = seen + 1;
}

Property Counter(bool locked) {
  return PropertyOf(locked ? "Main.LockedCounter" : "Main.Counter", [locked](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    auto lock = std::make_shared<Lock>(sim.loop(), "counter");
    for (int w = 0; w < 3; ++w) {
      sim.loop().Spawn(Increment(sim.loop(), *counter, locked ? lock.get() : nullptr));
    }
    sim.Run();
    LAPLACE_ASSERT_EQ(*counter, 3);
  });
}

}  // namespace

int main() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  Settings settings;
  settings.base_seed_origin = BaseSeedOrigin::kPinned;
  settings.corpus.corpus_root = std::string(tmp != nullptr ? tmp : "/tmp") + "/pipeline_main";

  Property buggy = Counter(false);
  PropertyResult found = RunProperty(buggy, {.sweep_seeds = 200}, settings);
  if (found.ok() || !found.failure.has_value() || found.failure->replay_path.empty() ||
      !std::filesystem::exists(found.failure->replay_path)) {
    std::fprintf(stderr, "FAIL: the lost update was not found and written\n");
    return 1;
  }
  std::printf("%s", FormatResult(buggy, found).c_str());

  PropertyResult fixed = RunProperty(Counter(true), {.sweep_seeds = 500}, settings);
  if (!fixed.ok() || fixed.runs != 500) {
    std::fprintf(stderr, "FAIL: the locked counter did not pass 500 seeds:\n%s",
                 FormatResult(Counter(true), fixed).c_str());
    return 1;
  }
  std::printf("PASS\n");
  return 0;
}
