// A small run with every kind of thing the exports draw, for their tests: a
// client (a task of group 2) sends two pings to a server (a task of group 1)
// over a two-mailbox "network" of Loop callbacks whose notes carry the links
// sim/network.cc gives its own; the server answers the first; the code
// outside the run crashes the server while the second is in flight, so it
// is dropped; then it stops the run with a failure ("lost ping").
//
//   TraceRecording recording = SampleRecording();
#ifndef LAPLACE_REPLAYS_TRACE_EXPORT_TESTING_SAMPLE_H_
#define LAPLACE_REPLAYS_TRACE_EXPORT_TESTING_SAMPLE_H_

#include "replays/trace_export/recording.h"

namespace laplace::replays::trace_export::testing {

TraceRecording SampleRecording();

}  // namespace laplace::replays::trace_export::testing

#endif  // LAPLACE_REPLAYS_TRACE_EXPORT_TESTING_SAMPLE_H_
