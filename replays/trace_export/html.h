// The HTML export: one self-contained page that shows a run (no network, no
// external script or style; open it from disk in any browser).
//
// At the top, the test, where the run came from and the failure's text.
// Below, lanes per node and task on a virtual-time axis (layout.h): a box
// per step, messages and wake-ups as arrows (a lost message dashed red),
// faults as diamonds (crashes larger), the failure as a red line; the failing
// step is red and its causal chain (loop/causality.h) orange, and the chain
// is listed as a story under the lanes (click a line to zoom to it). Zoom
// with the buttons or ctrl+wheel; filter lanes by node or task name; the
// address's "#focus=EVENT&zoom=N" opens zoomed on an event, "#focus=A-B" on
// events A to B (window.laplaceViewer.focus/focusRange do the same).
//
// For tests, the page sets attributes: on <svg id="chart"> data-lanes,
// data-arrows, data-messages, data-dropped, data-faults, data-crashes,
// data-chain, data-failing-event, data-failing-step-lane; on <body>
// data-rendered="1" once drawn and data-errors (script errors seen).
//
//   std::string page = HtmlPage(recording, {.nodes = {"backup"}});
#ifndef LAPLACE_REPLAYS_TRACE_EXPORT_HTML_H_
#define LAPLACE_REPLAYS_TRACE_EXPORT_HTML_H_

#include <string>

#include "replays/trace_export/recording.h"

namespace laplace::replays::trace_export {

// The page; `initial` fills its filter box. The same recording always gives
// the same bytes.
std::string HtmlPage(const TraceRecording& recording, const TraceFilter& initial = {});

}  // namespace laplace::replays::trace_export

#endif  // LAPLACE_REPLAYS_TRACE_EXPORT_HTML_H_
