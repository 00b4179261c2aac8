// What every phase of one RunProperty call shares. Private to properties/.
#ifndef LAPLACE_PROPERTIES_INTERNAL_PIPELINE_CONTEXT_H_
#define LAPLACE_PROPERTIES_INTERNAL_PIPELINE_CONTEXT_H_

#include <functional>
#include <optional>
#include <span>
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
  // The watchdog's handler for a run of the case (seed, size, args): writes the replay file of
  // the run up to its stuck step where a found failure's would go, and says where.
  std::function<std::string(const RunReport&)> HangWriter(uint64_t seed, int size,
                                                          const CaseArgs& args) const;
};

// How a determinism check runs a case again.
struct CaseRerun {
  std::string what;  // "seed 7 (size 7)", for reports
  // Runs the case in this process with `options`.
  std::function<RunReport(const RunOptions& options)> run;
  // The case for a fresh process, when a seed and size make it (sweeps).
  std::optional<SeedChoice> fresh;
};

// Whether the determinism check samples the case of `seed` (the first
// case of an exploration when the share is above 0, else by the share).
bool ChecksDeterminismOf(const PipelineContext& context, uint64_t seed, bool first_case);

// Reruns the case twice with step digests (and once in a fresh process when
// the settings ask and `rerun.fresh` is set) and compares the runs with each
// other and with `original`, its run as the exploration made it. On a
// difference, records it as the result's nondeterminism and a problem (for
// a failing `original`, found `how_found`, saying the failure does not
// reproduce) and returns false. True when the check is off.
bool CheckDeterminism(const PipelineContext& context, const CaseRerun& rerun,
                      const RunReport& original, const std::string& how_found);

// The fresh-process half (--laplace_determinism_dump): runs the
// --laplace_seed case once, recording its steps, and writes its record.
void DumpCase(const PipelineContext& context);

// --laplace_confidence: replays `path` up to shortly before its failure and
// randomizes the rest `request.runs` times (confidence.h); the result goes
// into result.confidence, and a failure that still happens is a problem.
void MeasureConfidence(const PipelineContext& context, const std::string& path,
                       const ConfidenceRequest& request);

// Shrinks `failing` (a run of `body`) within `budget` and at most `candidates_max` candidate
// runs (0: no limit), and returns what it ends with.
ShrinkResult ShrinkRun(const PipelineContext& context, const Body& body, const RunReport& failing,
                       std::chrono::milliseconds budget, uint64_t candidates_max);

// Where a found failing case came from: its seed, size and arguments.
struct FoundOrigin {
  uint64_t seed = 0;
  int size = 0;
  CaseArgs args;
};

// Shrinks `failing` (a run of `body`, the case `origin`) within the shrink
// budget and makes the FoundFailure, found `how_found`.
FoundFailure ShrinkFound(const PipelineContext& context, const Body& body, const RunReport& failing,
                         FoundOrigin origin, std::string how_found);

// Counts `report` (a run exploring made) in the result's statistics.
void Tally(const PipelineContext& context, const RunReport& report);

// Runs one fuzzer input: arguments (for a property that takes them) seeded
// from its first 8 bytes, every choice from the rest (TapeSpec::Bytes).
// A failure is rerun at once (CheckDeterminism) and shrunk.
std::optional<FoundFailure> ExploreBytes(const PipelineContext& context,
                                         std::span<const uint8_t> bytes);

// Replays one replay file (strictly) and judges the rerun. A file that
// cannot be read or whose arguments no longer regenerate gets a verdict
// saying so. `requested`: the file the user asked for (--laplace_replay),
// whose whole trace --laplace_trace prints and --laplace_trace_out writes.
ReplayVerdict ReplayFile(const PipelineContext& context, const std::string& path, bool requested);

// --laplace_record on `file` (read from `path`), which diverged at `where` (null if unknown):
// reruns its case with its tape replayed leniently (each stream's entries in order, so the same
// faults at the same places; bounds that changed are taken modulo), and when that run still
// fails with the file's signature (EXPECT_FAILURE) or passes (otherwise) and its new file
// replays clean, writes that file into the corpus in place of the old one (AddToCorpus).
// Returns what it did; an error says why the file could not be rebuilt, and then nothing was
// written or removed.
absl::StatusOr<std::string> RebuildDivergedFile(const PipelineContext& context,
                                                const std::string& path,
                                                const replays::Replay& file, const Body& body,
                                                const DivergencePoint* where);

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

}  // namespace laplace::properties::internal

#endif  // LAPLACE_PROPERTIES_INTERNAL_PIPELINE_CONTEXT_H_
