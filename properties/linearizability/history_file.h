// Reading histories written elsewhere: Jepsen's EDN, and the same as JSON lines.
//
// One event per line, as a map; each line may be either form:
//
//   {:process 0, :type :invoke, :f :cas, :value [1 2]}
//   {:process 0, :type :ok, :f :cas, :value [1 2]}
//   {"process": 1, "type": "invoke", "f": "read", "value": null}
//   {"process": 1, "type": "ok", "f": "read", "value": 2, "time": 1500}
//
// Fields: process (an integer; an event whose process is not one, such as
// Jepsen's :nemesis, is skipped), type (invoke, ok, fail or info), f (the
// function), value (an invoke's argument, an ok's result), key (for the kv
// model), time (nanoseconds, optional); other fields (:index, :error, ...)
// are ignored. Keywords and symbols read as strings, vectors, lists and sets
// as lists. Blank lines and lines starting with ';' are skipped.
//
//   absl::StatusOr<History> history = ReadHistoryFile("histories/etcd-003.edn");
//   if (!history.ok()) std::cerr << history.status().message();
//   // "histories/etcd-003.edn: line 7, column 28: :type must be one of :invoke ..."
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_HISTORY_FILE_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_HISTORY_FILE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "properties/linearizability/history.h"

namespace laplace::linearizability {

// Parses a history's text. kInvalidArgument "line N, column C: what is
// wrong" for the first bad line. Events keep their lines (Event::line), so
// that later errors (pairing, a model rejecting an operation) name them too.
absl::StatusOr<History> ParseHistory(std::string_view text);

// Reads and parses a file. Errors start with the path: "PATH: cannot read
// it: No such file or directory", "PATH: line N, column C: ...".
absl::StatusOr<History> ReadHistoryFile(const std::string& path);

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_HISTORY_FILE_H_
