#include "examples/demo_cases.h"

#include "examples/bank/bank_property.h"

namespace laplace::examples {

std::vector<DemoCase> DemoCases() {
  std::vector<DemoCase> cases;
  cases.push_back(DemoCase{
      .name = "bank",
      .title = "bank: an atomicity violation across an await",
      .explanation = {"Transfer() reads a balance from storage, then writes the new balance",
                      "back; both are awaits, so two transfers can read the same old balance",
                      "and the later write erases the earlier one. Invariant: money is",
                      "conserved (balances + money in flight), checked after every step."},
      .fix = "a Lock per account held across the read-await-write",
      .buggy =
          [](properties::Simulation& sim) {
            CheckTransfers(sim, {.bank = {.fixed = false}, .clients = 2,
                                 .transfers_per_client = 3});
          },
      .fixed =
          [](properties::Simulation& sim) {
            CheckTransfers(sim, {.bank = {.fixed = true}, .clients = 2,
                                 .transfers_per_client = 3});
          },
      .test_name = "Bank.UnlockedTransfersLoseMoney",
      .bazel_target = "//examples/bank:bank_test",
      .package = "examples/bank"});
  return cases;
}

}  // namespace laplace::examples
