// The pipeline's fix-confidence phase (--laplace_confidence with --laplace_replay): a replay
// file's tape up to shortly before its failure, then random choices, many times; see
// confidence.h for what is replayed and how the runs are seeded.
#include <algorithm>
#include <string>
#include <tuple>

#include "loop/digest.h"
#include "base/strings.h"
#include "properties/confidence.h"
#include "properties/internal/pipeline_context.h"
#include "replays/replay_file.h"

namespace laplace::properties::internal {
namespace {

using laplace::internal::Cat;

// SplitMix64: run i's seed, far from run i + 1's.
uint64_t Mix(uint64_t x) {
  uint64_t z = x + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The choices the run had made by the end of step `cut_step` (0 when the
// cut is before the first step).
uint64_t ChoicesThrough(const RunReport& probe, uint64_t cut_step) {
  uint64_t choices = 0;
  for (const StepDigest& point : probe.step_digests) {
    if (point.step > cut_step) break;
    choices = point.choices;
  }
  return choices;
}

}  // namespace

void MeasureConfidence(const PipelineContext& context, const std::string& path,
                       const ConfidenceRequest& request) {
  const Property& property = context.property;
  absl::StatusOr<replays::Replay> file = replays::ReadReplayFile(path, property.name);
  if (!file.ok()) {
    context.Problem(
        Cat("Laplace confidence: ", path, " cannot be read: ", file.status().message()));
    return;
  }
  CaseArgs args;
  absl::StatusOr<Body> body =
      property.cases->ForReproduce(file->arguments().rapidcheck_reproduce(), args);
  if (!body.ok()) {
    context.Problem(
        Cat("Laplace confidence: ", path, " cannot be replayed: ", body.status().message()));
    return;
  }
  const Tape tape = replays::TapeFromReplay(*file);
  ConfidenceResult result{.signature = file->failure().signature(),
                          .runs = request.runs,
                          .failure_step = file->failure().step()};
  const uint64_t window = request.window_steps > 0
                              ? request.window_steps
                              : std::max<uint64_t>(1, (result.failure_step + 3) / 4);
  result.cut_step = result.failure_step > window ? result.failure_step - window : 0;
  // Where the cut falls on the tape, in the code as it is now.
  RunOptions probe_options = context.Run(Cat("replaying ", path));
  probe_options.record_steps = true;
  RunReport probe =
      RunOnce(*body, TapeSpec::Replay(tape, TapeSource::Mode::kLenient), probe_options);
  result.prefix_choices = std::min<uint64_t>(ChoicesThrough(probe, result.cut_step), tape.size());
  const Tape prefix(tape.begin(), tape.begin() + static_cast<ptrdiff_t>(result.prefix_choices));
  const uint64_t base = HashString(file->trace_digest());
  for (uint64_t i = 0; i < request.runs; ++i) {
    RunReport run = RunOnce(*body, TapeSpec::PrefixThenSeed(prefix, Mix(base + i)),
                            context.Run(Cat("randomized run ", i, " of ", path)));
    if (!run.failed()) continue;
    if (run.failure->signature() == result.signature) {
      ++result.same_failure;
    } else {
      ++result.other_failures;
      ++result.other_signatures[run.failure->signature()];
    }
  }
  std::tie(result.low, result.high) = WilsonInterval(result.same_failure, result.runs);
  const std::string text = Cat("confidence of ", path, ": ", FormatConfidence(result));
  context.result.confidence = result;
  if (result.same_failure > 0 || result.other_failures > 0) {
    context.Problem(Cat("Laplace ", text), property.source_file, property.line);
  } else {
    context.Note(text);
  }
}

}  // namespace laplace::properties::internal
