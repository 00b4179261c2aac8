// ParseEdn: one EDN value (Clojure's data notation), as Jepsen writes a
// history event on one line.
//
//   absl::StatusOr<internal::Datum> event =
//       ParseEdn("{:process 0, :type :invoke, :f :cas, :value [1 2]}");
//   event->Find("f")->text;  // "cas"
//
// Supported: nil, true, false, integers (with an optional N suffix), floats
// and ratios (kept as text), strings, characters (as one-character strings),
// keywords, symbols, lists, vectors, sets, maps, tagged values (#inst "...",
// read as the value; the tag is dropped), #_ discards, ; comments; commas
// are whitespace. Errors say the column and what was expected.
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_EDN_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_EDN_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "properties/linearizability/internal/datum.h"

namespace laplace::linearizability {

// Exactly one value, with nothing but whitespace and comments around it.
// kInvalidArgument ("column 12: ...") otherwise.
absl::StatusOr<internal::Datum> ParseEdn(std::string_view text);

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_EDN_H_
