// CheckLinearizable: a property run's history must be linearizable.
//
// Called by a property's body after it has run the loop: checks the
// history the run recorded against a model and, on a violation, fails the
// run with kind "linearizability" and the given name as its site (signature
// "linearizability:<name>"). The failure's message is the minimal witness
// (witness.h): so the harness shrinks the run like any other failure, and
// the report, the replay file and a replay of it all show the shrunk run's
// witness timeline. A check the budget stopped fails too, as
// "linearizability-unknown:<name>": a sweep never passes a history it could
// not decide (raise CheckOptions::states_max, or record fewer operations).
//
//   LAPLACE_PROPERTY(Store, ReadsAreLinearizable, ()) {
//     History history(sim.loop());
//     Store store(sim.loop());
//     for (Process p = 0; p < 3; ++p) sim.loop().Spawn(Client(store, history, p));
//     sim.Run();
//     CheckLinearizable(sim, history, RegisterModel{}, "register");
//   }
//
// Deterministic: the verdict and the witness depend only on the history and
// the state budget (CheckOptions::wall_time_max is refused here).
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_CHECK_LINEARIZABLE_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_CHECK_LINEARIZABLE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/check.h"
#include "base/strings.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/model.h"
#include "properties/linearizability/witness.h"
#include "properties/simulation.h"

namespace laplace::linearizability {

// Failure kinds (properties/failure.h lists the harness's own).
inline constexpr char kLinearizability[] = "linearizability";
inline constexpr char kLinearizabilityUnknown[] = "linearizability-unknown";

// Checks `history` with `model` and fails `sim` as the banner says. Returns
// the check's result (kUnknown with reason "the run had already failed",
// unchecked, if `sim` had). A malformed history or an operation the model
// rejects is a programmer error in the test.
template <Model M>
CheckResult CheckLinearizable(properties::Simulation& sim, const History& history, const M& model,
                              std::string_view name, const CheckOptions& options = {});

// Implementation details follow.

template <Model M>
CheckResult CheckLinearizable(properties::Simulation& sim, const History& history, const M& model,
                              std::string_view name, const CheckOptions& options) {
  using ::laplace::internal::Cat;
  LAPLACE_CHECK(!options.wall_time_max.has_value())
      << "a wall-clock budget would make the run's verdict depend on the machine; use states_max";
  if (sim.failed()) return CheckResult{.reason = "the run had already failed"};
  absl::StatusOr<std::vector<Operation>> ops = history.Operations();
  LAPLACE_CHECK(ops.ok()) << "history '" << std::string(name) << "': " << ops.status();
  absl::Status valid = ValidateOperations(*ops, model);
  LAPLACE_CHECK(valid.ok()) << "history '" << std::string(name) << "': " << valid;
  CheckResult result = Check(*ops, model, options);
  if (result.verdict == Verdict::kNotLinearizable) {
    Witness witness = FindWitness(*ops, model, result, options);
    sim.Fail(kLinearizability, std::string(name),
             Cat("history '", name, "' is not linearizable: ", witness.ToString()));
  } else if (result.verdict == Verdict::kUnknown) {
    sim.Fail(kLinearizabilityUnknown, std::string(name),
             Cat("history '", name, "' (", ops->size(),
                 " operations) could not be checked: ", result.reason, " after ", result.states,
                 " states; raise CheckOptions::states_max or record fewer operations"));
  }
  return result;
}

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_CHECK_LINEARIZABLE_H_
