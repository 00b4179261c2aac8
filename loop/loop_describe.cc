// The Loop's words: outcome names, run reports, what a task waits on, and trace lines.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "loop/loop.h"

namespace laplace {
namespace {

constexpr std::string_view kOutcomeNames[] = {"idle",
                                              "completed",
                                              "time reached",
                                              "deadlock",
                                              "step budget exhausted",
                                              "time budget exhausted",
                                              "spin (no progress in virtual time)",
                                              "task failed",
                                              "replay divergence",
                                              "stopped",
                                              "task budget exhausted",
                                              "frame budget exhausted"};

}  // namespace

std::string_view RunOutcomeName(RunOutcome outcome) {
  auto index = static_cast<size_t>(outcome);
  LAPLACE_CHECK(index < std::size(kOutcomeNames)) << "unknown RunOutcome " << index;
  return kOutcomeNames[index];
}

std::string RunResult::ToString() const {
  std::string text =
      internal::Cat(RunOutcomeName(outcome), " at ", FormatTime(time), " after ", steps, " steps");
  if (!message.empty()) internal::Append(text, ": ", message);
  for (const BlockedTask& task : blocked) {
    internal::Append(text, "\n  task #", task.id);
    if (!task.label.empty()) internal::Append(text, " '", task.label, "'");
    if (task.daemon) internal::Append(text, " (daemon)");
    internal::Append(text, " waits on ", task.waiting_on);
  }
  return text;
}

// ---- Describing ----

std::string Loop::DescribeTask(TaskId task) const {
  std::string_view name = label(task);
  return name.empty() ? internal::Cat("task #", task)
                      : internal::Cat("task #", task, " '", name, "'");
}

std::string Loop::DescribeObject(WaitKind kind, uint64_t object_id) const {
  if (kind == WaitKind::kJoin) return DescribeTask(object_id);
  auto it = object_labels_.find(object_id);
  if (it != object_labels_.end()) return internal::Cat(WaitKindName(kind), " '", it->second, "'");
  return internal::Cat(WaitKindName(kind), " #", object_id);
}

std::string Loop::DescribeWait(const internal::TaskRecord& task) const {
  switch (task.state) {
    case internal::TaskState::kParked:
      if (task.held) return "being unparked (held by Loop::ParkTask)";
      return internal::Cat("its group ", task.group, " being resumed (paused)");
    case internal::TaskState::kReady:
      return "nothing (ready)";
    default:
      break;
  }
  if (task.wait_target != nullptr) return task.wait_target->Describe();
  if (task.wait_object != 0 && task.wait_kind != WaitKind::kSleep) {
    return DescribeObject(task.wait_kind, task.wait_object) + " (destroyed)";
  }
  return std::string(WaitKindName(task.wait_kind));
}

void Loop::AppendResource(std::string& line, uint64_t resource) const {
  auto it = resource_names_.find(resource);
  internal::Append(line, " (to touch '", it == resource_names_.end() ? "?" : it->second, "')");
}

void Loop::AppendWaitEvent(std::string& line, std::string_view who, const TraceEvent& event) const {
  auto wait = static_cast<WaitKind>(event.a);
  if (event.kind == EventKind::kResume) {
    if (wait == WaitKind::kStart) {
      internal::Append(line, who, " started");
    } else if (wait == WaitKind::kYield || wait == WaitKind::kSleep) {
      internal::Append(line, who, " resumed after ", WaitKindName(wait));
      if (wait == WaitKind::kYield && event.b != 0) AppendResource(line, event.b);
    } else {
      internal::Append(line, who, " resumed after ", DescribeObject(wait, event.b));
    }
    return;
  }
  if (wait == WaitKind::kYield) {
    internal::Append(line, who, " yields");
    if (event.b != 0) AppendResource(line, event.b);
  } else if (wait == WaitKind::kSleep) {
    internal::Append(line, who, " sleeps until ",
                     FormatTime(Time(Duration(static_cast<int64_t>(event.b)))));
  } else {
    internal::Append(line, who, " waits on ", DescribeObject(wait, event.b));
  }
}

std::string Loop::FormatEvent(const TraceEvent& event) const {
  std::string who;
  if (event.task != 0) {
    std::string_view name = label(event.task);
    who = name.empty() ? internal::Cat("#", event.task) : std::string(name);
  }
  std::string line = FormatTime(event.time) + " ";
  switch (event.kind) {
    case EventKind::kSpawn:
      internal::Append(line, who, " spawned");
      if (event.a != 0) internal::Append(line, " by ", DescribeTask(event.a));
      break;
    case EventKind::kResume:
    case EventKind::kSuspend:
      AppendWaitEvent(line, who, event);
      break;
    case EventKind::kFinish:
      internal::Append(line, who, event.a == 0 ? " finished" : " finished by throwing");
      break;
    case EventKind::kCancel:
      internal::Append(line, who, " cancelled");
      if (event.a != 0) internal::Append(line, " by ", DescribeTask(event.a));
      break;
    case EventKind::kTimerFire:
      if (event.task != 0) {
        internal::Append(line, "timer wakes ", who);
      } else {
        internal::Append(line, "callback timer #", event.a, " fires");
      }
      break;
    case EventKind::kResolve: {
      static constexpr std::string_view kHow[] = {"with a value", "with an error", "broken"};
      internal::Append(line, DescribeObject(WaitKind::kFuture, event.a), " resolved ",
                       kHow[std::min<uint64_t>(event.b, 2)]);
      if (!who.empty()) internal::Append(line, " by ", who);
      break;
    }
    case EventKind::kDeadlock:
      internal::Append(line, "deadlock: ", event.a, " task(s) blocked");
      break;
    case EventKind::kNote:
      internal::Append(line, who.empty() ? "" : who + ": ", event.text);
      break;
    case EventKind::kFailure:
      internal::Append(line, "FAILURE: ", event.text);
      break;
  }
  return line;
}

std::string Loop::FormatTrace(const std::vector<TraceEvent>& events) const {
  std::string text;
  for (const TraceEvent& event : events) internal::Append(text, FormatEvent(event), "\n");
  return text;
}

}  // namespace laplace
