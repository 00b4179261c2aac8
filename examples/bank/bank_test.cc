// Proves Laplace finds the bank's lost update (an atomicity violation across
// an await), shrinks it and replays it exactly, and that the locked bank
// conserves money on every schedule it tries.
#include <cmath>

#include "examples/bank/bank_property.h"
#include "properties/property.h"

namespace laplace::examples {
namespace {

using properties::PropertyOptions;

// Clients and transfers from RapidCheck's arbitrary ints, kept small.
BankScenario Scenario(bool fixed, int clients, int transfers) {
  return BankScenario{.bank = {.accounts = 3, .initial_balance = 100, .fixed = fixed},
                      .clients = 1 + std::abs(clients % 4),
                      .transfers_per_client = 1 + std::abs(transfers % 5)};
}

// RapidCheck generates the workload's size; Laplace the schedule.
LAPLACE_PROPERTY(Bank, LockedTransfersConserveMoney, (int clients, int transfers)) {
  CheckTransfers(sim, Scenario(/*fixed=*/true, clients, transfers));
}

// A fast sweep of many seeds of the same property.
LAPLACE_PROPERTY_WITH_OPTIONS(Bank, LockedTransfersConserveMoneyOnThousandsOfSeeds,
                              (PropertyOptions{.sweep_seeds = 3000}), ()) {
  CheckTransfers(sim, Scenario(/*fixed=*/true, 2, 3));
}

// The bug zoo: the unlocked bank loses money, and Laplace must find that,
// shrink it and replay it to the same trace digest. Its checked-in replay
// (replays/Bank.UnlockedTransfersLoseMoney/) must keep reproducing.
LAPLACE_PROPERTY_WITH_OPTIONS(Bank, UnlockedTransfersLoseMoney,
                              (PropertyOptions{.sweep_seeds = 1000, .expect_failure = true}), ()) {
  CheckTransfers(sim, Scenario(/*fixed=*/false, 1, 2));
}

}  // namespace
}  // namespace laplace::examples
