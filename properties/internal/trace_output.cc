// Traces out of the pipeline: the whole trace of the run a user asked for, printed or exported
// with --laplace_trace_out.
#include <fstream>
#include <string>

#include "base/strings.h"
#include "properties/internal/pipeline_context.h"
#include "replays/replay_file.h"
#include "replays/trace_export/html.h"
#include "replays/trace_export/perfetto.h"
#include "replays/trace_export/text.h"

namespace laplace::properties::internal {
namespace {

namespace trace_export = replays::trace_export;
using laplace::internal::Append;
using laplace::internal::Cat;

}  // namespace

std::string ExportTrace(const trace_export::TraceRecording& recording,
                        trace_export::TraceFormat format, const trace_export::TraceFilter& filter) {
  switch (format) {
    case trace_export::TraceFormat::kText:
      return trace_export::TextTrace(recording, filter);
    case trace_export::TraceFormat::kPerfetto:
      return trace_export::PerfettoJson(recording);
    case trace_export::TraceFormat::kHtml:
      return trace_export::HtmlPage(recording, filter);
  }
  return {};
}

absl::Status WriteTextFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return absl::UnavailableError(Cat("cannot write ", path));
  return absl::OkStatus();
}

absl::StatusOr<RunReport> RerunReplay(const PipelineContext& context, const replays::Replay& file,
                                      RunOptions run) {
  CaseArgs args;
  absl::StatusOr<Body> body =
      context.property.cases->ForReproduce(file.arguments().rapidcheck_reproduce(), args);
  if (!body.ok()) {
    return absl::FailedPreconditionError(
        Cat("the failure's arguments do not regenerate: ", body.status().message()));
  }
  return RunOnce(*body, TapeSpec::Replay(replays::TapeFromReplay(file), TapeSource::Mode::kStrict),
                 run);
}

std::string WholeTrace(const PipelineContext& context, const RunReport& report) {
  if (report.recording != nullptr) {
    return trace_export::TextTrace(*report.recording, context.settings.trace_filter);
  }
  std::string text;
  for (const std::string& line : report.trace) Append(text, "    ", line, "\n");
  return text;
}

void WriteTraceOut(const PipelineContext& context, const RunReport& report,
                   const std::string& source) {
  const Settings& settings = context.settings;
  if (settings.trace_out.empty()) return;
  if (report.recording == nullptr) {
    context.Problem(Cat("--laplace_trace_out: the run of ", source, " kept no trace to write"));
    return;
  }
  trace_export::TraceRecording recording = *report.recording;
  recording.title = context.property.name;
  recording.source = source;
  const trace_export::TraceFormat format = TraceOutFormat(settings);
  absl::Status written =
      WriteTextFile(settings.trace_out, ExportTrace(recording, format, settings.trace_filter));
  if (!written.ok()) {
    context.Problem(Cat("--laplace_trace_out: ", written.message()));
    return;
  }
  context.Note(Cat("wrote the ", trace_export::TraceFormatName(format), " trace of ", source,
                   " to ", settings.trace_out));
}

}  // namespace laplace::properties::internal
