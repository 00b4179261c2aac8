// A bug the random walk almost never finds and a coverage-guided fuzzer finds
// quickly: a vault that opens for one sequence of kCodeLength digits, each
// digit typed by whichever of two tasks the schedule runs next.
//
// Two typists share a keypad: "zero" types 0s, "one" types 1s, each yielding
// after every digit. The digits typed are the schedule itself, so a run opens
// the vault only when its kCodeLength scheduling choices spell the code: one
// run in 2^kCodeLength for a random walk. Every digit typed right is a new
// branch of Vault::Type, which is what coverage-guided fuzzing climbs.
//
//   LAPLACE_PROPERTY(RareBug, TheVaultStaysLocked, ()) {
//     laplace::tests::TypeAtTheVault(sim);  // fails when the vault opens
//   }
#ifndef LAPLACE_TESTS_RARE_BUG_H_
#define LAPLACE_TESTS_RARE_BUG_H_

#include "loop/choice.h"
#include "properties/simulation.h"

namespace laplace::tests {

inline constexpr int kCodeLength = 20;

// Runs the two typists on sim.loop() with the invariant "vault-stays-locked"
// (violated the moment the last digit of the code is typed).
void TypeAtTheVault(properties::Simulation& sim);

// The tape that opens the vault: its scheduling choices spell the code.
Tape TheVaultsCode();

}  // namespace laplace::tests

#endif  // LAPLACE_TESTS_RARE_BUG_H_
