#include "replays/trace_export/testing/sample.h"

#include <memory>
#include <string>

#include "loop/loop.h"
#include "loop/queue.h"
#include "loop/task.h"

namespace laplace::replays::trace_export::testing {
namespace {

using std::chrono::milliseconds;

constexpr uint32_t kServer = 1, kClient = 2;

// A network of two mailboxes, made of Loop callbacks and notes with the
// links sim/network.cc gives its notes (replays/ may not depend on sim/).
struct Wire {
  explicit Wire(Loop& loop)
      : loop(loop), server(loop, 4, "server inbox"), client(loop, 4, "client inbox") {}

  void Send(uint32_t to, int payload) {
    const uint64_t id = next_id++;
    const uint32_t from = to == kServer ? kClient : kServer;
    loop.Note("message #" + std::to_string(id) + " sent",
              {.kind = NoteKind::kMessageSent, .group = from, .flow = id});
    const EventRef sent = loop.last_event();
    loop.CallLater(milliseconds(1), [this, to, id, payload, sent] {
      if (to == kServer && server_down) {
        loop.Note(
            "message #" + std::to_string(id) + " dropped (server is down)",
            {.kind = NoteKind::kMessageDropped, .group = to, .cause = crashed_at, .flow = id});
        return;
      }
      loop.Note("message #" + std::to_string(id) + " delivered",
                {.kind = NoteKind::kMessageDelivered, .group = to, .cause = sent, .flow = id});
      (void)(to == kServer ? server : client).TryPut(payload);
    });
  }

  Loop& loop;
  Queue<int> server;
  Queue<int> client;
  uint64_t next_id = 1;
  bool server_down = false;
  EventRef crashed_at = 0;
};

Task<> Serve(Wire& wire) {
  while (true) {
    absl::StatusOr<int> request = co_await wire.server.Get();
    if (!request.ok()) co_return;
    wire.Send(kClient, *request);
  }
}

Task<> Ping(Loop& loop, Wire& wire) {
  co_await loop.Sleep(milliseconds(1));
  wire.Send(kServer, 1);
  absl::StatusOr<int> reply = co_await wire.client.Get();
  loop.Note(reply.ok() ? "got pong 1" : "no pong");
  wire.Send(kServer, 2);
  co_await loop.Sleep(milliseconds(50));
}

}  // namespace

TraceRecording SampleRecording() {
  Loop loop({.seed = 1, .trace = {.keep_all = true}});
  loop.NameGroup(kServer, "server");
  loop.NameGroup(kClient, "client");
  std::vector<TraceEvent> events;
  {
    Wire wire(loop);
    loop.Spawn(Serve(wire), {.label = "server/main", .daemon = true, .group = kServer});
    loop.Spawn(Ping(loop, wire), {.label = "client/main", .group = kClient});
    (void)loop.RunUntil(Time(milliseconds(3)) + std::chrono::microseconds(500));
    // The second ping is in flight: crash the server.
    loop.Note("server crashed", {.kind = NoteKind::kCrash, .group = kServer});
    wire.crashed_at = loop.last_event();
    wire.server_down = true;
    loop.CancelGroup(kServer, absl::UnavailableError("server crashed"));
    (void)loop.RunFor(milliseconds(5));
    loop.Stop("lost ping: the server crashed before it arrived");
    events = loop.trace().events();
  }
  TraceRecording recording = RecordingOf(loop, std::move(events));
  recording.title = "Sample.LostPing";
  recording.source = "replays/trace_export/testing/sample.cc";
  recording.failure = "lost ping: the server crashed before it arrived";
  recording.signature = "assertion:sample";
  return recording;
}

}  // namespace laplace::replays::trace_export::testing
