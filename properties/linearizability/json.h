// ParseJson: one JSON value, as a JSON-lines history holds on each line.
//
//   absl::StatusOr<internal::Datum> event =
//       ParseJson(R"({"process": 0, "type": "invoke", "f": "cas", "value": [1, 2]})");
//   event->Find("value")->items[1].integer;  // 2
//
// Objects become maps (keys as strings), arrays vectors, null nil; numbers
// with a fraction or an exponent are kept as text (kFloat). Strings take
// the JSON escapes, \uXXXX included (written as UTF-8). Errors say the
// column and what was expected.
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_JSON_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_JSON_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "properties/linearizability/internal/datum.h"

namespace laplace::linearizability {

// Exactly one value, with nothing but whitespace around it.
// kInvalidArgument ("column 12: ...") otherwise.
absl::StatusOr<internal::Datum> ParseJson(std::string_view text);

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_JSON_H_
