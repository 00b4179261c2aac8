// Scanner: what the EDN and JSON readers share (position, errors with a
// column, strings with escapes, 64-bit integers). Internal to them.
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_SCANNER_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace laplace::linearizability::internal {

class Scanner {
 protected:
  explicit Scanner(std::string_view text) : text_(text) {}

  // kInvalidArgument "column <pos + 1>: <what>".
  absl::Status Error(std::string_view what) const;
  // At an opening '"': reads up to the closing one into `out`, taking the
  // escapes \n \t \r \b \f \" \\ \/ and \uXXXX (written as UTF-8).
  absl::Status ReadQuoted(std::string& out);
  // `digits` (which starts at `start`) as a 64-bit integer.
  absl::Status ReadInteger(const std::string& digits, size_t start, int64_t& out);

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace laplace::linearizability::internal

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_SCANNER_H_
