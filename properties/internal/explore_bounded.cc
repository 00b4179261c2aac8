// The pipeline's bounded search: every schedule with at most B preemptions of one case, and the
// shrink of what it finds.
#include <string>
#include <utility>

#include "base/strings.h"
#include "loop/strategies/registry.h"
#include "properties/bounded.h"
#include "properties/internal/pipeline_context.h"

namespace laplace::properties::internal {

using laplace::internal::Cat;

std::optional<FoundFailure> ExploreBounded(const PipelineContext& context, uint64_t base_seed) {
  const PropertyOptions& options = context.options;
  const strategies::BoundedSearchOptions search =
      strategies::BoundedSearchOptionsOf(options.strategy);
  // The arguments are the base seed's; the search enumerates the schedules of that one case.
  const int size = static_cast<int>(base_seed % (options.max_size + 1));
  CaseArgs args;
  Body body = context.property.cases->ForSeed(base_seed, size, args);
  BoundedResult bounded =
      SearchBounded(body, search,
                    context.Run(Cat("a schedule of the bounded search of ", context.property.name)),
                    options.sweep_budget);
  PropertyResult& result = context.result;
  result.runs += bounded.schedules;
  result.discarded += bounded.discarded;
  result.sweep_budget_exhausted = bounded.budget_exhausted;
  result.explore_time += bounded.elapsed;
  const std::string summary = bounded.Summary(search.preemptions_max);
  result.bounded = BoundedOutcome{.preemptions_max = search.preemptions_max,
                                  .bound = bounded.bound,
                                  .schedules = bounded.schedules,
                                  .exhausted = bounded.exhausted,
                                  .summary = summary};
  if (bounded.nondeterminism.has_value()) {
    context.Problem(Cat("the bounded search of ", context.property.name, ": ", summary),
                    context.property.source_file, context.property.line);
    return std::nullopt;
  }
  if (!bounded.failing.has_value()) {
    context.Note(Cat("bounded search: ", summary));
    return std::nullopt;
  }
  return ShrinkFound(context, body, *bounded.failing, {base_seed, size, std::move(args)},
                     Cat(summary, " of the bounded search (", search.preemptions_max,
                         " preemption(s) at most), for the arguments of seed ", base_seed));
}

}  // namespace laplace::properties::internal
