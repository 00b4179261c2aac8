// What every phase of one RunProperty call shares. Private to properties/.
#ifndef LAPLACE_PROPERTIES_INTERNAL_PIPELINE_CONTEXT_H_
#define LAPLACE_PROPERTIES_INTERNAL_PIPELINE_CONTEXT_H_

#include <optional>
#include <string>

#include "properties/pipeline.h"

namespace laplace::properties::internal {

struct PipelineContext {
  const Property& property;
  const PropertyOptions& options;  // with the settings' overrides applied
  const Settings& settings;
  const PipelineOutput& output;
  PropertyResult& result;

  void Note(const std::string& line) const {
    if (output.note) output.note("[laplace] " + property.name + ": " + line);
  }
  void Problem(std::string message, std::string file = {}, int line = 0) const {
    result.problems.push_back({std::move(message), std::move(file), line});
  }
  // The RunOptions of every run this property makes, with `hint` saying how
  // to reproduce the run (printed by the watchdog and by failed checks).
  RunOptions Run(std::string hint) const {
    return RunOptions{.loop = options.loop,
                      .trace_tail = options.trace_tail,
                      .watchdog = options.watchdog,
                      .reproduce_hint = std::move(hint)};
  }
};

// Replays one replay file (strictly) and judges the rerun. A file that
// cannot be read or whose arguments no longer regenerate gets a verdict
// saying so.
ReplayVerdict ReplayFile(const PipelineContext& context, const std::string& path, bool print_trace);

// Replays every file of the property's corpus into result.corpus.
void ReplayCorpus(const PipelineContext& context);

// Explores (a sweep from `first_seed`, or RapidCheck) and shrinks a failure.
// `single_seed` narrows the sweep to one seed, at a given size.
std::optional<FoundFailure> ExploreSeeds(const PipelineContext& context, uint64_t first_seed,
                                         uint64_t seeds, std::optional<int> size, bool print_trace);
std::optional<FoundFailure> ExploreWithRapidCheck(const PipelineContext& context,
                                                  uint64_t base_seed);
// The bounded search (options.strategy "bounded") over the case of `base_seed`; fills
// result.bounded.
std::optional<FoundFailure> ExploreBounded(const PipelineContext& context, uint64_t base_seed);
// Shrinks `failing` (a run of `body`) into `failure.found`, keeping what the run was found with.
void ShrinkInto(const PipelineContext& context, const Body& body, const RunReport& failing,
                FoundFailure& failure);

}  // namespace laplace::properties::internal

#endif  // LAPLACE_PROPERTIES_INTERNAL_PIPELINE_CONTEXT_H_
