// Failure: what went wrong in one simulated run, and its signature.
//
// The signature ("kind:site") is what makes two failures the same bug: the
// kind (assertion, invariant, liveness, deadlock, ...) plus where (an
// assertion's file:line, an invariant's name). Shrinking only accepts smaller
// runs that fail with the same signature, so it never slips to another bug.
//
//   laplace::properties::Failure failure{.kind = "invariant",
//                                        .site = "total-preserved",
//                                        .message = "total is 241, expected 200"};
//   failure.signature();  // "invariant:total-preserved"
#ifndef LAPLACE_PROPERTIES_FAILURE_H_
#define LAPLACE_PROPERTIES_FAILURE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "loop/loop.h"
#include "loop/time.h"

namespace laplace::properties {

// Failure kinds. A property fails with exactly one.
inline constexpr char kAssertion[] = "assertion";      // LAPLACE_ASSERT; site file:line
inline constexpr char kInvariant[] = "invariant";      // AddInvariant; site = its name
inline constexpr char kLiveness[] = "liveness";        // Eventually / ExpectResolvesWithin
inline constexpr char kExpectation[] = "expectation";  // other Expect* on futures
inline constexpr char kDeadlock[] = "deadlock";        // nothing can run, work unfinished
inline constexpr char kException[] = "exception";      // escaped a task or the body
inline constexpr char kBudget[] = "budget";            // steps, virtual time or spin
inline constexpr char kUnfinished[] = "unfinished";    // tasks left / promises broken
inline constexpr char kHang[] = "hang";                // the watchdog: no step for its timeout

struct Failure {
  std::string kind;
  std::string site;
  std::string message;
  Time time;          // virtual time when it was detected
  uint64_t step = 0;  // scheduling steps taken by then

  // "kind:site", e.g. "assertion:examples/bank_test.cc:42".
  std::string signature() const { return kind + ":" + site; }
  // "invariant 'total-preserved' failed at t=5ms (step 12): total is ...".
  std::string ToString() const;
};

// Turns a failed RunResult (deadlock, budget, escaped exception) into a
// Failure. Returns nullopt for ok results, and for kStopped (whoever called
// Stop() records its own failure) and kDivergence (a replay problem, not a
// property failure).
std::optional<Failure> FailureFromRunResult(const RunResult& result);

// What an exception that escaped a task or a body means.
struct ExceptionFailure {
  std::string kind;  // kAssertion for RapidCheck's RC_ASSERT/RC_FAIL, else kException
  std::string site;  // "file:line" for RapidCheck's, else the exception's type
  std::string message;
  bool discard = false;  // RapidCheck's RC_PRE/RC_DISCARD: reject the case
};
ExceptionFailure ClassifyException(const std::exception_ptr& exception);

// The dynamic type of an exception, demangled ("std::runtime_error").
std::string ExceptionTypeName(const std::exception_ptr& exception);
// what() of an exception, or a placeholder for non-std exceptions.
std::string ExceptionMessage(const std::exception_ptr& exception);

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_FAILURE_H_
