// Value: the data an operation carries (its argument, its result, its key).
//
// A Value is nil, a 64-bit integer, a string or a list of Values: what
// Jepsen's EDN histories and their JSON form hold (keywords are read as
// strings, sets and vectors as lists). Values compare and hash by content,
// and order as nil < integers < strings < lists (then by content), so that
// models can keep them in sorted containers.
//
//   using laplace::linearizability::Value;
//   Value unset;                                  // nil: a read of an unset register
//   Value three = 3;
//   Value cas = Value::List({1, 2});             // the argument of cas 1 -> 2
//   cas.list()[1].integer();                      // 2
//   cas.ToString();                               // "[1 2]"
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_VALUE_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_VALUE_H_

#include <compare>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/hash/hash.h"

namespace laplace::linearizability {

class Value {
 public:
  enum class Kind : uint8_t { kNil, kInteger, kString, kList };

  // Nil.
  Value() = default;
  // Implicit, so that Value::List({1, 2}) and Step(state, 3) read naturally.
  template <std::integral Integer>
  requires(!std::same_as<Integer, bool>) Value(Integer integer)  // NOLINT
      : data_(static_cast<int64_t>(integer)) {}
  Value(std::string text) : data_(std::move(text)) {}         // NOLINT
  Value(std::string_view text) : data_(std::string(text)) {}  // NOLINT
  Value(const char* text) : data_(std::string(text)) {}       // NOLINT
  static Value List(std::vector<Value> items);
  static Value List(std::initializer_list<Value> items) { return List(std::vector<Value>(items)); }

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_nil() const { return kind() == Kind::kNil; }
  bool is_integer() const { return kind() == Kind::kInteger; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }

  // The content; each requires the matching kind (a programmer error else).
  int64_t integer() const;
  const std::string& string() const;
  const std::vector<Value>& list() const;

  // Makes it nil. (Rather than `= Value()`, which trips g++ 12's false
  // -Wmaybe-uninitialized on variant assignment at -O1 and above.)
  void Clear() { data_.emplace<std::monostate>(); }

  // EDN-style text: nil, 3, "text" (quoted, escaped), [1 2 [3]].
  std::string ToString() const;

  friend bool operator==(const Value& a, const Value& b) { return a.data_ == b.data_; }
  friend std::strong_ordering operator<=>(const Value& a, const Value& b);

  template <typename H>
  friend H AbslHashValue(H hash, const Value& value) {
    hash = H::combine(std::move(hash), value.data_.index());
    switch (value.kind()) {
      case Kind::kNil:
        return hash;
      case Kind::kInteger:
        return H::combine(std::move(hash), std::get<int64_t>(value.data_));
      case Kind::kString:
        return H::combine(std::move(hash), std::get<std::string>(value.data_));
      case Kind::kList:
        for (const Value& item : std::get<std::vector<Value>>(value.data_)) {
          hash = H::combine(std::move(hash), item);
        }
        return H::combine(std::move(hash), std::get<std::vector<Value>>(value.data_).size());
    }
    return hash;
  }

 private:
  // The alternatives' order is Kind's.
  std::variant<std::monostate, int64_t, std::string, std::vector<Value>> data_;
};

// "nil", "integer", "string" or "list".
std::string_view KindName(Value::Kind kind);

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_VALUE_H_
