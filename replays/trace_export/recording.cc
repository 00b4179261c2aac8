#include "replays/trace_export/recording.h"

#include <algorithm>
#include <utility>

#include "base/strings.h"
#include "loop/causality.h"

namespace laplace::replays::trace_export {
namespace {

using ::laplace::internal::Cat;

bool MatchesNode(const TraceRecording& recording, const std::string& wanted, uint32_t group) {
  return wanted == recording.GroupName(group) || wanted == Cat(group);
}

bool MatchesTask(const TraceRecording& recording, const std::string& wanted, TaskId task) {
  if (task == 0) return false;
  if (wanted == Cat("#", task)) return true;
  auto it = recording.task_labels.find(task);
  if (it == recording.task_labels.end()) return false;
  const std::string& label = it->second;
  return label == wanted || label.rfind(wanted + "/", 0) == 0;
}

}  // namespace

std::optional<uint64_t> TraceRecording::FailingEvent() const {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->kind == EventKind::kFailure) return it->index;
  }
  return std::nullopt;
}

std::string TraceRecording::TaskName(TaskId task) const {
  auto it = task_labels.find(task);
  return it != task_labels.end() ? it->second : Cat("task #", task);
}

std::string TraceRecording::GroupName(uint32_t group) const {
  if (group == 0) return "world";
  auto it = group_names.find(group);
  return it != group_names.end() ? it->second : Cat("node ", group);
}

TraceRecording RecordingOf(const Loop& loop, std::vector<TraceEvent> events) {
  TraceRecording recording;
  recording.lines.reserve(events.size());
  for (const TraceEvent& event : events) recording.lines.push_back(loop.FormatEvent(event));
  recording.events = std::move(events);
  recording.task_labels = loop.task_labels();
  recording.group_names = loop.group_names();
  recording.digest = loop.digest();
  return recording;
}

std::string_view Untimed(std::string_view line) {
  size_t space = line.find(' ');
  return space == std::string_view::npos ? line : line.substr(space + 1);
}

std::string_view TraceFormatName(TraceFormat format) {
  switch (format) {
    case TraceFormat::kText:
      return "text";
    case TraceFormat::kPerfetto:
      return "perfetto";
    case TraceFormat::kHtml:
      return "html";
  }
  return "text";
}

absl::StatusOr<TraceFormat> ParseTraceFormat(std::string_view name) {
  for (TraceFormat format : {TraceFormat::kText, TraceFormat::kPerfetto, TraceFormat::kHtml}) {
    if (name == TraceFormatName(format)) return format;
  }
  return absl::InvalidArgumentError(
      Cat("unknown trace format '", name, "'; expected text, perfetto or html"));
}

std::string_view TraceFormatExtension(TraceFormat format) {
  switch (format) {
    case TraceFormat::kText:
      return ".txt";
    case TraceFormat::kPerfetto:
      return ".perfetto.json";
    case TraceFormat::kHtml:
      return ".html";
  }
  return ".txt";
}

bool Shows(const TraceRecording& recording, const TraceFilter& filter, const TraceEvent& event) {
  if (!filter.nodes.empty() &&
      std::none_of(filter.nodes.begin(), filter.nodes.end(), [&](const std::string& node) {
        return MatchesNode(recording, node, event.links.group);
      })) {
    return false;
  }
  if (filter.tasks.empty()) return true;
  const TaskId actor = ActorOf(event).task;
  return std::any_of(filter.tasks.begin(), filter.tasks.end(), [&](const std::string& task) {
    return MatchesTask(recording, task, actor) || MatchesTask(recording, task, event.task);
  });
}

}  // namespace laplace::replays::trace_export
