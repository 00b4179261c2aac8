// The built-in models: registers, a key-value map, a set and a FIFO queue.
//
// Each is a Model (model.h) over the operations Jepsen's histories use; the
// names are what `laplace check-history --model=NAME` accepts:
//
//   register      read -> v, write v                    (a register; nil = unset)
//   cas-register  read -> v, write v, cas [old new]     (compare-and-set; a cas
//                                                        that saw another value fails)
//   kv            get k -> v, put k v, append k v       (a map, checked per key)
//   set           add v, remove v, read -> [v ...]      (a set; a read lists it, any order)
//   queue         enqueue v, dequeue -> v               (FIFO; dequeue -> nil when empty)
//
//   CheckResult result = Check(history, CasRegisterModel{});
//   CheckResult per_key = Check(kv_history, KvModel{});  // P-compositional
//
// Reads return the value as it is; a read of an unset register or key is
// nil (unlike Knossos, where a read of nil matches any value). `append`
// makes the key's value a list and appends to it ([v] from nil); appending a
// string to a string concatenates them instead (Porcupine's kv).
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_MODELS_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_MODELS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/model.h"
#include "properties/linearizability/value.h"

namespace laplace::linearizability {

// A read/write register.
struct RegisterModel {
  using State = Value;
  Value initial;  // nil: unset

  State Init() const { return initial; }
  std::optional<State> Step(const State& state, const Operation& op) const;
  bool ReadOnly(const Operation& op) const { return op.f == "read"; }
  absl::Status Validate(const Operation& op) const;
  std::string Describe(const State& state) const { return state.ToString(); }
};

// A register with compare-and-set: cas [old new] succeeds (ok) only when it
// holds old; a cas that fails (:fail) did not happen, like any fail.
struct CasRegisterModel {
  using State = Value;
  Value initial;

  State Init() const { return initial; }
  std::optional<State> Step(const State& state, const Operation& op) const;
  bool ReadOnly(const Operation& op) const { return op.f == "read"; }
  absl::Status Validate(const Operation& op) const;
  std::string Describe(const State& state) const { return state.ToString(); }
};

// A key-value map, checked key by key: the state is one key's value.
struct KvModel {
  using State = Value;

  State Init() const { return Value(); }
  std::optional<State> Step(const State& state, const Operation& op) const;
  Value Partition(const Operation& op) const { return op.key; }
  bool ReadOnly(const Operation& op) const { return op.f == "get"; }
  absl::Status Validate(const Operation& op) const;
  std::string Describe(const State& state) const { return state.ToString(); }
};

// A set of Values, as a sorted vector.
struct SetModel {
  using State = std::vector<Value>;

  State Init() const { return {}; }
  std::optional<State> Step(const State& state, const Operation& op) const;
  bool ReadOnly(const Operation& op) const { return op.f == "read"; }
  absl::Status Validate(const Operation& op) const;
  std::string Describe(const State& state) const { return Value::List(state).ToString(); }
};

// A FIFO queue, front first.
struct QueueModel {
  using State = std::vector<Value>;

  State Init() const { return {}; }
  std::optional<State> Step(const State& state, const Operation& op) const;
  absl::Status Validate(const Operation& op) const;
  std::string Describe(const State& state) const { return Value::List(state).ToString(); }
};

static_assert(Model<RegisterModel> && Model<CasRegisterModel> && Model<KvModel> &&
              Model<SetModel> && Model<QueueModel>);

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_MODELS_H_
