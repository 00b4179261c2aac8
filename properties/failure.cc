#include "properties/failure.h"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <typeinfo>

#include "base/strings.h"
#include "rapidcheck.h"

namespace laplace::properties {

std::string Failure::ToString() const {
  // A deadlock has no site: "deadlock at t=5ms (step 12): ...".
  std::string text =
      site.empty()
          ? internal::Cat(kind, " at ", FormatTime(time), " (step ", step, ")")
          : internal::Cat(kind, " '", site, "' failed at ", FormatTime(time), " (step ", step, ")");
  if (!message.empty()) internal::Append(text, ": ", message);
  return text;
}

std::string ExceptionTypeName(const std::exception_ptr& exception) {
  if (exception == nullptr) return "(none)";
  try {
    std::rethrow_exception(exception);
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    if (type == nullptr) return "(unknown)";
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> demangled(
        abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), std::free);
    return status == 0 && demangled != nullptr ? demangled.get() : type->name();
  }
}

std::string ExceptionMessage(const std::exception_ptr& exception) {
  if (exception == nullptr) return "";
  try {
    std::rethrow_exception(exception);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "(an exception not derived from std::exception)";
  }
}

ExceptionFailure ClassifyException(const std::exception_ptr& exception) {
  try {
    std::rethrow_exception(exception);
  } catch (const rc::detail::CaseResult& result) {
    // RC_ASSERT and friends: the description starts with "file:line:".
    ExceptionFailure failure{.kind = kAssertion, .message = result.description};
    failure.discard = result.type == rc::detail::CaseResult::Type::Discard;
    size_t end = result.description.find(":\n");
    failure.site = end == std::string::npos ? "rapidcheck" : result.description.substr(0, end);
    return failure;
  } catch (...) {
    return ExceptionFailure{.kind = kException,
                            .site = ExceptionTypeName(exception),
                            .message = ExceptionMessage(exception)};
  }
}

std::optional<Failure> FailureFromRunResult(const RunResult& result) {
  Failure failure{.time = result.time, .step = result.steps};
  switch (result.outcome) {
    case RunOutcome::kIdle:
    case RunOutcome::kCompleted:
    case RunOutcome::kTimeReached:
    case RunOutcome::kStopped:
    case RunOutcome::kDivergence:
      return std::nullopt;
    case RunOutcome::kDeadlock:
      failure.kind = kDeadlock;
      failure.message = result.ToString();
      return failure;
    case RunOutcome::kStepBudgetExhausted:
    case RunOutcome::kTimeBudgetExhausted:
    case RunOutcome::kSpin:
      failure.kind = kBudget;
      failure.site = std::string(RunOutcomeName(result.outcome));
      failure.message = result.message;
      return failure;
    case RunOutcome::kTaskFailed: {
      ExceptionFailure thrown = ClassifyException(result.exception);
      failure.kind = thrown.kind;
      failure.site = thrown.site;
      // RapidCheck's assertions explain themselves; other exceptions are
      // best told with the task that threw them (the Loop's message).
      failure.message = thrown.kind == kAssertion ? thrown.message : result.message;
      return failure;
    }
  }
  return std::nullopt;
}

}  // namespace laplace::properties
