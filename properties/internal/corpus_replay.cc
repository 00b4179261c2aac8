// Replaying replay files: one (--laplace_replay) or a property's whole corpus.
#include <string>
#include <vector>

#include "base/strings.h"
#include "properties/address_space.h"
#include "properties/internal/pipeline_context.h"
#include "replays/corpus.h"
#include "replays/replay_file.h"

namespace laplace::properties::internal {
namespace {

using laplace::internal::Append;
using laplace::internal::Cat;

std::string TraceText(const std::vector<std::string>& trace) {
  std::string text;
  for (const std::string& line : trace) Append(text, "    ", line, "\n");
  return text;
}

// A file the watchdog wrote: the run is expected to stop making progress at the recorded step,
// so the watchdog is given a short timeout and, when it fires, says whether it is that step.
void ExpectHang(const replays::Replay& file, RunOptions& run) {
  constexpr std::chrono::seconds kHangReplayTimeout{5};
  if (run.watchdog <= std::chrono::seconds(0) || run.watchdog > kHangReplayTimeout) {
    run.watchdog = kHangReplayTimeout;
  }
  const uint64_t recorded_step = file.failure().step();
  run.on_hang = [recorded_step](const RunReport& hang) {
    if (hang.steps == recorded_step) {
      return Cat("  the replay reproduced the recorded hang: no progress after step ",
                 recorded_step, ", as recorded\n");
    }
    return Cat("  the replay hung after step ", hang.steps, ", but the file recorded step ",
               recorded_step, "\n");
  };
}

// A verdict that the rerun diverged, after --laplace_record's rebuild (if asked) and the
// property's on_divergence policy.
ReplayVerdict OnDiverged(const PipelineContext& context, const std::string& path,
                         const replays::Replay& file, const Body& body, const RunReport& report,
                         ReplayVerdict verdict) {
  if (context.options.record) {
    const DivergencePoint* where =
        report.divergence_point.has_value() ? &*report.divergence_point : nullptr;
    absl::StatusOr<std::string> rebuilt = RebuildDivergedFile(context, path, file, body, where);
    if (rebuilt.ok()) {
      return {.ok = true,
              .message = Cat("diverged (", where != nullptr ? where->ToString() : "", "); ",
                             *rebuilt, "; check it in"),
              .diverged = true};
    }
    Append(verdict.message, "\n  could not be rebuilt: ", rebuilt.status().message(),
           "; the file is unchanged");
  }
  if (context.options.on_divergence == OnDivergence::kWarn) {
    verdict.ok = true;
    const char* source = context.settings.on_divergence.has_value()
                             ? "--laplace_on_divergence=warn"
                             : "PropertyOptions::on_divergence = OnDivergence::kWarn";
    verdict.message = Cat("WARNING (", source, ", so the test goes on): ", verdict.message);
  }
  return verdict;
}

}  // namespace

ReplayVerdict ReplayFile(const PipelineContext& context, const std::string& path, bool requested) {
  const Property& property = context.property;
  absl::StatusOr<replays::Replay> file = replays::ReadReplayFile(path, property.name);
  if (!file.ok()) return {false, Cat("cannot be read: ", file.status().message())};
  CaseArgs args;
  absl::StatusOr<Body> body =
      property.cases->ForReproduce(file->arguments().rapidcheck_reproduce(), args);
  if (!body.ok()) return {false, Cat("cannot be replayed: ", body.status().message())};
  RunOptions run = context.Run("replaying " + path);
  const bool print_trace = requested && context.settings.trace;
  run.record_trace = requested && (print_trace || !context.settings.trace_out.empty());
  run.loop.stop_on_divergence = file->expect() == replays::EXPECT_FAILURE;
  if (file->has_failure() && file->failure().kind() == kHang) ExpectHang(*file, run);
  // The run had the file's address-space limit: so has its replay (then the settings' again).
  const uint64_t recorded_mib = file->environment().address_space_mib();
  if (recorded_mib != 0) ApplyAddressSpaceLimit(recorded_mib);
  RunReport report = RunOnce(
      *body, TapeSpec::Replay(replays::TapeFromReplay(*file), TapeSource::Mode::kStrict), run);
  if (recorded_mib != 0) ApplyAddressSpaceLimit(context.settings.address_space_mib);
  ReplayVerdict verdict = CheckRerun(*file, report);
  if (verdict.diverged) verdict = OnDiverged(context, path, *file, *body, report, verdict);
  verdict.passed = !report.failure.has_value();
  if (requested) WriteTraceOut(context, report, path);
  if (print_trace) {
    context.Note(Cat("the trace of ", path, ":\n", WholeTrace(context, report)));
  } else if (!verdict.ok && !report.trace.empty()) {
    Append(verdict.message, "\n  trace (last events):\n", TraceText(report.trace));
  }
  return verdict;
}

void ReplayCorpus(const PipelineContext& context) {
  const Property& property = context.property;
  if (property.CorpusPackage().empty()) return;  // no package, no corpus
  std::string directory = replays::CorpusReadDirectory(context.settings.corpus,
                                                       property.CorpusPackage(), property.name);
  absl::StatusOr<std::vector<std::string>> files = replays::ListReplayFiles(directory);
  if (!files.ok()) {
    context.Problem(
        Cat("Laplace cannot read the corpus ", directory, ": ", files.status().message()));
    return;
  }
  for (const std::string& path : *files) {
    ReplayVerdict verdict = ReplayFile(context, path, false);
    // A divergence is told in full (but its trace) even when it only warns: it must never
    // pass unnoticed.
    const std::string& message = verdict.message;
    context.Note(Cat("replay ", path, ": ",
                     message.substr(0, verdict.diverged ? message.find("\n  trace (last events)")
                                                        : message.find('\n'))));
    if (!verdict.ok) context.Problem(Cat("Laplace replay ", path, " ", verdict.message));
    context.result.corpus.push_back(CorpusReplay{path, std::move(verdict)});
  }
  if (!files->empty()) {
    context.Note(Cat("replayed ", files->size(), " corpus file(s) from ", directory));
  }
}

}  // namespace laplace::properties::internal
