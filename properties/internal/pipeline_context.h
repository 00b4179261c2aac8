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
// saying so. `requested`: the file the user asked for (--laplace_replay),
// whose whole trace --laplace_trace prints and --laplace_trace_out writes.
ReplayVerdict ReplayFile(const PipelineContext& context, const std::string& path, bool requested);

// Replays every file of the property's corpus into result.corpus.
void ReplayCorpus(const PipelineContext& context);

// Explores (a sweep from `first_seed`, or RapidCheck) and shrinks a failure.
// `single_seed` narrows the sweep to one seed, at a given size.
std::optional<FoundFailure> ExploreSeeds(const PipelineContext& context, uint64_t first_seed,
                                         uint64_t seeds, std::optional<int> size, bool print_trace);
std::optional<FoundFailure> ExploreWithRapidCheck(const PipelineContext& context,
                                                  uint64_t base_seed);

// ---- Traces (trace_output.cc) ----

// `recording` in `format` (the filter applies to text and the HTML page's
// initial view).
std::string ExportTrace(const replays::trace_export::TraceRecording& recording,
                        replays::trace_export::TraceFormat format,
                        const replays::trace_export::TraceFilter& filter);
// Writes `content` to `path`, replacing it; kUnavailable naming the file.
absl::Status WriteTextFile(const std::string& path, const std::string& content);

// Reruns `file` strictly with `run`; kFailedPrecondition when its arguments
// no longer regenerate.
absl::StatusOr<RunReport> RerunReplay(const PipelineContext& context, const replays::Replay& file,
                                      RunOptions run);
// The whole trace of `report` for --laplace_trace: the text export
// (causes, the failure's chain) filtered by --laplace_trace_nodes/_tasks
// when the run was recorded, else its lines.
std::string WholeTrace(const PipelineContext& context, const RunReport& report);
// With --laplace_trace_out: writes `report`'s recording there, in
// TraceOutFormat(settings); `source` says where the run came from. A file
// that cannot be written is a problem of the result.
void WriteTraceOut(const PipelineContext& context, const RunReport& report,
                   const std::string& source);

// ---- What a failure leaves for CI (artifacts.cc) ----

// What a failure leaves behind for CI: with TEST_UNDECLARED_OUTPUTS_DIR set
// and --laplace_artifacts on (the default), reruns the failure's replay with
// a whole trace and writes <test>.replay.textpb, <test>.trace.txt,
// <test>.trace.html and <test>.perfetto.json there, listed in
// failure.artifacts. Trouble is noted, never a problem: the failure is the
// news.
void WriteArtifacts(const PipelineContext& context, FoundFailure& failure);
// With --laplace_artifacts on and a failure found: its seed, base seed,
// signature, strategy, replay file and artifacts folder as
// result.report_properties (the GoogleTest layer records them in the JUnit
// XML).
void RecordResultProperties(const PipelineContext& context);

}  // namespace laplace::properties::internal

#endif  // LAPLACE_PROPERTIES_INTERNAL_PIPELINE_CONTEXT_H_
