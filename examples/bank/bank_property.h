// The bank's property: money is conserved, whatever the interleaving.
//
// CheckTransfers runs `clients` tasks making random transfers (accounts and
// amounts drawn from the Loop, so they are on the tape and shrink too) and
// checks after every scheduling step that the balances plus the money in
// flight add up to the starting total. The unlocked bank breaks it (a lost
// update); the locked one never does.
//
//   LAPLACE_PROPERTY(Bank, LockedTransfersConserveMoney, ()) {
//     laplace::examples::CheckTransfers(sim, {.bank = {.fixed = true}});
//   }
#ifndef LAPLACE_EXAMPLES_BANK_BANK_PROPERTY_H_
#define LAPLACE_EXAMPLES_BANK_BANK_PROPERTY_H_

#include "examples/bank/bank.h"
#include "properties/simulation.h"

namespace laplace::examples {

// Builds the bank and its clients on sim.loop(), adds the conservation
// invariant ("money-conserved"), and runs the loop to the end.
void CheckTransfers(properties::Simulation& sim, const BankScenario& scenario);

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_BANK_BANK_PROPERTY_H_
