#include "replays/trace_export/text.h"

#include <optional>

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
  Append(out, "\n", body);
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
