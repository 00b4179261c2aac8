// The Perfetto export: a run as Chrome trace-event JSON, which the Perfetto
// UI (ui.perfetto.dev, "Open trace file") and chrome://tracing open.
//
// A process per node (task group; "world" for group 0), a thread per task
// plus one for the node itself (deliveries, drops, crashes, callbacks), a
// slice per step (a task's resume to its suspension, with every event of the
// step in its args), instant events for faults and crashes (a crash marks
// its whole process) and for the failure (marking the whole trace), and flow
// arrows for messages and wake-ups (a promise set to the await it resumes, a
// lock release to the next holder, a crash to what it dropped). Timestamps
// follow layout.h: virtual time, one instant's events side by side, idle
// stretches shortened; every slice's args give the real virtual time.
//
//   std::string json = PerfettoJson(recording);
//   WriteFile("run.perfetto.json", json);
#ifndef LAPLACE_REPLAYS_TRACE_EXPORT_PERFETTO_H_
#define LAPLACE_REPLAYS_TRACE_EXPORT_PERFETTO_H_

#include <string>

#include "replays/trace_export/recording.h"

namespace laplace::replays::trace_export {

// The whole recording as one JSON object {"traceEvents": [...], ...}; the
// same recording always gives the same bytes.
std::string PerfettoJson(const TraceRecording& recording);

}  // namespace laplace::replays::trace_export

#endif  // LAPLACE_REPLAYS_TRACE_EXPORT_PERFETTO_H_
