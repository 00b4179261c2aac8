#include "properties/linearizability/record.h"

namespace laplace::linearizability {

Completion CompletionOf(const absl::Status& status) {
  if (status.ok()) return {Outcome::kOk, Value()};
  if (absl::IsUnavailable(status)) return {Outcome::kFail, Value()};
  return {Outcome::kInfo, Value()};
}

}  // namespace laplace::linearizability
