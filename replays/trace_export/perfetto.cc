#include "replays/trace_export/perfetto.h"

#include <string_view>
#include <vector>

#include "base/strings.h"
#include "replays/trace_export/internal/json.h"
#include "replays/trace_export/layout.h"

namespace laplace::replays::trace_export {
namespace {

using internal::FixedMicros;
using internal::JsonString;
using ::laplace::internal::Append;
using ::laplace::internal::Cat;

std::string Shortened(std::string_view text) {
  constexpr size_t kNameMax = 72;
  return text.size() <= kNameMax ? std::string(text) : Cat(text.substr(0, kNameMax - 3), "...");
}

class Writer {
 public:
  Writer(const TraceRecording& recording, const Layout& layout)
      : recording_(recording), layout_(layout) {}

  std::string Json() {
    out_ = "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"test\":";
    Append(out_, JsonString(recording_.title), ",\"source\":", JsonString(recording_.source),
           ",\"failure\":", JsonString(recording_.failure),
           ",\"signature\":", JsonString(recording_.signature),
           ",\"digest\":", JsonString(internal::Hex16(recording_.digest)), "},\"traceEvents\":[");
    Names();
    for (const Step& step : layout_.steps) Slice(step);
    for (size_t p = 0; p < recording_.events.size(); ++p) Instant(p);
    for (size_t a = 0; a < layout_.arrows.size(); ++a) Flow(a);
    out_ += "\n]}\n";
    return std::move(out_);
  }

 private:
  static uint32_t Pid(uint32_t group) { return group + 1; }
  static size_t Tid(size_t lane) { return lane + 1; }

  void Begin(std::string_view phase, size_t lane) {
    const Lane& where = layout_.lanes[lane];
    Append(out_, first_ ? "\n" : ",\n", "{\"ph\":\"", phase, "\",\"pid\":", Pid(where.group),
           ",\"tid\":", Tid(lane));
    first_ = false;
  }

  int64_t DisplayOf(uint64_t index) const {
    return layout_.display_ns[index - recording_.events.front().index];
  }

  void Names() {
    uint32_t named_group = UINT32_MAX;
    for (size_t lane = 0; lane < layout_.lanes.size(); ++lane) {
      const Lane& where = layout_.lanes[lane];
      if (where.group != named_group) {
        named_group = where.group;
        Begin("M", lane);
        Append(out_, ",\"name\":\"process_name\",\"args\":{\"name\":",
               JsonString(recording_.GroupName(where.group)), "}}");
        Begin("M", lane);
        Append(out_, ",\"name\":\"process_sort_index\",\"args\":{\"sort_index\":", where.group,
               "}}");
      }
      Begin("M", lane);
      Append(out_, ",\"name\":\"thread_name\",\"args\":{\"name\":",
             JsonString(where.task == 0 ? Cat(where.name, " (node)") : where.name), "}}");
      Begin("M", lane);
      Append(out_, ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":", lane, "}}");
    }
  }

  void Slice(const Step& step) {
    const uint64_t first = recording_.events.front().index;
    Begin("X", step.lane);
    const bool failing =
        layout_.failing_step.has_value() && &layout_.steps[*layout_.failing_step] == &step;
    Append(out_, ",\"cat\":\"", failing ? "step,failing" : "step",
           "\",\"name\":", JsonString(Shortened(Untimed(recording_.lines[step.first - first]))),
           ",\"ts\":", FixedMicros(step.begin_ns),
           ",\"dur\":", FixedMicros(step.end_ns - step.begin_ns), ",\"args\":{\"virtual time\":",
           JsonString(FormatTime(recording_.events[step.first - first].time)),
           ",\"first event\":", step.first, ",\"events\":[");
    for (uint64_t index = step.first; index <= step.last; ++index) {
      if (layout_.lane_of[index - first] != step.lane) continue;  // another lane's, meanwhile
      Append(out_, index == step.first ? "" : ",",
             JsonString(Cat("#", index, " ", recording_.lines[index - first])));
    }
    out_ += "]}}";
  }

  // Faults, crashes and the failure also get an instant: a crash marks its
  // whole node, the failure the whole trace.
  void Instant(size_t p) {
    const TraceEvent& event = recording_.events[p];
    const bool failure = event.kind == EventKind::kFailure;
    if (!failure && !IsFaultEvent(event)) return;
    const bool crash = event.kind == EventKind::kNote && event.links.note == NoteKind::kCrash;
    Begin("i", layout_.lane_of[p]);
    Append(out_, ",\"cat\":\"", failure ? "failure" : "fault", "\",\"s\":\"",
           failure ? "g"
           : crash ? "p"
                   : "t",
           "\",\"name\":", JsonString(Shortened(Untimed(recording_.lines[p]))),
           ",\"ts\":", FixedMicros(layout_.display_ns[p]),
           ",\"args\":{\"event\":", JsonString(Cat("#", event.index, " ", recording_.lines[p])),
           "}}");
  }

  // A flow arrow: its start binds to the slice around the cause, its end
  // ("bp":"e") to the slice around the effect.
  void Flow(size_t a) {
    const Arrow& arrow = layout_.arrows[a];
    const uint64_t first = recording_.events.front().index;
    const std::string name(EdgeKindName(arrow.kind));
    for (auto [phase, index] : {std::pair{"s", arrow.from}, std::pair{"f", arrow.to}}) {
      Begin(phase, layout_.lane_of[index - first]);
      Append(out_, ",\"cat\":\"", name, "\",\"name\":\"", name, "\",\"id\":", a + 1,
             std::string_view(phase) == "f" ? ",\"bp\":\"e\"" : "",
             ",\"ts\":", FixedMicros(DisplayOf(index)), "}");
    }
  }

  const TraceRecording& recording_;
  const Layout& layout_;
  std::string out_;
  bool first_ = true;
};

}  // namespace

std::string PerfettoJson(const TraceRecording& recording) {
  Layout layout = LayOut(recording);
  return Writer(recording, layout).Json();
}

}  // namespace laplace::replays::trace_export
