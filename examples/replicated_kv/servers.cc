#include "examples/replicated_kv/servers.h"

#include <string_view>
#include <utility>

#include "sim/buggify.h"

namespace laplace::examples::replicated_kv {
namespace {

// Recovers `replica`; a corrupt log (kDataLoss) stops the node's service.
Task<bool> RecoverOrGiveUp(sim::Node& node, Replica& replica) {
  absl::Status recovered = co_await replica.Recover();
  if (!recovered.ok()) node.loop().Note(node.name() + " cannot recover: " + recovered.ToString());
  co_return recovered.ok();
}

void ServeGet(const Replica& replica, sim::Socket& socket, const sim::Message& request) {
  std::optional<std::string> value = replica.Get(request.payload);
  if (value.has_value()) {
    (void)socket.Reply(request, "GetOk", *value);
  } else {
    (void)socket.Reply(request, "GetMissing", "");
  }
}

Task<> HandleReplicate(sim::Node& node, Replica& replica, sim::Socket& socket,
                       sim::Message request) {
  absl::StatusOr<std::pair<std::string, std::string>> pair = DecodePair(request.payload);
  if (!pair.ok()) co_return;
  if (!(co_await replica.Put(pair->first, pair->second)).ok()) co_return;
  // A slow disk or a busy backup: the primary must not mistake slow for lost.
  if (LAPLACE_BUGGIFY(node)) co_await node.clock().Sleep(std::chrono::milliseconds(100));
  (void)socket.Reply(request, "ReplicateOk", "");
}

// Both roles' start routine: recovers a Replica, then serves kPort until the socket closes,
// each `write_kind` request in its own daemon task (labelled `write_label`) that
// `handle_write(replica, socket, request)` makes, and each Get at once. The replica and the
// socket live in this frame, which outlives the handlers: a crash destroys the newest tasks
// first.
template <typename WriteHandler>
Task<> ServeRequests(sim::Node& node, std::string_view write_kind, std::string_view write_label,
                     WriteHandler handle_write) {
  Replica replica(node);
  if (!co_await RecoverOrGiveUp(node, replica)) co_return;
  sim::Socket socket = node.Bind(kPort);
  while (true) {
    absl::StatusOr<sim::Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    if (request->kind == write_kind) {
      node.Spawn(handle_write(replica, socket, *std::move(request)), write_label,
                 /*daemon=*/true);
    } else if (request->kind == "Get") {
      ServeGet(replica, socket, *request);
    }
  }
}

}  // namespace

Task<> ReplicateToBackup(sim::Node& node, sim::Address backup, std::string key, std::string value) {
  while (true) {
    absl::StatusOr<sim::Message> reply =
        co_await node.Call(backup, "Replicate", EncodePair(key, value), kReplicateTimeout);
    if (reply.ok() && reply->kind == "ReplicateOk") co_return;
    co_await node.clock().Sleep(kRetryBackoff);
  }
}

Task<> ServePrimary(sim::Node& node, sim::Address backup, PutHandler handle_put) {
  return ServeRequests(
      node, "Put", "put",
      [&node, backup, handle_put](Replica& replica, sim::Socket& socket, sim::Message request) {
        return handle_put(node, replica, socket, std::move(request), backup);
      });
}

Task<> ServeBackup(sim::Node& node) {
  return ServeRequests(node, "Replicate", "replicate",
                       [&node](Replica& replica, sim::Socket& socket, sim::Message request) {
                         return HandleReplicate(node, replica, socket, std::move(request));
                       });
}

}  // namespace laplace::examples::replicated_kv
