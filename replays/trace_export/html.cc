#include "replays/trace_export/html.h"

#include <string_view>

#include "base/strings.h"
#include "replays/trace_export/internal/json.h"
#include "replays/trace_export/internal/viewer_assets.h"
#include "replays/trace_export/layout.h"

namespace laplace::replays::trace_export {
namespace {

using internal::AppendJsonString;
using internal::JsonString;
using ::laplace::internal::Append;
using ::laplace::internal::Cat;

// Event flags, as viewer.js reads them.
constexpr int kFault = 1, kCrash = 2, kFailure = 4, kChain = 8, kDropped = 16;

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

int FlagsOf(const TraceEvent& event, const Chain& chain) {
  int flags = 0;
  if (IsFaultEvent(event)) flags |= kFault;
  if (event.kind == EventKind::kNote && event.links.note == NoteKind::kCrash) flags |= kCrash;
  if (event.kind == EventKind::kNote && event.links.note == NoteKind::kMessageDropped) {
    flags |= kDropped;
  }
  if (event.kind == EventKind::kFailure) flags |= kFailure;
  if (chain.contains(event.index)) flags |= kChain;
  return flags;
}

void AppendStrings(std::string& out, const std::vector<std::string>& strings) {
  out += "[";
  for (size_t i = 0; i < strings.size(); ++i) {
    if (i > 0) out += ",";
    AppendJsonString(out, strings[i]);
  }
  out += "]";
}

// Everything viewer.js draws, as one JSON object.
std::string Data(const TraceRecording& recording, const Layout& layout,
                 const TraceFilter& initial) {
  std::string out = "{\"groups\":{";
  bool first = true;
  for (const auto& [group, name] : recording.group_names) {
    Append(out, first ? "" : ",", "\"", group, "\":", JsonString(name));
    first = false;
  }
  out += "},\"lanes\":[";
  for (size_t i = 0; i < layout.lanes.size(); ++i) {
    const Lane& lane = layout.lanes[i];
    Append(out, i == 0 ? "" : ",", "[", JsonString(lane.name), ",", lane.group, ",", lane.task,
           "]");
  }
  out += "],\"events\":[";
  for (size_t p = 0; p < recording.events.size(); ++p) {
    const TraceEvent& event = recording.events[p];
    Append(out, p == 0 ? "\n" : ",\n", "[", event.index, ",", layout.lane_of[p], ",",
           layout.display_ns[p], ",", JsonString(FormatTime(event.time)), ",",
           JsonString(Untimed(recording.lines[p])), ",", FlagsOf(event, layout.chain), "]");
  }
  out += "],\"steps\":[";
  const uint64_t first_index = recording.events.empty() ? 0 : recording.events.front().index;
  for (size_t s = 0; s < layout.steps.size(); ++s) {
    const Step& step = layout.steps[s];
    bool in_chain = false;
    for (uint64_t i = step.first; i <= step.last && !in_chain; ++i) {
      in_chain = layout.lane_of[i - first_index] == step.lane && layout.chain.contains(i);
    }
    Append(out, s == 0 ? "\n" : ",\n", "[", step.lane, ",", step.first, ",", step.last, ",",
           step.begin_ns, ",", step.end_ns, ",", in_chain ? 1 : 0, "]");
  }
  out += "],\"arrows\":[";
  for (size_t a = 0; a < layout.arrows.size(); ++a) {
    const Arrow& arrow = layout.arrows[a];
    Append(out, a == 0 ? "" : ",", "[", arrow.from, ",", arrow.to, ",",
           JsonString(EdgeKindName(arrow.kind)), "]");
  }
  out += "],\"chain\":[";
  for (size_t i = 0; i < layout.chain.events.size(); ++i) {
    Append(out, i == 0 ? "" : ",", layout.chain.events[i]);
  }
  Append(out, "],\"failing\":{\"event\":",
         layout.failing_event.has_value() ? Cat(*layout.failing_event) : "null",
         ",\"step\":", layout.failing_step.has_value() ? Cat(*layout.failing_step) : "null",
         "},\"filter\":{\"nodes\":");
  AppendStrings(out, initial.nodes);
  out += ",\"tasks\":";
  AppendStrings(out, initial.tasks);
  out += "}}";
  return out;
}

constexpr char kControls[] = R"(<div id="controls">
<button id="zoom-in" title="zoom in">+</button><button id="zoom-out" title="zoom out">&minus;</button>
<button id="zoom-fit">fit</button><button id="zoom-failure">the failure</button>
<label>lanes: <input id="filter" type="text" placeholder="node or task names, comma-separated"></label>
<label><input id="show-message" type="checkbox" checked> messages</label>
<label><input id="show-wake" type="checkbox" checked> wake-ups</label>
<label><input id="show-other" type="checkbox" checked> crashes and faults</label>
<span>ctrl+wheel zooms; hover for details</span>
</div>
<div id="view"><svg id="labels" xmlns="http://www.w3.org/2000/svg"></svg>
<div id="scroller"><svg id="chart" xmlns="http://www.w3.org/2000/svg"></svg></div></div>
)";

}  // namespace

std::string HtmlPage(const TraceRecording& recording, const TraceFilter& initial) {
  const Layout layout = LayOut(recording, {.share_lanes = true});
  const std::string title = recording.title.empty() ? "a Laplace run" : recording.title;
  std::string page =
      Cat("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n", "<title>",
          HtmlEscape(title), " - Laplace trace</title>\n<style>\n", internal::kViewerStyle,
          "</style></head>\n<body>\n<header><h1>", HtmlEscape(title), "</h1>\n");
  if (!recording.source.empty()) {
    Append(page, "<div id=\"source\">", HtmlEscape(recording.source), "</div>\n");
  }
  Append(page, "<div id=\"digest\">trace digest ", internal::Hex16(recording.digest), ", ",
         recording.events.size(), " events</div>\n");
  if (recording.failure.empty()) {
    Append(page, "<pre id=\"failure\" class=\"passed\">the run passed</pre>\n");
  } else {
    Append(page, "<pre id=\"failure\">", HtmlEscape(recording.failure), "</pre>\n");
  }
  Append(page, "</header>\n", kControls, "<div id=\"story-box\">");
  if (layout.failing_event.has_value()) {
    Append(page, "<b>The failure's causal chain</b>: ", layout.chain.events.size() - 1, " of the ",
           layout.chain.ancestors,
           " events it depends on: the latest, the faults before it and what they did");
  } else {
    page += "No failure, so no causal chain.";
  }
  Append(page, "<ol id=\"story\"></ol></div>\n",
         "<script type=\"application/json\" id=\"trace-data\">", Data(recording, layout, initial),
         "</script>\n<script>\n", internal::kViewerScript, "</script>\n</body></html>\n");
  return page;
}

}  // namespace laplace::replays::trace_export
