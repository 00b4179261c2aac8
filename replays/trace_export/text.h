// The text export: a run's whole trace, one event a line, with what caused
// each event and the failure's causal chain at the end.
//
//   # Laplace trace of ReplicatedKv.TheBuggyPrimaryLosesAnAcknowledgedWrite
//   # source:  examples/replicated_kv/replays/.../9551d401edb11345.textpb
//   # failure: invariant 'acknowledged-writes-durable' failed at t=3.016s ...
//   #412 t=20.16ms primary:49159 -> backup:80 #31 Replicate dropped (backup is down)  <- #409
//   fault, #402 message
//   ...
//   # causal chain of #925 (40 of 611 events it depends on):
//   #409 t=20ms nemesis: backup crashed (incarnation 1)
//
// "<- #N kind" lists an event's causes other than the previous event of
// its own task (loop/causality.h). A filter (recording.h) keeps the events
// of some nodes or tasks; the chain is then filtered the same way.
//
//   std::string text = TextTrace(recording, {.nodes = {"backup"}});
//
// FailureChain is that chain alone, cut to what a failure report prints
// first (properties/pipeline.h, `laplace show`):
//
//   ChainStory story = FailureChain(recording);
//   for (const std::string& line : story.lines) std::cout << line << "\n";
#ifndef LAPLACE_REPLAYS_TRACE_EXPORT_TEXT_H_
#define LAPLACE_REPLAYS_TRACE_EXPORT_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "replays/trace_export/recording.h"

namespace laplace::replays::trace_export {

std::string TextTrace(const TraceRecording& recording, const TraceFilter& filter = {});

// The causal chain of a run's failure, one line per event, oldest first.
struct ChainStory {
  // "#409 t=20ms nemesis: backup crashed (incarnation 1)", with the event's
  // causes other than its own task's previous event ("  <- #402 message").
  std::vector<std::string> lines;
  size_t ancestors = 0;  // how many events the failing event depends on in all
};

// "causal chain of the failure (14 events):", or when the chain was cut,
// "causal chain of the failure (25 events, the most telling of the 611 it
// depends on):" (`events` shown, the failing event included).
std::string ChainHeading(size_t events, uint64_t ancestors);

// The most events a report's chain shows (the failing event included).
inline constexpr size_t kChainStoryEventsMax = 25;

// The chain of the failing event (the first kFailure, the one that stopped
// the run, else the run's last event), cut to `events_max` events the way ChainOptions::events_max cuts
// (loop/causality.h): the failure, the faults, what they did, the messages
// and notes first. Empty for a recording without events.
ChainStory FailureChain(const TraceRecording& recording,
                        size_t events_max = kChainStoryEventsMax);

}  // namespace laplace::replays::trace_export

#endif  // LAPLACE_REPLAYS_TRACE_EXPORT_TEXT_H_
