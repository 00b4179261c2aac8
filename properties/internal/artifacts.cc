// What a found failure leaves behind for CI: its files in TEST_UNDECLARED_OUTPUTS_DIR and its
// facts for the JUnit XML.
#include <filesystem>
#include <string>
#include <vector>

#include "base/strings.h"
#include "properties/internal/pipeline_context.h"
#include "replays/replay_file.h"
#include "replays/trace_export/recording.h"

namespace laplace::properties::internal {
namespace {

namespace fs = std::filesystem;
namespace trace_export = replays::trace_export;
using laplace::internal::Cat;

// A test name as a file name: "Suite.Test" stays, anything unusual becomes '_'.
std::string FileNameOf(const std::string& test_name) {
  std::string name = test_name.empty() ? "laplace" : test_name;
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    if (!plain) c = '_';
  }
  return name;
}

}  // namespace

void WriteArtifacts(const PipelineContext& context, FoundFailure& failure) {
  const std::string& directory = context.settings.corpus.test_undeclared_outputs_dir;
  if (!context.settings.artifacts || directory.empty()) return;
  const replays::Replay file =
      MakeReplay(failure.found,
                 context.options.expect_failure ? replays::EXPECT_FAILURE : replays::EXPECT_PASS);
  const std::string base = (fs::path(directory) / FileNameOf(context.property.name)).string();
  std::vector<std::string> problems;
  const std::string replay_path = base + ".replay.textpb";
  absl::Status replay_written = replays::WriteReplayFileAtomically(replay_path, file);
  if (replay_written.ok()) {
    failure.artifacts.push_back(replay_path);
  } else {
    problems.push_back(std::string(replay_written.message()));
  }
  RunOptions run = context.Run("writing the failure's artifacts");
  run.record_trace = true;
  absl::StatusOr<RunReport> rerun = RerunReplay(context, file, run);
  if (!rerun.ok() || rerun->recording == nullptr) {
    problems.push_back(rerun.ok() ? "the rerun kept no trace"
                                  : std::string(rerun.status().message()));
  } else {
    trace_export::TraceRecording recording = *rerun->recording;
    recording.title = context.property.name;
    recording.source = failure.replay_path.empty() ? failure.how_found : failure.replay_path;
    for (trace_export::TraceFormat format :
         {trace_export::TraceFormat::kText, trace_export::TraceFormat::kHtml,
          trace_export::TraceFormat::kPerfetto}) {
      const std::string path =
          Cat(base, format == trace_export::TraceFormat::kPerfetto ? "" : ".trace",
              trace_export::TraceFormatExtension(format));
      absl::Status written = WriteTextFile(path, ExportTrace(recording, format, {}));
      if (written.ok()) {
        failure.artifacts.push_back(path);
      } else {
        problems.push_back(std::string(written.message()));
      }
    }
  }
  for (const std::string& problem : problems) {
    context.Note(Cat("could not leave an artifact in ", directory, ": ", problem));
  }
}

void RecordResultProperties(const PipelineContext& context) {
  PropertyResult& result = context.result;
  if (!context.settings.artifacts || !result.failure.has_value()) return;
  const FoundFailure& failure = *result.failure;
  auto add = [&result](std::string name, std::string value) {
    result.report_properties.emplace_back(std::move(name), std::move(value));
  };
  add("laplace_seed", Cat(failure.found.seed, ":", failure.found.size));
  add("laplace_base_seed", Cat(result.base_seed));
  add("laplace_signature",
      failure.found.report.failure.has_value() ? failure.found.report.failure->signature() : "");
  add("laplace_strategy", failure.found.strategy);
  add("laplace_replay", failure.replay_path);
  if (!failure.artifacts.empty()) {
    add("laplace_artifacts", fs::path(failure.artifacts.front()).parent_path().string());
  }
}

}  // namespace laplace::properties::internal
