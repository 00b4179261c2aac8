#include "properties/linearizability/models.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "base/strings.h"

namespace laplace::linearizability {
namespace {

using ::laplace::internal::Cat;

// A read's result must be the state (any result fits when unknown).
std::optional<Value> Read(const Value& state, const Operation& op) {
  if (!op.known() || op.output == state) return state;
  return std::nullopt;
}

absl::Status UnknownFunction(std::string_view model, const Operation& op,
                             std::string_view functions) {
  return absl::InvalidArgumentError(
      Cat("the ", model, " model has no function '", op.f, "' (it knows ", functions, ")"));
}

bool OneOf(const std::string& f, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), f) != names.end();
}

}  // namespace

std::optional<Value> RegisterModel::Step(const State& state, const Operation& op) const {
  if (op.f == "write") return op.input;
  return Read(state, op);
}

absl::Status RegisterModel::Validate(const Operation& op) const {
  if (!OneOf(op.f, {"read", "write"})) return UnknownFunction("register", op, "read, write");
  return absl::OkStatus();
}

std::optional<Value> CasRegisterModel::Step(const State& state, const Operation& op) const {
  if (op.f == "write") return op.input;
  if (op.f == "cas") {
    const std::vector<Value>& from_to = op.input.list();
    if (state == from_to[0]) return from_to[1];
    return std::nullopt;
  }
  return Read(state, op);
}

absl::Status CasRegisterModel::Validate(const Operation& op) const {
  if (!OneOf(op.f, {"read", "write", "cas"})) {
    return UnknownFunction("cas-register", op, "read, write, cas");
  }
  if (op.f == "cas" && !(op.input.is_list() && op.input.list().size() == 2)) {
    return absl::InvalidArgumentError(
        Cat("cas takes a value [old new], not ", op.input.ToString()));
  }
  return absl::OkStatus();
}

std::optional<Value> KvModel::Step(const State& state, const Operation& op) const {
  if (op.f == "put") return op.input;
  if (op.f == "append") {
    if (state.is_string() && op.input.is_string()) return Value(state.string() + op.input.string());
    std::vector<Value> items;
    if (state.is_list()) {
      items = state.list();
    } else if (!state.is_nil()) {
      items.push_back(state);
    }
    items.push_back(op.input);
    return Value::List(std::move(items));
  }
  return Read(state, op);
}

absl::Status KvModel::Validate(const Operation& op) const {
  if (!OneOf(op.f, {"get", "put", "append"})) return UnknownFunction("kv", op, "get, put, append");
  if (op.key.is_nil()) {
    return absl::InvalidArgumentError(Cat("kv's ", op.f,
                                          " needs a key (:key in EDN, \"key\" in "
                                          "JSON)"));
  }
  return absl::OkStatus();
}

std::optional<SetModel::State> SetModel::Step(const State& state, const Operation& op) const {
  auto at = std::lower_bound(state.begin(), state.end(), op.input);
  bool present = at != state.end() && *at == op.input;
  if (op.f == "add") {
    if (present) return state;
    State next;
    next.reserve(state.size() + 1);
    next.insert(next.end(), state.begin(), at);
    next.push_back(op.input);
    next.insert(next.end(), at, state.end());
    return next;
  }
  if (op.f == "remove") {
    if (!present) return state;
    State next;
    next.reserve(state.size() - 1);
    next.insert(next.end(), state.begin(), at);
    next.insert(next.end(), at + 1, state.end());
    return next;
  }
  // A read lists the set in any order.
  if (!op.known()) return state;
  if (!op.output.is_list() || op.output.list().size() != state.size()) return std::nullopt;
  std::vector<Value> read = op.output.list();
  std::sort(read.begin(), read.end());
  if (read == state) return state;
  return std::nullopt;
}

absl::Status SetModel::Validate(const Operation& op) const {
  if (!OneOf(op.f, {"add", "remove", "read"})) {
    return UnknownFunction("set", op, "add, remove, read");
  }
  if (op.f == "read" && op.known() && !op.output.is_list()) {
    return absl::InvalidArgumentError(
        Cat("a set's read returns a list of its elements, not ", op.output.ToString()));
  }
  return absl::OkStatus();
}

std::optional<QueueModel::State> QueueModel::Step(const State& state, const Operation& op) const {
  if (op.f == "enqueue") {
    State next = state;
    next.push_back(op.input);
    return next;
  }
  // dequeue: the front, or nil from an empty queue.
  if (state.empty()) {
    if (!op.known() || op.output.is_nil()) return state;
    return std::nullopt;
  }
  if (op.known() && op.output != state.front()) return std::nullopt;
  return State(state.begin() + 1, state.end());
}

absl::Status QueueModel::Validate(const Operation& op) const {
  if (!OneOf(op.f, {"enqueue", "dequeue"})) return UnknownFunction("queue", op, "enqueue, dequeue");
  if (op.f == "enqueue" && op.input.is_nil()) {
    return absl::InvalidArgumentError(
        "enqueue needs a value (nil is what dequeue returns when the "
        "queue is empty)");
  }
  return absl::OkStatus();
}

}  // namespace laplace::linearizability
