// Model: what a correct sequential object does, for the linearizability checker.
//
// A model is a small C++ type: a State (copyable, with == and Abseil
// hashing, e.g. a Value, an integer, a sorted vector), the state before the
// first operation, and a step function that applies one operation with its
// result and says what state follows, or that the result is impossible:
//
//   struct Counter {  // "add" n; "read" -> n
//     using State = int64_t;
//     State Init() const { return 0; }
//     std::optional<State> Step(const State& state, const Operation& op) const {
//       if (op.f == "add") return state + op.input.integer();
//       if (!op.known() || op.output.integer() == state) return state;  // a read
//       return std::nullopt;  // it read a count the counter never had then
//     }
//   };
//   CheckResult result = Check(history, Counter{});
//
// Step is called with ops whose result is unknown too (op.known() is false:
// an info completion, or none): it must then return the state the operation
// leaves if it took effect (a write writes, a cas that can succeed
// succeeds, a read changes nothing). Step must be a pure function of its
// arguments: the checker calls it in any order and caches states.
//
// Optional members a model may add, found by the checker when present:
//   Value Partition(const Operation& op) const
//       P-compositionality (Herlihy & Wing): the history is split by this
//       value and each part checked on its own, from Init(). Correct only if
//       operations of different parts never affect each other (keys of a
//       key-value map).
//   bool ReadOnly(const Operation& op) const
//       `op` never changes the state: the checker drops it when its result
//       is unknown, since it then constrains nothing.
//   absl::Status Validate(const Operation& op) const
//       kInvalidArgument for an operation the model does not know (an
//       unknown function, an argument of the wrong shape); the history
//       readers report it with its line. Step may assume valid operations.
//   std::string Describe(const State& state) const
//       The state in a witness ("3", "[1 2]"); without it, "<state>".
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_MODEL_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_MODEL_H_

#include <concepts>
#include <optional>
#include <string>
#include <type_traits>

#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/value.h"

namespace laplace::linearizability {

template <typename M>
concept Model = std::copyable<typename M::State> && std::equality_comparable<typename M::State> &&
    requires(const M& model, const typename M::State& state, const Operation& op) {
  { model.Init() } -> std::convertible_to<typename M::State>;
  { model.Step(state, op) } -> std::same_as<std::optional<typename M::State>>;
  { absl::Hash<typename M::State>{}(state) } -> std::convertible_to<size_t>;
};

// The optional members, or their defaults.

template <Model M>
constexpr bool kPartitioned = requires(const M& model, const Operation& op) {
  { model.Partition(op) } -> std::convertible_to<Value>;
};

template <Model M>
Value PartitionOf(const M& model, const Operation& op) {
  if constexpr (kPartitioned<M>) {
    return model.Partition(op);
  } else {
    return Value();
  }
}

template <Model M>
bool IsReadOnly(const M& model, const Operation& op) {
  if constexpr (requires {
                  { model.ReadOnly(op) } -> std::convertible_to<bool>;
                }) {
    return model.ReadOnly(op);
  } else {
    return false;
  }
}

template <Model M>
absl::Status ValidateOperation(const M& model, const Operation& op) {
  if constexpr (requires {
                  { model.Validate(op) } -> std::convertible_to<absl::Status>;
                }) {
    return model.Validate(op);
  } else {
    return absl::OkStatus();
  }
}

template <Model M>
std::string DescribeState(const M& model, const typename M::State& state) {
  if constexpr (requires {
                  { model.Describe(state) } -> std::convertible_to<std::string>;
                }) {
    return model.Describe(state);
  } else {
    return "<state>";
  }
}

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_MODEL_H_
