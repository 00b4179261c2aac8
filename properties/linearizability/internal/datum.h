// Datum: one parsed EDN or JSON value, before it becomes an Event. Internal
// to the history readers (edn.h, json.h, history_file.h).
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_DATUM_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_DATUM_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace laplace::linearizability::internal {

struct Datum {
  enum class Kind : uint8_t {
    kNil,
    kBoolean,
    kInteger,
    kFloat,  // kept as its text: no model needs arithmetic on it
    kString,
    kKeyword,  // text without the ':'
    kSymbol,
    kList,
    kVector,
    kSet,
    kMap,  // items: key, value, key, value, ...
  };

  Kind kind = Kind::kNil;
  bool boolean = false;
  int64_t integer = 0;
  std::string text;
  std::vector<Datum> items;
  int column = 0;  // where it starts on its line, from 1

  // For a map: the value whose key is the keyword or string `name`, or null.
  const Datum* Find(std::string_view name) const {
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
      const Datum& key = items[i];
      if ((key.kind == Kind::kKeyword || key.kind == Kind::kString) && key.text == name) {
        return &items[i + 1];
      }
    }
    return nullptr;
  }
};

// Parsers nest at most this deep, so that no input can overflow the stack.
inline constexpr int kDatumDepthMax = 64;

}  // namespace laplace::linearizability::internal

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_DATUM_H_
