// The Laplace demo: find a concurrency bug by sweeping seeds, show the failing
// run's trace, and show that the fixed twin passes every seed.
//
//   bazel run //examples:demo
#include <cstdio>
#include <string>

#include "examples/bank/bank.h"
#include "loop/loop.h"

namespace {

constexpr uint64_t kSeeds = 1000;

laplace::examples::BankScenario Scenario(bool fixed) {
  return {.bank = {.accounts = 2, .initial_balance = 100, .fixed = fixed},
          .clients = 2,
          .transfers_per_client = 2};
}

}  // namespace

int main() {
  std::printf(
      "Laplace demo: two clients move money between two accounts. Transfer() reads a\n"
      "balance from storage, then writes the new balance back; both are awaits.\n"
      "Invariant: the total never changes.\n\n");

  std::printf("Sweeping seeds 0..%llu of the buggy bank...\n",
              static_cast<unsigned long long>(kSeeds - 1));
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    laplace::Loop loop({.seed = seed});
    absl::Status verdict = laplace::examples::RunBankScenario(loop, Scenario(false));
    if (verdict.ok()) continue;
    std::printf("  FOUND at seed %llu after %llu runs: %s\n\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed + 1),
                std::string(verdict.message()).c_str());
    // Rerun the same seed with the whole trace kept: same seed, same run.
    laplace::Loop again({.seed = seed, .trace = {.keep_all = true}});
    (void)laplace::examples::RunBankScenario(again, Scenario(false));
    std::printf("  The failing run (seed %llu, %zu choices, digest %016llx):\n",
                static_cast<unsigned long long>(seed), again.tape().size(),
                static_cast<unsigned long long>(again.digest()));
    for (const laplace::TraceEvent& event : again.trace().events()) {
      std::printf("    %s\n", again.FormatEvent(event).c_str());
    }
    std::printf("\n");
    break;
  }

  std::printf("Sweeping seeds 0..%llu of the fixed bank (a Lock per account)...\n",
              static_cast<unsigned long long>(kSeeds - 1));
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    laplace::Loop loop({.seed = seed});
    absl::Status verdict = laplace::examples::RunBankScenario(loop, Scenario(true));
    if (!verdict.ok()) {
      std::printf("  UNEXPECTED failure at seed %llu: %s\n", static_cast<unsigned long long>(seed),
                  std::string(verdict.message()).c_str());
      return 1;
    }
  }
  std::printf("  all %llu seeds pass.\n", static_cast<unsigned long long>(kSeeds));
  return 0;
}
