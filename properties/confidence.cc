// The arithmetic and the text of a fix-confidence measurement (confidence.h).
#include "properties/confidence.h"

#include <cmath>
#include <cstdio>

#include "base/check.h"
#include "base/strings.h"

namespace laplace::properties {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

std::string Percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * share);
  return text;
}

}  // namespace

std::pair<double, double> WilsonInterval(uint64_t successes, uint64_t trials) {
  LAPLACE_CHECK(successes <= trials) << successes << " successes of " << trials << " trials";
  if (trials == 0) return {0.0, 1.0};
  constexpr double z = 1.96;
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double denominator = 1 + z * z / n;
  const double center = (p + z * z / (2 * n)) / denominator;
  const double half = z / denominator * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

std::string FormatConfidence(const ConfidenceResult& result) {
  std::string text =
      Cat("the failure ", result.signature, " happened in ", result.same_failure, " of ",
          result.runs, " randomized runs (",
          Percent(result.runs == 0 ? 0 : static_cast<double>(result.same_failure) / result.runs),
          ", 95% interval ", Percent(result.low), " to ", Percent(result.high), ")\n");
  Append(text, "  replayed:   the file's first ", result.prefix_choices, " choices (through step ",
         result.cut_step, "; its failure was at step ", result.failure_step,
         "), then every choice at random\n");
  if (result.other_failures > 0) {
    Append(text, "  other failures: ", result.other_failures, " run(s)");
    for (const auto& [signature, count] : result.other_signatures) {
      Append(text, "; ", signature, " ", count);
    }
    Append(text, "\n");
  }
  Append(text, result.same_failure == 0
                   ? "  meaning:    near the recorded schedule the bug did not come back; the "
                     "interval's upper end bounds how often it could\n"
                   : "  meaning:    the bug is still there near the recorded schedule (a fix "
                     "that only moved the schedule leaves it one preemption away)\n");
  return text;
}

}  // namespace laplace::properties
