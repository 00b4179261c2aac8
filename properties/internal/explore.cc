// The pipeline's search: a sweep of seeds or a RapidCheck search, and the
// shrink of what they find.
#include <cstdlib>
#include <string>
#include <utility>

#include "base/strings.h"
#include "loop/digest.h"
#include "properties/internal/pipeline_context.h"
#include "properties/sweep.h"

namespace laplace::properties::internal {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

ShrinkOptions ShrinkOptionsFor(const PipelineContext& context, std::chrono::milliseconds budget) {
  return ShrinkOptions{.budget = budget, .progress = context.output.shrink_progress};
}

// Shrinks `failing` (a run of `body`) and returns what it ends with.
ShrinkResult ShrinkRun(const PipelineContext& context, const Body& body, const RunReport& failing,
                       std::chrono::milliseconds budget) {
  const RunOptions run = context.Run("shrinking");
  return Shrink(
      [&](const Tape& tape, const RunBound& bound) {
        RunOptions bounded = run;
        bounded.bound = bound;
        return RunOnce(body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), bounded);
      },
      failing, ShrinkOptionsFor(context, budget));
}

void Absorb(const ShrinkResult& shrunk, FoundCase& found) {
  found.candidates_tried += shrunk.tried;
  found.shrink_budget_exhausted = found.shrink_budget_exhausted || shrunk.budget_exhausted;
  found.shrink_time += shrunk.elapsed;
  found.shrink_stats.Add(shrunk.stats);
  if (shrunk.accepted > 0) found.report = shrunk.report;
}

// RapidCheck shrinks a case with the tape passes it can express as values;
// the fixpoint passes and the candidates' bounds need the shrinker's own
// loop (shrinker.h), so a case RapidCheck has finished with gets one more
// Shrink with its arguments fixed, with what RapidCheck left of the budget.
void Polish(const PipelineContext& context, std::chrono::milliseconds budget, FoundCase& found) {
  if (budget <= std::chrono::milliseconds(0) || !found.report.failed()) return;
  CaseArgs args;
  absl::StatusOr<Body> body = context.property.cases->ForReproduce(found.args_reproduce, args);
  if (!body.ok()) return;
  Absorb(ShrinkRun(context, *body, found.report, budget), found);
}

// "scheduled by pct:depth=2,steps=40 (the portfolio's member for seed 9)".
std::string ScheduledBy(const PipelineContext& context, const RunReport& report, uint64_t seed) {
  std::string text = Cat("scheduled by ", report.strategy.ToString());
  if (context.options.loop.strategy != nullptr &&
      context.options.loop.strategy->name() == "portfolio") {
    Append(text, " (the portfolio's member for seed ", seed, ")");
  }
  return text;
}

}  // namespace

void ShrinkInto(const PipelineContext& context, const Body& body, const RunReport& failing,
                FoundFailure& failure) {
  ShrinkResult shrunk = ShrinkRun(context, body, failing, context.options.shrink_budget);
  FoundCase& found = failure.found;
  found.strategy = failing.strategy;
  found.report = shrunk.report;
  found.original_length = shrunk.original_length;
  found.candidates_tried = shrunk.tried;
  found.shrink_budget_exhausted = shrunk.budget_exhausted;
  found.shrink_time = shrunk.elapsed;
  found.shrink_stats = shrunk.stats;
}

std::optional<FoundFailure> ExploreSeeds(const PipelineContext& context, uint64_t first_seed,
                                         uint64_t seeds, std::optional<int> size,
                                         bool print_trace) {
  const PropertyOptions& options = context.options;
  CaseArgs failing_args;
  Body failing_body;
  int failing_size = 0;
  SweepResult sweep = Sweep(
      [&](uint64_t seed) {
        int case_size = size.value_or(static_cast<int>(seed % (options.max_size + 1)));
        CaseArgs args;
        Body body = context.property.cases->ForSeed(seed, case_size, args);
        RunOptions run =
            context.Run(Cat("rerun with LAPLACE_SEED=", seed, ":", case_size, " to reproduce"));
        run.full_trace = print_trace;
        RunReport report = RunOnce(body, TapeSpec::Seed(seed), run);
        if (report.failed()) {
          failing_args = std::move(args);
          failing_body = std::move(body);
          failing_size = case_size;
        }
        return report;
      },
      {.first_seed = first_seed,
       .seeds = seeds,
       .budget = options.sweep_budget,
       .shard = size.has_value() ? Shard{} : context.settings.shard});
  PropertyResult& result = context.result;
  result.runs += sweep.runs;
  result.discarded += sweep.discarded;
  result.sweep_budget_exhausted = sweep.budget_exhausted;
  result.explore_time += sweep.elapsed;
  if (!sweep.failing_seed.has_value()) return std::nullopt;
  if (print_trace) {
    std::string trace = "the failing run's trace:\n";
    for (const std::string& line : sweep.report->trace) Append(trace, "    ", line, "\n");
    context.Note(trace);
  }
  FoundFailure failure;
  failure.found = FoundCase{.seed = *sweep.failing_seed,
                            .size = failing_size,
                            .args_reproduce = failing_args.reproduce,
                            .args_rendering = failing_args.rendering};
  ShrinkInto(context, failing_body, *sweep.report, failure);
  failure.how_found = Cat("seed ", *sweep.failing_seed, " after ", sweep.runs, " run(s), ",
                          ScheduledBy(context, *sweep.report, *sweep.failing_seed));
  return failure;
}

std::optional<FoundFailure> ExploreWithRapidCheck(const PipelineContext& context,
                                                  uint64_t base_seed) {
  const PropertyOptions& options = context.options;
  const Shard shard = context.settings.shard;
  RapidCheckSettings settings{
      .test_name = context.property.name,
      // With base seed 0 this is the seed every earlier version used.
      .seed = HashString(context.property.name) + base_seed * 0x9e3779b97f4a7c15ULL + shard.index,
      .cases =
          static_cast<int>((static_cast<uint64_t>(options.cases) + shard.count - 1) / shard.count),
      .max_size = options.max_size,
      .shrink_budget = options.shrink_budget,
      .run = context.Run("a RapidCheck case of " + context.property.name)};
  if (context.output.shrink_progress) {
    settings.progress = [&context](const FoundCase& found) {
      context.output.shrink_progress(ShrinkProgress{
          .tried = found.candidates_tried,
          .length = found.report.tape.size(),
          .nonzero =
              NonZeroScheduleChoices(found.report.tape) + NonZeroOtherChoices(found.report.tape),
          .preemptions = found.report.preemptions});
    };
  }
  RapidCheckOutcome outcome = context.property.cases->Check(settings);
  PropertyResult& result = context.result;
  // Runs RapidCheck made to shrink are not cases.
  result.runs += static_cast<uint64_t>(outcome.cases_run) -
                 (outcome.found.has_value() ? outcome.found->candidates_tried : 0);
  result.discarded += static_cast<uint64_t>(outcome.discarded);
  if (!outcome.error.empty()) {
    std::string file = context.property.source_file;
    int line = context.property.line;
    std::string message = "RapidCheck: " + outcome.error;
    if (!outcome.discard_site.empty()) {
      size_t colon = outcome.discard_site.rfind(':');
      file = outcome.discard_site.substr(0, colon);
      line = std::atoi(outcome.discard_site.c_str() + colon + 1);
      Append(message, " (the precondition that rejected the cases: ", outcome.discard_site, ")");
    }
    context.Problem(std::move(message), std::move(file), line);
    return std::nullopt;
  }
  if (!outcome.found.has_value()) return std::nullopt;
  FoundCase found = std::move(*outcome.found);
  const uint64_t seed = found.seed;
  const int size = found.size;
  Polish(context, outcome.shrink_budget_left, found);
  FoundFailure failure{.found = std::move(found)};
  failure.how_found = Cat("a RapidCheck case (LAPLACE_SEED=", seed, ":", size,
                          " reruns it before shrinking), scheduled by ",
                          failure.found.strategy.ToString(), "; ", outcome.cases_run,
                          " run(s) in all");
  return failure;
}

}  // namespace laplace::properties::internal
