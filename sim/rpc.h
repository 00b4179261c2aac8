// Call: a request/response (RPC) helper over the simulated network.
//
// Call() binds a fresh ephemeral socket on the calling host, sends one
// request from it, and waits for the reply (a message whose in_reply_to is
// the request's id) until a virtual-time timeout. A server answers with
// Socket::Reply. Because each call has its own socket and ports are never
// reused, a late or duplicated reply can never be mistaken for the answer to
// a later call: it finds nothing bound and is dropped.
//
// The three outcomes a caller must tell apart:
//   OK                 the reply arrived (the request was delivered and
//                      handled at least once; duplicates may have been
//                      handled more than once);
//   kUnavailable       the request was surely NOT delivered (the network
//                      refused it at once: see Network::Send); safe to retry
//                      or to fail over without risk of a double effect;
//   kDeadlineExceeded  no reply in time: the request MAYBE was delivered and
//                      handled. The request or the reply may have been lost,
//                      or both may still be in flight. Retry only idempotent
//                      requests, or deduplicate on the server.
// (A fourth, kAborted, "maybe delivered" too, only when the call runs in a
// task that outlives the caller's host: that host crashed mid-call. A call
// made by the host's own tasks dies with them instead.)
//
//   absl::StatusOr<laplace::sim::Message> reply = co_await laplace::sim::Call(
//       network, /*caller=*/1, {.node = 2, .port = 80}, "Get", "key",
//       std::chrono::milliseconds(100));
//   if (absl::IsDeadlineExceeded(reply.status())) { /* maybe delivered */ }
//   // on the server, in a task on node 2:
//   absl::StatusOr<laplace::sim::Message> request = co_await socket.Receive();
//   (void)socket.Reply(*request, "GetReply", "value");
#ifndef LAPLACE_SIM_RPC_H_
#define LAPLACE_SIM_RPC_H_

#include <string>

#include "absl/status/statusor.h"
#include "loop/task.h"
#include "loop/time.h"
#include "sim/network.h"

namespace laplace::sim {

// Sends `kind`/`payload` from a new ephemeral socket on `caller` to `to` and
// waits for the reply up to `timeout` of virtual time. See above for the
// outcomes. Who resumes the awaiting task: the Loop, at a scheduling point
// after the reply is delivered or the timeout fires, whichever comes first
// (a reply delivered at the very instant of the timeout wins). Cancelling
// the awaiting task (or crashing its node) closes the call's socket, so a
// late reply is dropped. `network` must outlive the call.
Task<absl::StatusOr<Message>> Call(Network& network, NodeId caller, Address to, std::string kind,
                                   std::string payload, Duration timeout);

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_RPC_H_
