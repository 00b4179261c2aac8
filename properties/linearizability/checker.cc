#include "properties/linearizability/checker.h"

namespace laplace::linearizability {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kLinearizable:
      return "linearizable";
    case Verdict::kNotLinearizable:
      return "not linearizable";
    case Verdict::kUnknown:
      return "unknown";
  }
  return "?";
}

namespace internal {

std::string Whereabouts(const Operation& op) {
  if (op.invoke_line > 0) return ::laplace::internal::Cat("line ", op.invoke_line);
  return ::laplace::internal::Cat("event #", op.invoked);
}

}  // namespace internal
}  // namespace laplace::linearizability
