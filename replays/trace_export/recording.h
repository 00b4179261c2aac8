// TraceRecording: one run's whole trace as the trace exporters read it.
//
// Only the binary that owns a program can rerun it, so the test binary
// (properties/) makes a recording of a replay or a seed and hands it to an
// exporter (text.h, perfetto.h, html.h). A recording is plain data: every
// event with its links (loop/trace.h), the words for each event, and the
// names of tasks and nodes, so exporting needs no Loop.
//
//   TraceRecording recording = RecordingOf(loop, loop.trace().events());
//   recording.title = "Bank.Transfers";
//   std::string page = HtmlPage(recording);
#ifndef LAPLACE_REPLAYS_TRACE_EXPORT_RECORDING_H_
#define LAPLACE_REPLAYS_TRACE_EXPORT_RECORDING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/statusor.h"
#include "loop/loop.h"
#include "loop/trace.h"

namespace laplace::replays::trace_export {

struct TraceRecording {
  std::string title;      // the test's name, "Suite.Test"
  std::string source;     // where the run came from: a replay file, "seed 7"
  std::string failure;    // the failure's text, "" when the run passed
  std::string signature;  // the failure's signature, "" when it passed
  uint64_t digest = 0;
  // Every event of the run, consecutive indices, oldest first.
  std::vector<TraceEvent> events;
  // Loop::FormatEvent of each event ("t=5ms client/put resumed after ...").
  std::vector<std::string> lines;
  absl::btree_map<TaskId, std::string> task_labels;
  absl::btree_map<uint32_t, std::string> group_names;

  // The event that reports the failure (the last kFailure), if any.
  std::optional<uint64_t> FailingEvent() const;
  // "client/put" or "task #4".
  std::string TaskName(TaskId task) const;
  // "backup", "node 3", or "world" for group 0.
  std::string GroupName(uint32_t group) const;
};

// A recording of `events` (as the Loop's trace kept them) with the Loop's
// words and names. The rest (title, failure, ...) is the caller's to fill.
TraceRecording RecordingOf(const Loop& loop, std::vector<TraceEvent> events);

// A trace line without its time: "t=5ms client/put resumed" -> "client/put resumed".
std::string_view Untimed(std::string_view line);

// The three exports.
enum class TraceFormat { kText, kPerfetto, kHtml };

// "text", "perfetto", "html".
std::string_view TraceFormatName(TraceFormat format);
// Parses a name of TraceFormatName; kInvalidArgument naming what is accepted.
absl::StatusOr<TraceFormat> ParseTraceFormat(std::string_view name);
// The usual file name ending of a format: ".txt", ".perfetto.json", ".html".
std::string_view TraceFormatExtension(TraceFormat format);

// Which events a text trace (or the HTML page's initial view) shows: those
// of the named nodes (group names, or numbers) and tasks (labels, a label's
// prefix up to a '/', or "#id"); empty lists mean all.
struct TraceFilter {
  std::vector<std::string> nodes;
  std::vector<std::string> tasks;

  bool empty() const { return nodes.empty() && tasks.empty(); }
};

// Whether `event` passes `filter` in `recording`.
bool Shows(const TraceRecording& recording, const TraceFilter& filter, const TraceEvent& event);

}  // namespace laplace::replays::trace_export

#endif  // LAPLACE_REPLAYS_TRACE_EXPORT_RECORDING_H_
