// Check: is a history linearizable with respect to a model?
//
// Linearizable means: every operation that completed ok, and any subset of
// those whose outcome is unknown (info), can be put in one sequential order
// that the model accepts, in which an operation that completed before
// another was invoked comes first (Herlihy & Wing). Operations that failed
// did not happen and are left out.
//
// The search is Wing & Gong's, with Lowe's memo of (linearized set as a
// bitset, state), and P-compositional: a model with Partition() (the kv
// model: per key) is checked part by part (Horn & Kroening). Info
// operations may be linearized at any point after their invocation or not
// at all, as Knossos and Porcupine treat them; info operations the model
// calls ReadOnly constrain nothing and are dropped.
//
//   absl::StatusOr<CheckResult> result = Check(history, CasRegisterModel{});
//   if (!result.ok()) ...;                     // a malformed history, with its line
//   switch (result->verdict) {
//     case Verdict::kLinearizable:    ...;     // result->parts[i].linearization
//     case Verdict::kNotLinearizable: ...;     // witness.h explains it
//     case Verdict::kUnknown:         ...;     // a budget ran out: result->reason
//   }
//
// The answer is a pure function of the history, the model and the state
// budget (the search's order is fixed; the memo's hash set is only asked
// for membership), so a check inside a simulation is deterministic as long
// as it sets no wall-clock budget.
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_CHECKER_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_CHECKER_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/statusor.h"
#include "base/strings.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/internal/search.h"
#include "properties/linearizability/model.h"
#include "properties/linearizability/value.h"

namespace laplace::linearizability {

enum class Verdict : uint8_t { kLinearizable, kNotLinearizable, kUnknown };

// "linearizable", "not linearizable" or "unknown".
std::string_view VerdictName(Verdict verdict);

// The search's bounds: past either, it stops and answers kUnknown. Memory
// grows with the states: one per cached (linearized set, state), a bitset of
// the part's operations plus the state, about 40 bytes for a register.
struct CheckOptions {
  uint64_t states_max = 4'000'000;
  // Wall-clock time for the whole check; none by default. A check inside a
  // simulation should not set it: a verdict that depends on the machine's
  // speed is not reproducible.
  std::optional<std::chrono::milliseconds> wall_time_max;
};

// One part of a P-compositional check (the whole history when the model
// has no Partition()).
struct PartResult {
  Value partition;  // Partition() of its operations; nil without one
  Verdict verdict = Verdict::kUnknown;
  // The ids (Operation::id) of the operations it checked: ok ones and info
  // ones that may change the state, in invocation order.
  std::vector<size_t> operations;
  // When linearizable: the ids in a valid order (info ones placed included).
  std::vector<size_t> linearization;
  uint64_t states = 0;  // configurations cached
};

struct CheckResult {
  Verdict verdict = Verdict::kUnknown;
  // The parts checked, by partition value; checking stops after the first
  // one that is not linearizable (which decides the verdict).
  std::vector<PartResult> parts;
  // The part that decided a verdict other than kLinearizable: the first not
  // linearizable one, else the first unknown one.
  std::optional<size_t> deciding_part;
  // Why the verdict is kUnknown ("the state budget ran out").
  std::string reason;
  uint64_t states = 0;  // over all parts
};

// Checks `ops` (as History::Operations() gives them; every one valid for
// the model, see ValidateOperation) against `model`.
template <Model M>
CheckResult Check(const std::vector<Operation>& ops, const M& model,
                  const CheckOptions& options = {});

// Pairs the history's events, validates each operation against the model
// and checks it. kInvalidArgument for a malformed history or an operation
// the model rejects, naming its line (or event index).
template <Model M>
absl::StatusOr<CheckResult> Check(const History& history, const M& model,
                                  const CheckOptions& options = {});

// ValidateOperation over all of `ops`, with the line (or event index) of the
// first bad one in the message.
template <Model M>
absl::Status ValidateOperations(const std::vector<Operation>& ops, const M& model);

// Implementation details follow.

namespace internal {

inline Verdict VerdictOf(SearchVerdict verdict) {
  switch (verdict) {
    case SearchVerdict::kLinearizable:
      return Verdict::kLinearizable;
    case SearchVerdict::kNotLinearizable:
      return Verdict::kNotLinearizable;
    case SearchVerdict::kUnknown:
      return Verdict::kUnknown;
  }
  return Verdict::kUnknown;
}

std::string Whereabouts(const Operation& op);

// The operations a check searches, by part: no fail ones, no info ones
// that cannot change the state.
template <Model M>
absl::btree_map<Value, std::vector<const Operation*>> Parts(const std::vector<Operation>& ops,
                                                            const M& model) {
  absl::btree_map<Value, std::vector<const Operation*>> parts;
  for (const Operation& op : ops) {
    if (op.outcome == Outcome::kFail) continue;
    if (!op.known() && IsReadOnly(model, op)) continue;
    parts[PartitionOf(model, op)].push_back(&op);
  }
  return parts;
}

}  // namespace internal

template <Model M>
CheckResult Check(const std::vector<Operation>& ops, const M& model, const CheckOptions& options) {
  internal::Budget budget{.states_left = options.states_max};
  if (options.wall_time_max.has_value()) {
    auto now = std::chrono::steady_clock::now();  // allowed: the budget the caller asked for
    budget.deadline = now + *options.wall_time_max;
  }
  CheckResult result{.verdict = Verdict::kLinearizable};
  std::optional<size_t> first_unknown;
  for (auto& [partition, part_ops] : internal::Parts(ops, model)) {
    PartResult part{.partition = partition};
    for (const Operation* op : part_ops) part.operations.push_back(op->id);
    internal::SearchResult search;
    if (budget.exhausted.empty()) search = internal::SearchLinearization(model, part_ops, budget);
    part.verdict = internal::VerdictOf(search.verdict);
    part.states = search.states;
    for (size_t index : search.linearization) part.linearization.push_back(part_ops[index]->id);
    result.states += search.states;
    result.parts.push_back(std::move(part));
    if (result.parts.back().verdict == Verdict::kNotLinearizable) {
      result.verdict = Verdict::kNotLinearizable;
      result.deciding_part = result.parts.size() - 1;
      return result;
    }
    if (result.parts.back().verdict == Verdict::kUnknown && !first_unknown.has_value()) {
      first_unknown = result.parts.size() - 1;
    }
  }
  if (first_unknown.has_value()) {
    result.verdict = Verdict::kUnknown;
    result.deciding_part = first_unknown;
    result.reason = budget.exhausted;
  }
  return result;
}

template <Model M>
absl::Status ValidateOperations(const std::vector<Operation>& ops, const M& model) {
  for (const Operation& op : ops) {
    absl::Status valid = ValidateOperation(model, op);
    if (!valid.ok()) {
      return absl::InvalidArgumentError(
          ::laplace::internal::Cat(internal::Whereabouts(op), ": ", valid.message()));
    }
  }
  return absl::OkStatus();
}

template <Model M>
absl::StatusOr<CheckResult> Check(const History& history, const M& model,
                                  const CheckOptions& options) {
  absl::StatusOr<std::vector<Operation>> ops = history.Operations();
  if (!ops.ok()) return ops.status();
  absl::Status valid = ValidateOperations(*ops, model);
  if (!valid.ok()) return valid;
  return Check(*ops, model, options);
}

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_CHECKER_H_
