// Witness: the smallest part of a history that is still not linearizable,
// and a picture of it.
//
// FindWitness takes a part of a history the checker rejected and cuts it
// down while it stays not linearizable:
//   1. to its shortest failing prefix (in real-time order of the events;
//      operations still pending at the cut become unknown, as if info);
//   2. then, latest first, one at a time, it forgets what is known of an
//      operation (an ok one becomes info: it may
//      have happened at any time after its invocation, or not at all) and
//      keeps the change if the rest still fails; reads whose result is
//      forgotten say nothing and go. What stays ok is 1-minimal: forgetting
//      any one of them makes the history linearizable. (Forgetting rather
//      than deleting, because deleting a write would turn every read of its
//      value into a violation of its own, and the witness into nonsense.)
//   3. then it deletes each unknown operation that no ok one needs: one
//      without which forgetting any ok operation still makes it linearizable.
// Last, it finds the longest linearizable prefix of the witness: the event
// after it is the completion of the operation that cannot be placed.
//
//   absl::StatusOr<CheckResult> result = Check(history, RegisterModel{});
//   if (result->verdict == Verdict::kNotLinearizable) {
//     Witness witness = FindWitness(*history.Operations(), RegisterModel{}, *result);
//     std::cout << witness.ToString();
//   }
//
// prints one line per process, its operations as intervals in real-time
// order (an operation whose outcome is unknown runs to the right edge):
//
//   3 of 7 operations are not linearizable:
//     process 0  [write 1] [write 3]
//     process 1                      [read -> 1 !]
//     process 0: write 1, t=2ms .. t=5ms
//     process 0: write 3, t=10ms .. t=11ms
//     process 1: read -> 1, t=12ms .. t=13ms
//   the longest linearizable prefix: nil -> write 1 (process 0) -> 1 -> write 3 (process 0) -> 3
//   cannot be placed after it: read -> 1 (process 1, t=12ms .. t=13ms)
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_WITNESS_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_WITNESS_H_

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/check.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/model.h"

namespace laplace::linearizability {

struct Witness {
  // The part of a P-compositional check it comes from (nil without one).
  Value partition;
  bool partitioned = false;
  // How many operations the whole history had, and that part.
  size_t history_operations = 0;
  size_t part_operations = 0;
  // The witness, in invocation order, as the checker takes it: copies of
  // the history's operations, the forgotten ones (step 2) turned info.
  std::vector<Operation> operations;
  // Per operation: ok in the history, forgotten here (its result and its
  // completion are not needed for the violation).
  std::vector<bool> forgotten;
  // Per operation: its completion in the history (for forgotten ones).
  std::vector<Operation> originals;
  // Whether every single removal was checked and kept it not linearizable
  // (false if a budget cut a check short: the witness may be larger).
  bool minimal = true;
  // The longest linearizable prefix: a linearization of it (indices into
  // `operations`, each with the state after it), from `initial_state`.
  std::string initial_state;
  std::vector<std::pair<size_t, std::string>> prefix;
  // The operation whose completion ends that prefix: it cannot be placed.
  size_t unplaceable = 0;

  // The timeline and the explanation (see the banner), ending in a newline.
  std::string ToString() const;
};

// The witness of `result`, which must be a kNotLinearizable Check of `ops`
// with `model`. Each trial check gets `options`' budgets; one that ends
// unknown keeps the operation it tried to drop.
template <Model M>
Witness FindWitness(const std::vector<Operation>& ops, const M& model, const CheckResult& result,
                    const CheckOptions& options = {});

// One line per process (more when an unknown outcome overlaps the process's
// next operation), `marked` drawn with a '!' after its label.
std::string FormatTimeline(const std::vector<Operation>& ops, std::optional<size_t> marked);

// Implementation details follow.

namespace internal {

// Check(ops).verdict, clearing `conclusive` when it is kUnknown.
template <Model M>
Verdict Decide(const std::vector<Operation>& ops, const M& model, const CheckOptions& options,
               bool& conclusive) {
  Verdict verdict = Check(ops, model, options).verdict;
  if (verdict == Verdict::kUnknown) conclusive = false;
  return verdict;
}

template <Model M>
bool StillFails(const std::vector<Operation>& ops, const M& model, const CheckOptions& options,
                bool& conclusive) {
  return Decide(ops, model, options, conclusive) == Verdict::kNotLinearizable;
}

// `op` with its result and completion forgotten.
Operation Forget(Operation op);

// The first `events` events of `ops` (all at positions in `positions`,
// sorted): operations invoked later left out, ones completed later pending.
std::vector<Operation> Prefix(const std::vector<Operation>& ops,
                              const std::vector<size_t>& positions, size_t events);

// The sorted event positions of `ops`: every invocation, every ok completion.
std::vector<size_t> EventPositions(const std::vector<Operation>& ops);

// The shortest prefix of `ops` (a number of events) that is not
// linearizable; `ops` must not be.
template <Model M>
size_t ShortestFailingPrefix(const std::vector<Operation>& ops, const M& model,
                             const CheckOptions& options) {
  std::vector<size_t> positions = EventPositions(ops);
  size_t events = positions.size();
  bool unused = true;
  while (events > 1 && StillFails(Prefix(ops, positions, events - 1), model, options, unused)) {
    --events;
  }
  return events;
}

// Step 2 of the banner: forgets ok operations, latest first, to a fixpoint.
// One at a time rather than in spans: forgetting an early write along with
// its neighbours can make a later read of its value needed, where forgetting
// the later operations first leaves the plainest witness (the write, the
// write that overwrote it, the stale read).
template <Model M>
void ForgetWhileFailing(std::vector<Operation>& ops, const M& model, const CheckOptions& options,
                        bool& conclusive) {
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = ops.size(); i-- > 0;) {
      if (!ops[i].known()) continue;
      Operation kept = ops[i];
      ops[i] = Forget(ops[i]);
      if (StillFails(ops, model, options, conclusive)) {
        changed = true;
      } else {
        ops[i] = std::move(kept);
      }
    }
  }
}

// Step 3 of the banner: deletes unknown operations no ok one needs.
template <Model M>
std::vector<Operation> DeleteUnneeded(const std::vector<Operation>& ops, const M& model,
                                      const CheckOptions& options, bool& conclusive) {
  std::vector<Operation> kept;
  for (const Operation& op : ops) {
    if (op.known() || !IsReadOnly(model, op)) kept.push_back(op);
  }
  for (size_t i = kept.size(); i-- > 0;) {
    if (kept[i].known()) continue;
    std::vector<Operation> without = kept;
    without.erase(without.begin() + static_cast<ptrdiff_t>(i));
    bool needed = false;
    for (size_t k = 0; k < without.size() && !needed; ++k) {
      if (!without[k].known()) continue;
      std::vector<Operation> forgotten = without;
      forgotten[k] = Forget(forgotten[k]);
      needed = Decide(forgotten, model, options, conclusive) != Verdict::kLinearizable;
    }
    if (!needed) kept = std::move(without);
  }
  return kept;
}

// The longest linearizable prefix of the witness and the operation after it.
template <Model M>
void ExplainPrefix(Witness& witness, const M& model, const CheckOptions& options) {
  std::vector<size_t> positions = EventPositions(witness.operations);
  size_t events = ShortestFailingPrefix(witness.operations, model, options);
  for (size_t i = 0; i < witness.operations.size(); ++i) {
    if (witness.operations[i].completed == positions[events - 1]) witness.unplaceable = i;
  }
  std::vector<Operation> prefix = Prefix(witness.operations, positions, events - 1);
  CheckResult linear = Check(prefix, model, options);
  typename M::State state = model.Init();
  witness.initial_state = DescribeState(model, state);
  if (linear.verdict != Verdict::kLinearizable || linear.parts.empty()) return;
  auto index_of = [](const std::vector<Operation>& list, size_t id) {
    size_t index = 0;
    while (list[index].id != id) ++index;
    return index;
  };
  for (size_t id : linear.parts[0].linearization) {
    std::optional<typename M::State> next = model.Step(state, prefix[index_of(prefix, id)]);
    LAPLACE_CHECK(next.has_value()) << "the checker's linearization is not one";
    state = *std::move(next);
    witness.prefix.emplace_back(index_of(witness.operations, id), DescribeState(model, state));
  }
}

}  // namespace internal

template <Model M>
Witness FindWitness(const std::vector<Operation>& ops, const M& model, const CheckResult& result,
                    const CheckOptions& options) {
  LAPLACE_CHECK(result.verdict == Verdict::kNotLinearizable)
      << "FindWitness needs a not linearizable result, not " << VerdictName(result.verdict);
  LAPLACE_CHECK(result.deciding_part.has_value()) << "the result names no failing part";
  const PartResult& part = result.parts[*result.deciding_part];
  Witness witness{.partition = part.partition,
                  .partitioned = kPartitioned<M>,
                  .history_operations = ops.size(),
                  .part_operations = part.operations.size()};
  std::vector<Operation> candidate;
  for (size_t id : part.operations) {
    LAPLACE_CHECK(id < ops.size() && ops[id].id == id) << "operation ids do not match the result";
    candidate.push_back(ops[id]);
  }
  bool conclusive = true;
  if (internal::StillFails(candidate, model, options, conclusive)) {
    size_t events = internal::ShortestFailingPrefix(candidate, model, options);
    candidate = internal::Prefix(candidate, internal::EventPositions(candidate), events);
    internal::ForgetWhileFailing(candidate, model, options, conclusive);
    candidate = internal::DeleteUnneeded(candidate, model, options, conclusive);
  }
  witness.minimal = conclusive;
  witness.operations = std::move(candidate);
  for (const Operation& op : witness.operations) {
    witness.originals.push_back(ops[op.id]);
    witness.forgotten.push_back(!op.known() && ops[op.id].known());
  }
  internal::ExplainPrefix(witness, model, options);
  return witness;
}

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_WITNESS_H_
