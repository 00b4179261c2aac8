#include "sim/rpc.h"

#include <utility>

#include "base/strings.h"
#include "loop/wait_for.h"

namespace laplace::sim {
namespace {

// Receives on `socket` until the reply to `request_id` comes; anything else
// (a stray message to this ephemeral port) is skipped.
Task<absl::StatusOr<Message>> AwaitReply(Socket& socket, uint64_t request_id) {
  while (true) {
    absl::StatusOr<Message> message = co_await socket.Receive();
    if (!message.ok() || message->in_reply_to == request_id) co_return message;
  }
}

}  // namespace

Task<absl::StatusOr<Message>> Call(Network& network, NodeId caller, Address to, std::string kind,
                                   std::string payload, Duration timeout) {
  Socket socket = network.BindEphemeral(caller);
  absl::StatusOr<uint64_t> request_id = socket.Send(to, kind, std::move(payload));
  if (!request_id.ok()) co_return request_id.status();  // kUnavailable: surely not delivered
  absl::StatusOr<Message> reply =
      co_await WaitFor(network.loop(), AwaitReply(socket, *request_id), timeout);
  if (absl::IsDeadlineExceeded(reply.status())) {
    co_return absl::DeadlineExceededError(::laplace::internal::Cat(
        "rpc ", kind, " #", *request_id, " to ", network.FormatAddress(to), " got no reply within ",
        FormatDuration(timeout), "; the request may or may not have been delivered"));
  }
  if (!reply.ok()) {
    // Only a closed socket ends AwaitReply early: the caller's host crashed.
    co_return absl::AbortedError(::laplace::internal::Cat(
        "rpc ", kind, " #", *request_id, " to ", network.FormatAddress(to),
        " abandoned: the caller's host crashed; the request may have been delivered"));
  }
  co_return reply;
}

}  // namespace laplace::sim
