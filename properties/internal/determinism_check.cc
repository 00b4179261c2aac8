// The pipeline's determinism check (pipeline_context.h, CheckDeterminism): a case is run again
// with its step digests recorded, in this process and optionally in a fresh one, and the first
// difference becomes a problem that names its step.
#include <optional>
#include <string>
#include <utility>

#include "base/strings.h"
#include "properties/determinism.h"
#include "properties/internal/fresh_process.h"
#include "properties/internal/pipeline_context.h"

namespace laplace::properties::internal {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

bool SameEnd(const RunRecord& a, const RunRecord& b) {
  return a.digest == b.digest && a.outcome == b.outcome;
}

std::string CheckCommand(const PipelineContext& context, const CaseRerun& rerun) {
  if (!rerun.fresh.has_value()) return "";
  const std::string& target = context.settings.test_target;
  return Cat("  check it:  bazel run --test_sharding_strategy=disabled ", target.empty() ? "<the test target>" : target,
             " -- --gtest_filter=", context.property.name, " --laplace_seed=", rerun.fresh->seed,
             ":", rerun.fresh->size.value_or(0), " --laplace_check_determinism=all,fresh\n");
}

// The difference between the case's runs, if any. Reruns record their step
// digests only (cheap); only when two runs differ is the case run again
// with whole traces, to show the events where they part.
std::optional<std::string> FindDifference(const PipelineContext& context, const CaseRerun& rerun,
                                          const RunRecord& original, std::string& problem) {
  RunOptions digests = context.Run(Cat("a determinism check of ", rerun.what));
  digests.record_steps = true;
  RunOptions traced = digests;
  traced.full_trace = true;
  const RunRecord first = RecordOfRun(rerun.run(digests));
  const RunRecord second = RecordOfRun(rerun.run(digests));
  if (DescribeDifference(first, "rerun 1", second, "rerun 2").has_value()) {
    const RunRecord third = RecordOfRun(rerun.run(traced));
    const RunRecord fourth = RecordOfRun(rerun.run(traced));
    std::optional<std::string> shown = DescribeDifference(third, "rerun 3", fourth, "rerun 4");
    if (shown.has_value())
      return Cat(
          "(reruns 1 and 2 differed too; reruns 3 and 4 kept their "
          "whole traces) ",
          *shown);
    return DescribeDifference(first, "rerun 1", second, "rerun 2");
  }
  if (!SameEnd(original, first)) {
    std::optional<std::string> shown =
        DescribeDifference(original, "the first run", RecordOfRun(rerun.run(traced)), "rerun 3");
    if (shown.has_value()) Append(*shown, "  (reruns 1 and 2 ran exactly as rerun 3)\n");
    return shown;
  }
  if (!context.options.check_determinism.fresh_process || !rerun.fresh.has_value()) {
    return std::nullopt;
  }
  absl::StatusOr<RunRecord> fresh = RunCaseInFreshProcess(context.property.name, *rerun.fresh);
  if (!fresh.ok()) {
    problem = Cat("Laplace could not check ", rerun.what,
                  " in a fresh process: ", fresh.status().message());
    return std::nullopt;
  }
  if (!DescribeDifference(first, "rerun 1", *fresh, "a fresh process").has_value()) {
    return std::nullopt;
  }
  return DescribeDifference(RecordOfRun(rerun.run(traced)), "rerun 3 (this process)", *fresh,
                            "a fresh process");
}

}  // namespace

bool ChecksDeterminismOf(const PipelineContext& context, uint64_t seed, bool first_case) {
  const DeterminismCheck& check = context.options.check_determinism;
  if (!check.enabled || check.share_percent <= 0) return false;
  return first_case || SampledForDeterminismCheck(seed, check.share_percent);
}

bool CheckDeterminism(const PipelineContext& context, const CaseRerun& rerun,
                      const RunReport& original, const std::string& how_found) {
  if (!context.options.check_determinism.enabled || !rerun.run) return true;
  const RunRecord record = RecordOfRun(original);
  std::string problem;
  std::optional<std::string> difference = FindDifference(context, rerun, record, problem);
  if (!problem.empty()) {
    context.Problem(problem, context.property.source_file, context.property.line);
    return false;
  }
  ++context.result.determinism_checked;
  if (!difference.has_value()) return true;
  std::string text = Cat("Laplace found nondeterminism in ", context.property.name, ": ",
                         rerun.what, " did not run the same way twice.\n");
  if (original.failed()) {
    Append(text, "  It failed (", how_found,
           "), but its reruns did not all fail the same way: the failure does not reproduce "
           "from its seed, so it is not shrunk and no replay file is written.\n",
           "  the failure as first seen: ", original.failure->ToString(), "\n");
  }
  Append(text, "  ", *difference,
         "  A case's run must depend on its seed alone: look for state that outlives a run "
         "(static or global variables, caches, singletons), the wall clock, threads, "
         "iteration over unordered containers, or the process itself (its id, addresses, "
         "environment).\n",
         CheckCommand(context, rerun));
  context.result.nondeterminism = text;
  context.Problem(std::move(text), context.property.source_file, context.property.line);
  return false;
}

}  // namespace laplace::properties::internal
