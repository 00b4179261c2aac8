// The text of a pipeline's result: a found failure's report, and everything that made a run
// fail. No test framework here: the GoogleTest glue (property.cc) prints these.
#include <string>

#include "base/strings.h"
#include "properties/pipeline.h"
#include "replays/corpus.h"

namespace laplace::properties {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

std::string ShrinkLine(const FoundCase& found) {
  const Tape& tape = found.report.tape;
  std::string line = Cat("  shrunk:    ", found.original_length, " -> ", tape.size(), " choices (",
                         NonZeroScheduleChoices(tape), " non-zero schedule, ",
                         NonZeroOtherChoices(tape), " non-zero other; ", found.report.preemptions,
                         found.report.preemptions == 1 ? " preemption" : " preemptions", ") after ",
                         found.candidates_tried, " candidates in ", found.shrink_time.count(), "ms",
                         found.shrink_budget_exhausted ? " (shrink budget exhausted)" : "", "\n");
  if (found.shrink_stats.tried() > 0) {
    Append(line, "  shrinking: ", FormatShrinkStats(found.shrink_stats), "\n");
  }
  return line;
}

}  // namespace

std::string FormatFailure(const Property& property, const FoundFailure& failure) {
  const FoundCase& found = failure.found;
  const RunReport& report = found.report;
  std::string text = Cat(
      "Laplace found a failure in ", property.name, "\n  failure:   ", report.failure->ToString(),
      "\n  signature: ", report.failure->signature(), "\n  found:     ", failure.how_found, "\n");
  for (size_t i = 0; i < found.args_rendering.size(); ++i) {
    Append(text, i == 0 ? "  arguments: " : "             ", found.args_rendering[i], "\n");
  }
  Append(text, ShrinkLine(found));
  if (failure.confirmation.has_value()) {
    Append(text, "  replayed:  ", failure.confirmation->message, "\n");
  }
  Append(text, "  trace (last ", report.trace.size(), " events):\n");
  for (const std::string& line : report.trace) Append(text, "    ", line, "\n");
  if (!failure.replay_path.empty()) {
    Append(text, "  replay:    ", failure.replay_path,
           failure.confirmation.has_value()
               ? " (recorded: it must keep reproducing this failure)\n"
               : " (in the test's corpus: replayed first from now on, it expects the property "
                 "to pass, so it fails until the bug is fixed and guards the fix after)\n",
           "  reproduce: ", replays::ReproduceCommand(failure.replay_path), "\n");
  } else {
    if (!failure.replay_error.empty()) {
      Append(text, "  replay:    not written: ", failure.replay_error, "\n");
    }
    // No file: the seed reruns the case (before shrinking).
    Append(text, "  reproduce: bazel run ",
           found.bazel_target.empty() ? std::string("<the test target>") : found.bazel_target,
           " -- --laplace_seed=", found.seed, ":", found.size,
           " --laplace_strategy=", found.strategy.ToString(), " --gtest_filter=", property.name,
           "\n");
  }
  return text;
}

std::string FormatResult(const Property& property, const PropertyResult& result) {
  std::string text;
  for (const Problem& problem : result.problems) Append(text, problem.message, "\n");
  if (result.failure.has_value() && !result.known_bug_confirmed) {
    Append(text, FormatFailure(property, *result.failure));
  }
  return text;
}

}  // namespace laplace::properties
