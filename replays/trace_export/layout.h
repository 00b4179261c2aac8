// Layout: where each event of a recording goes in a picture of the run, the
// geometry the Perfetto and HTML exports share.
//
// Lanes come grouped by node (task group): first the node's own lane (what
// happens to the node: deliveries, drops and crashes, callbacks' work for
// it), then a lane per task whose home is that node; group 0 is "world" (the
// test body, the Loop, tasks of no node). The horizontal axis is virtual
// time, with two adjustments so that a picture can show a run: events of
// one instant sit side by side, kEventGapNs apart, and an idle stretch
// longer than kIdleGapMaxNs is drawn kIdleGapMaxNs long (labels and
// tooltips always give the real virtual time).
//
//   Layout layout = LayOut(recording);
//   for (const Step& step : layout.steps) Draw(layout.lanes[step.lane], step.begin_ns, ...);
#ifndef LAPLACE_REPLAYS_TRACE_EXPORT_LAYOUT_H_
#define LAPLACE_REPLAYS_TRACE_EXPORT_LAYOUT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loop/causality.h"
#include "replays/trace_export/recording.h"

namespace laplace::replays::trace_export {

// Display spacing of two events at the same virtual instant.
inline constexpr int64_t kEventGapNs = 100;
// The longest an idle stretch (no event) is drawn.
inline constexpr int64_t kIdleGapMaxNs = 1'000'000;

struct Lane {
  uint32_t group = 0;
  TaskId task = 0;   // 0: the node's own lane; else its (first) task
  std::string name;  // "backup" (a node lane), "backup/main" (a task lane)
};

struct LayoutOptions {
  // Tasks of one node with the same label whose lives do not overlap share
  // a lane (a request handler spawned per request is one lane, not
  // hundreds); tasks alive at once get lanes "label", "label 2", ...
  bool share_lanes = false;
};

// A slice of a lane: a task's step (from its resume to its suspension,
// finish or cancellation, with what it did in between), or one event of a
// node lane or outside any step.
struct Step {
  size_t lane = 0;
  uint64_t first = 0;  // event indices, inclusive
  uint64_t last = 0;
  int64_t begin_ns = 0;  // display time
  int64_t end_ns = 0;
};

// An arrow: a message or a fault's effect (edges of loop/causality.h), or a
// wake-up, a join or a cancellation between two lanes.
struct Arrow {
  uint64_t from = 0;
  uint64_t to = 0;
  EdgeKind kind = EdgeKind::kMessage;
};

struct Layout {
  CausalGraph graph = CausalGraph({});  // of the recording's events
  std::vector<Lane> lanes;
  std::vector<size_t> lane_of;      // per event (position in recording.events)
  std::vector<int64_t> display_ns;  // per event
  std::vector<size_t> step_of;      // per event: its Step
  std::vector<Step> steps;          // in the order they begin
  std::vector<Arrow> arrows;
  // The failure event, the step whose work it reports (for a failed
  // invariant: the step just before the check), and its causal chain.
  std::optional<uint64_t> failing_event;
  std::optional<size_t> failing_step;
  Chain chain;
};

// Lays out `recording` (whose events must be consecutive).
Layout LayOut(const TraceRecording& recording, const LayoutOptions& options = {});

}  // namespace laplace::replays::trace_export

#endif  // LAPLACE_REPLAYS_TRACE_EXPORT_LAYOUT_H_
