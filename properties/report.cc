// The text of a pipeline's result: a found failure's report, and everything that made a run
// fail. No test framework here: the GoogleTest glue (property.cc) prints these.
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_replace.h"
#include "base/strings.h"
#include "properties/pipeline.h"
#include "replays/corpus.h"
#include "replays/trace_export/text.h"

namespace laplace::properties {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

// "51 -> 94 choices, 83 -> 2 non-zero (2 schedule, 0 other), 1 preemption, after
// 522 candidates (287 RapidCheck shrinks of the arguments, 235 of the tape) in 1330ms".
// The non-zero choices are what a shrink lowers first, so the tape may grow.
std::string ShrinkLine(const FoundCase& found) {
  const Tape& tape = found.report.tape;
  const size_t schedule = NonZeroScheduleChoices(tape), other = NonZeroOtherChoices(tape);
  const size_t tape_candidates = found.shrink_stats.tried();
  if (found.candidates_tried == 0 && found.shrink_budget_exhausted) {
    return Cat(
        "  shrunk:    not shrunk: the shrink budget ran out before the first candidate "
        "(raise --laplace_shrink_seconds); ",
        tape.size(), " choices, ", schedule + other, " non-zero, ", found.report.preemptions,
        found.report.preemptions == 1 ? " preemption" : " preemptions", "\n");
  }
  std::string line = Cat("  shrunk:    ", found.original_length, " -> ", tape.size(), " choices, ",
                         found.original_nonzero, " -> ", schedule + other, " non-zero (", schedule,
                         " schedule, ", other, " other), ", found.report.preemptions,
                         found.report.preemptions == 1 ? " preemption" : " preemptions", ", after ",
                         found.candidates_tried, " candidates");
  if (found.candidates_tried > tape_candidates) {
    Append(line, " (", found.candidates_tried - tape_candidates,
           " RapidCheck shrinks of the arguments, ", tape_candidates, " of the tape)");
  }
  Append(line, " in ", found.shrink_time.count(), "ms",
         found.shrink_budget_exhausted ? " (shrink budget exhausted)" : "", "\n");
  if (found.shrink_stats.tried() > 0) {
    Append(line, "  shrinking: ", FormatShrinkStats(found.shrink_stats), "\n");
  }
  return line;
}

std::string FaultsPart(const RunStats& stats, uint64_t runs) {
  if (stats.faults.empty() && stats.fault_choices == 0) return "; faults fired: none";
  std::string text = "; faults fired:";
  const char* separator = " ";
  for (const auto& [name, count] : stats.faults) {
    Append(text, separator, name, " ", count);
    separator = ", ";
  }
  if (stats.faults.empty()) Append(text, " no counted kind");
  Append(text, " (", stats.fault_choices, " non-zero fault choices, in ", stats.runs_with_faults,
         " of ", runs, " runs)");
  return text;
}

std::string ClassesTable(const RunStats& stats) {
  if (stats.classes.empty()) return "";
  int cases = 0;
  for (const auto& entry : stats.classes) cases += entry.second;
  std::vector<std::pair<std::vector<std::string>, int>> sorted = stats.classes;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text =
      Cat("\n  RapidCheck classes (RC_CLASSIFY / RC_TAG), of ", stats.passed, " passing cases:");
  for (const auto& [tags, count] : sorted) {
    char share[16];
    std::snprintf(share, sizeof share, "%5.1f%%", 100.0 * count / std::max(1, cases));
    Append(text, "\n    ", share, "  ", count, "  ");
    for (size_t i = 0; i < tags.size(); ++i) Append(text, i == 0 ? "" : ", ", tags[i]);
  }
  return text;
}

}  // namespace

std::string FormatSummary(const Property& property, const PropertyResult& result) {
  (void)property;
  const RunStats& stats = result.stats;
  const double seconds = static_cast<double>(result.explore_time.count()) / 1000.0;
  char timing[64];
  std::snprintf(timing, sizeof timing, "%.2fs (%.0f runs/s)", seconds,
                seconds > 0 ? static_cast<double>(result.runs) / seconds : 0.0);
  std::string text =
      Cat("summary: ", result.runs, " runs in ", timing, ": ", stats.passed, " passed, ",
          stats.failed, " failed, ", stats.discarded, " discarded; base seed ", result.base_seed,
          result.sweep_budget_exhausted ? " (sweep budget reached)" : "");
  Append(text, FaultsPart(stats, result.runs));
  if (result.determinism_checked > 0 || result.nondeterminism.has_value()) {
    Append(text, "; determinism: ", result.determinism_checked, " case(s) rerun",
           result.nondeterminism.has_value() ? ", one ran differently" : ", all ran the same");
  }
  Append(text, ClassesTable(stats));
  return text;
}

std::string FormatFailure(const Property& property, const FoundFailure& failure) {
  const FoundCase& found = failure.found;
  const RunReport& report = found.report;
  std::string text = Cat("Laplace found a failure in ", property.name, "\n");
  if (!found.causal_chain.empty()) {
    Append(text, "  ",
           replays::trace_export::ChainHeading(found.causal_chain.size(), found.causal_ancestors),
           "\n");
    for (const std::string& line : found.causal_chain) Append(text, "    ", line, "\n");
  }
  // A multi-line message (a GoogleTest assertion's, say) stays inside its field.
  Append(
      text,
      "  failure:   ", absl::StrReplaceAll(report.failure->ToString(), {{"\n", "\n             "}}),
      "\n  signature: ", report.failure->signature(), "\n  found:     ", failure.how_found, "\n");
  for (size_t i = 0; i < found.args_rendering.size(); ++i) {
    Append(text, i == 0 ? "  arguments: " : "             ", found.args_rendering[i], "\n");
  }
  Append(text, ShrinkLine(found));
  if (failure.confirmation.has_value()) {
    Append(text, "  replayed:  ", failure.confirmation->message, "\n");
  }
  Append(text, "  trace (last ", report.trace.size(), " events):\n");
  for (const std::string& line : report.trace) {
    Append(text, "    ", absl::StrReplaceAll(line, {{"\n", "\n      "}}), "\n");
  }
  if (!failure.replay_path.empty()) {
    Append(text, "  replay:    ", failure.replay_path,
           failure.confirmation.has_value()
               ? " (recorded: it must keep reproducing this failure)\n"
               : " (in the test's corpus: replayed first from now on, it expects the property "
                 "to pass, so it fails until the bug is fixed and guards the fix after)\n",
           "  reproduce: ", replays::ReproduceCommand(failure.replay_path), "\n");
    if (!failure.replay_note.empty()) Append(text, "  corpus:    ", failure.replay_note, "\n");
  } else {
    if (!failure.replay_error.empty()) {
      Append(text, "  replay:    not written: ", failure.replay_error, "\n");
    }
    // No file: the seed reruns the case (before shrinking).
    // Sharding disabled: `bazel run` refuses a test with shard_count > 1 otherwise.
    Append(text, "  reproduce: bazel run --test_sharding_strategy=disabled ",
           found.bazel_target.empty() ? std::string("<the test target>") : found.bazel_target,
           " -- --laplace_seed=", found.seed, ":", found.size,
           " --laplace_strategy=", found.strategy.ToString(), " --gtest_filter=", property.name,
           "\n");
  }
  for (const std::string& artifact : failure.artifacts) {
    Append(text, "  artifact:  ", artifact, " (the test's undeclared outputs)\n");
  }
  if (!failure.artifacts.empty() && found.bazel_target.starts_with("//")) {
    // The sandbox above is gone after `bazel test`; Bazel keeps its outputs zipped.
    std::string target = found.bazel_target.substr(2);
    std::replace(target.begin(), target.end(), ':', '/');
    Append(text, "  artifacts: after the test, in bazel-testlogs/", target,
           "/test.outputs/outputs.zip\n");
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
