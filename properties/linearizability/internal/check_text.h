// Test helpers: check a history written as EDN text. Internal to the tests.
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_CHECK_TEXT_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_CHECK_TEXT_H_

#include <string_view>

#include "gtest/gtest.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/history_file.h"

namespace laplace::linearizability::internal {

// Parses `edn` and checks it, failing the test on a parse or pairing error.
template <typename M>
CheckResult CheckText(std::string_view edn, const M& model, const CheckOptions& options = {}) {
  absl::StatusOr<History> history = ParseHistory(edn);
  EXPECT_TRUE(history.ok()) << history.status();
  absl::StatusOr<CheckResult> result = Check(*history, model, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : CheckResult{};
}

// The verdict alone.
template <typename M>
Verdict VerdictOf(std::string_view edn, const M& model) {
  return CheckText(edn, model).verdict;
}

constexpr Verdict kYes = Verdict::kLinearizable;
constexpr Verdict kNo = Verdict::kNotLinearizable;

}  // namespace laplace::linearizability::internal

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_CHECK_TEXT_H_
