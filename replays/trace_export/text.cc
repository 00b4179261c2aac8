#include "replays/trace_export/text.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "base/strings.h"
#include "loop/causality.h"

namespace laplace::replays::trace_export {
namespace {

using ::laplace::internal::Append;
using ::laplace::internal::Cat;

std::string FilterText(const TraceFilter& filter) {
  std::string text;
  for (const std::string& node : filter.nodes)
    Append(text, text.empty() ? "" : ", ", "node ", node);
  for (const std::string& task : filter.tasks)
    Append(text, text.empty() ? "" : ", ", "task ", task);
  return text;
}

// "  <- #12 wake, #9 message" for the causes other than program order.
std::string Causes(const CausalGraph& graph, uint64_t index) {
  std::string text;
  for (const CausalEdge& edge : graph.causes(index)) {
    if (edge.kind == EdgeKind::kProgramOrder) continue;
    Append(text, text.empty() ? "  <- " : ", ", "#", edge.from, " ", EdgeKindName(edge.kind));
  }
  return text;
}

// A line of the chain: one line, whatever the event's text holds.
std::string OneLine(std::string line) {
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  return line;
}

// The failure that stopped the run: a task unwinding from a failed assertion records another
// after it ("... threw ... and no one awaits it").
std::optional<uint64_t> FirstFailure(const TraceRecording& recording) {
  for (const TraceEvent& event : recording.events) {
    if (event.kind == EventKind::kFailure) return event.index;
  }
  return std::nullopt;
}

// At most this many names are listed after a filter name that matched nothing.
constexpr size_t kNamesListedMax = 30;

// "a, b, c" (the first kNamesListedMax, then "and N more"), each name once, in `names`' order.
std::string NameList(const std::vector<std::string>& names) {
  std::vector<std::string> distinct;
  for (const std::string& name : names) {
    if (std::find(distinct.begin(), distinct.end(), name) == distinct.end()) {
      distinct.push_back(name);
    }
  }
  if (distinct.empty()) return "(none)";
  std::string text;
  for (size_t i = 0; i < distinct.size() && i < kNamesListedMax; ++i) {
    Append(text, i == 0 ? "" : ", ", distinct[i]);
  }
  if (distinct.size() > kNamesListedMax) {
    Append(text, " and ", distinct.size() - kNamesListedMax, " more");
  }
  return text;
}

// A note for each name of `filter` that matches no event of the run (a typo, or a name of
// another run), listing the names that do appear, so that "0 shown" is never silent.
std::string UnmatchedNames(const TraceRecording& recording, const TraceFilter& filter) {
  auto matches_any = [&](const TraceFilter& one) {
    return std::any_of(recording.events.begin(), recording.events.end(),
                       [&](const TraceEvent& event) { return Shows(recording, one, event); });
  };
  std::string text;
  for (const std::string& node : filter.nodes) {
    if (matches_any({.nodes = {node}})) continue;
    std::vector<std::string> names;
    for (const auto& [group, name] : recording.group_names) names.push_back(name);
    Append(text, "# no event is of node '", node, "'; the nodes of this run: ", NameList(names),
           " (or their numbers)\n");
  }
  for (const std::string& task : filter.tasks) {
    if (matches_any({.tasks = {task}})) continue;
    std::vector<std::string> names;
    for (const auto& [id, label] : recording.task_labels) names.push_back(label);
    Append(text, "# no event is of task '", task, "'; the tasks of this run: ", NameList(names),
           " (a label, its prefix up to a '/', or #id)\n");
  }
  return text;
}

}  // namespace

std::string TextTrace(const TraceRecording& recording, const TraceFilter& filter) {
  const CausalGraph graph(recording.events);
  std::string out =
      Cat("# Laplace trace of ", recording.title.empty() ? "a run" : recording.title, "\n");
  if (!recording.source.empty()) Append(out, "# source:  ", recording.source, "\n");
  if (!recording.failure.empty()) Append(out, "# failure: ", recording.failure, "\n");
  size_t shown = 0;
  std::string body;
  for (size_t p = 0; p < recording.events.size(); ++p) {
    const TraceEvent& event = recording.events[p];
    if (!Shows(recording, filter, event)) continue;
    ++shown;
    Append(body, "#", event.index, " ", recording.lines[p], Causes(graph, event.index), "\n");
  }
  Append(out, "# ", recording.events.size(), " events");
  if (!filter.empty()) Append(out, ", ", shown, " shown (", FilterText(filter), ")");
  Append(out, "\n", UnmatchedNames(recording, filter), body);
  std::optional<uint64_t> failing = recording.FailingEvent();
  if (!failing.has_value()) return out;
  const Chain chain = CausalChain(graph, *failing);
  Append(out, "# causal chain of #", *failing, " (", chain.events.size() - 1, " of the ",
         chain.ancestors, " events it depends on):\n");
  const uint64_t first = recording.events.front().index;
  for (uint64_t index : chain.events) {
    if (!Shows(recording, filter, recording.events[index - first])) continue;
    Append(out, "#", index, " ", recording.lines[index - first], "\n");
  }
  return out;
}

std::string ChainHeading(size_t events, uint64_t ancestors) {
  if (ancestors + 1 <= events) return Cat("causal chain of the failure (", events, " events):");
  return Cat("causal chain of the failure (", events, " events, the most telling of the ",
             ancestors, " it depends on):");
}

ChainStory FailureChain(const TraceRecording& recording, size_t events_max) {
  ChainStory story;
  if (recording.events.empty()) return story;
  const CausalGraph graph(recording.events);
  const uint64_t target = FirstFailure(recording).value_or(recording.events.back().index);
  const Chain chain = CausalChain(graph, target, {.events_max = events_max});
  story.ancestors = chain.ancestors;
  const uint64_t first = recording.events.front().index;
  for (uint64_t index : chain.events) {
    story.lines.push_back(
        OneLine(Cat("#", index, " ", recording.lines[index - first], Causes(graph, index))));
  }
  return story;
}

}  // namespace laplace::replays::trace_export
