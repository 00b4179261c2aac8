// Measures the shrinker on failing tapes of about 100, 1,000 and 10,000
// choices, on bugs whose smallest counterexample needs k = 0, 1, 2 and 3
// preemptions ("from" is the failing run's tape length, "to" the shrunk one). Reports the time, the
// final length, the non-zero schedule choices (the target is exactly k) and the preemptions; the
// time budget is 5 s. Then the simulated-world rows (the replicated store at 10 and 20 writes, the
// lease service of examples/lease), whose bugs need faults instead, within 10 s each: "others"
// counts the non-zero fault, delay and draw choices left, "hand" the non-zero choices of the
// smallest failing tape found by hand (the target is at most twice that), and the candidates by
// outcome. The last line is "sim_shrink: worst_nonzero=<n> worst_seconds=<s>" over those rows.
//
//   bazel run -c opt //bench:shrink_bench
//   SHRINK_BENCH_VERBOSE=1 bazel run -c opt //bench:shrink_bench   # and the non-zero choices left
//
// The wall clock is allowed here: it measures the shrinker, not a simulation.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "examples/bank/bank_property.h"
#include "examples/lease/property.h"
#include "examples/replicated_kv/property.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/pipeline.h"
#include "properties/runner.h"
#include "properties/shrinker.h"

namespace {

using laplace::Loop;
using laplace::Tape;
using laplace::TapeSource;
using laplace::Task;
using namespace laplace::properties;

Task<> Increment(Loop& loop, int& counter, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    int seen = counter;
    co_await loop.Yield();
    counter = seen + 1;
  }
}

// `workers` tasks increment a counter `rounds` times each with a read, a
// yield and a write: one preemption between a read and its write loses an
// update (k = 1).
Body LostUpdate(int workers, int rounds) {
  return [=](Simulation& sim) {
    auto counter = std::make_shared<int>(0);
    for (int w = 0; w < workers; ++w) {
      sim.loop().Spawn(Increment(sim.loop(), *counter, rounds), "worker-" + std::to_string(w));
    }
    sim.Run();
    LAPLACE_ASSERT_EQ(*counter, workers * rounds) << "an update was lost";
  };
}

// Link i enters a critical section, yields, and leaves. The bug needs a
// chain: link i+1 enters while link i is inside, for every i < k. Without
// preemption each link runs its section alone, so the chain takes exactly k
// preemptions (one inside each of the first k sections); `noise` tasks
// yielding `noise_yields` times each only make the tape long.
Task<> Link(Loop& loop, std::vector<bool>& inside, std::vector<bool>& overlapped, int i) {
  inside[i] = true;
  if (i > 0 && inside[i - 1]) overlapped[i - 1] = true;
  co_await loop.Yield();
  inside[i] = false;
}

Task<> Noise(Loop& loop, int yields) {
  for (int i = 0; i < yields; ++i) co_await loop.Yield();
}

Body Chain(int k, int noise, int noise_yields) {
  return [=](Simulation& sim) {
    auto inside = std::make_shared<std::vector<bool>>(k + 1);
    auto overlapped = std::make_shared<std::vector<bool>>(k);
    for (int i = 0; i <= k; ++i) {
      sim.loop().Spawn(Link(sim.loop(), *inside, *overlapped, i), "link-" + std::to_string(i));
    }
    for (int n = 0; n < noise; ++n) sim.loop().Spawn(Noise(sim.loop(), noise_yields));
    sim.Run();
    bool chain = true;
    for (bool link : *overlapped) chain = chain && link;
    LAPLACE_ASSERT(!chain) << "a chain of " << k << " overlapping sections";
  };
}

// The bank's lost update needs no preemption at all: any interleaving at
// its awaits can lose money (k = 0).
Body Bank(int clients, int transfers) {
  return [=](Simulation& sim) {
    laplace::examples::CheckTransfers(sim, {.bank = {.accounts = 3, .fixed = false},
                                            .clients = clients,
                                            .transfers_per_client = transfers});
  };
}

// The replicated store's lost acknowledged write: it needs faults (loss or a
// partition, then crashes), not preemptions, so k does not apply; the
// interesting column is how many non-zero fault and delay choices are left.
Body ReplicatedKv(int writes) {
  return [=](Simulation& sim) {
    namespace kv = laplace::examples::replicated_kv;
    kv::CheckReplication(sim, {.variant = kv::Variant::kBuggy, .writes = writes});
  };
}

// The lease service's stale write: it needs the lock server's crash and a
// delayed write, nothing else.
Body Lease() {
  return [](Simulation& sim) {
    namespace lease = laplace::examples::lease;
    lease::CheckLeases(sim, {.lease = {.variant = lease::Variant::kBuggy}});
  };
}

struct Case {
  std::string name;
  int k;  // preemptions the smallest counterexample needs; -1: not a schedule bug
  Body body;
  // For the simulated-world rows: the non-zero choices of the smallest
  // failing tape found by hand (see docs/benchmarks.md).
  size_t hand_nonzero = 0;
};

// The first failing seed of a pinned sweep, shrunk within `budget`.
std::optional<FoundCase> FindAndShrink(const Case& c, std::chrono::seconds budget) {
  Settings settings;
  settings.base_seed_origin = BaseSeedOrigin::kPinned;
  PropertyResult result =
      RunProperty(PropertyOf("ShrinkBench.Case", c.body),
                  {.sweep_seeds = 10'000, .shrink_budget = budget, .write_replays = false},
                  settings, PipelineOutput::Silent());
  if (!result.failure.has_value()) {
    std::printf("%-34s  no failure found\n", c.name.c_str());
    return std::nullopt;
  }
  return result.failure->found;
}

void PrintNonZero(const FoundCase& found) {
  if (std::getenv("SHRINK_BENCH_VERBOSE") == nullptr) return;
  const Tape& tape = found.report.tape;
  for (size_t i = 0; i < tape.size(); ++i) {
    if (tape[i].value == 0) continue;
    auto name = found.report.stream_names.find(tape[i].stream);
    std::printf("    #%zu %s %s\n", i, laplace::FormatChoice(tape[i]).c_str(),
                name != found.report.stream_names.end() ? name->second.c_str() : "");
  }
}

void MeasureSchedule(const Case& c) {
  std::optional<FoundCase> found = FindAndShrink(c, std::chrono::seconds(5));
  if (!found.has_value()) return;
  const Tape& tape = found->report.tape;
  size_t nonzero = NonZeroScheduleChoices(tape);
  const char* met = nonzero == static_cast<size_t>(c.k) ? "yes" : "NO";
  std::printf("%-34s %2d %8zu %7zu %8zu %5llu %6s %7zu %9zu %8.2fs%s\n", c.name.c_str(), c.k,
              found->original_length, tape.size(), nonzero,
              static_cast<unsigned long long>(found->report.preemptions), met,
              NonZeroOtherChoices(tape), found->candidates_tried,
              found->shrink_time.count() / 1000.0,
              found->shrink_budget_exhausted ? "  (budget)" : "");
  PrintNonZero(*found);
}

struct SimWorst {
  size_t nonzero = 0;
  double seconds = 0;
};

void MeasureSim(const Case& c, SimWorst& worst) {
  std::optional<FoundCase> found = FindAndShrink(c, std::chrono::seconds(10));
  if (!found.has_value()) {
    worst.nonzero = static_cast<size_t>(-1);
    return;
  }
  const Tape& tape = found->report.tape;
  const size_t nonzero = NonZeroChoices(tape);
  const double seconds = found->shrink_time.count() / 1000.0;
  const ShrinkStats& stats = found->shrink_stats;
  std::printf("%-26s %6zu %5zu %7zu %5zu %4s %6zu %6zu %6zu %6zu %7.2fs%s\n", c.name.c_str(),
              found->original_length, tape.size(), nonzero, c.hand_nonzero,
              nonzero <= 2 * c.hand_nonzero && seconds <= 10 ? "yes" : "NO",
              stats.count(CandidateOutcome::kSameFailure), stats.count(CandidateOutcome::kPassed),
              stats.count(CandidateOutcome::kOtherFailure),
              stats.count(CandidateOutcome::kOverBound), seconds,
              found->shrink_budget_exhausted ? "  (budget)" : "");
  PrintNonZero(*found);
  worst.nonzero = std::max(worst.nonzero, nonzero);
  worst.seconds = std::max(worst.seconds, seconds);
}

}  // namespace

int main() {
  std::printf("%-34s %2s %8s %7s %8s %5s %6s %7s %9s %9s\n", "bug (workload)", "k", "from", "to",
              "nonzero", "pre", "==k", "others", "tried", "time");
  std::vector<Case> cases = {
      {"lost update, 3 x 30", 1, LostUpdate(3, 30)},
      {"lost update, 5 x 200", 1, LostUpdate(5, 200)},
      {"lost update, 10 x 1000", 1, LostUpdate(10, 1000)},
      {"chain k=1, noise 2 x 50", 1, Chain(1, 2, 50)},
      {"chain k=1, noise 4 x 250", 1, Chain(1, 4, 250)},
      {"chain k=1, noise 10 x 1000", 1, Chain(1, 10, 1000)},
      {"chain k=2, noise 2 x 50", 2, Chain(2, 2, 50)},
      {"chain k=2, noise 4 x 250", 2, Chain(2, 4, 250)},
      {"chain k=2, noise 10 x 1000", 2, Chain(2, 10, 1000)},
      {"chain k=3, noise 2 x 50", 3, Chain(3, 2, 50)},
      {"chain k=3, noise 4 x 250", 3, Chain(3, 4, 250)},
      {"chain k=3, noise 10 x 1000", 3, Chain(3, 10, 1000)},
      {"bank, 2 clients x 8", 0, Bank(2, 8)},
      {"bank, 8 clients x 25", 0, Bank(8, 25)},
      {"bank, 20 clients x 100", 0, Bank(20, 100)},
  };
  for (const Case& c : cases) MeasureSchedule(c);

  // The smallest failing tapes found by hand (docs/benchmarks.md): the
  // store's lost write needs loss and crashes switched on by the swarm, two
  // lost messages and the primary's crash (5); the lease's stale write needs
  // the lock server's crash and one delayed write (2).
  std::vector<Case> sim_cases = {
      {"replicated kv, 10 writes", -1, ReplicatedKv(10), 5},
      {"replicated kv, 20 writes", -1, ReplicatedKv(20), 5},
      {"lease, crash + late write", -1, Lease(), 2},
  };
  std::printf("\n%-26s %6s %5s %7s %5s %4s %6s %6s %6s %6s %8s\n", "simulated world", "from", "to",
              "nonzero", "hand", "<=2x", "same", "passed", "other", "bound", "time");
  SimWorst worst;
  for (const Case& c : sim_cases) MeasureSim(c, worst);
  std::printf("sim_shrink: worst_nonzero=%zu worst_seconds=%.2f\n", worst.nonzero, worst.seconds);
  return 0;
}
