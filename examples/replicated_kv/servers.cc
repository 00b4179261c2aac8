#include "examples/replicated_kv/servers.h"

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
  Replica replica(node);
  if (!co_await RecoverOrGiveUp(node, replica)) co_return;
  sim::Socket socket = node.Bind(kPort);
  while (true) {
    absl::StatusOr<sim::Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    if (request->kind == "Put") {
      node.Spawn(handle_put(node, replica, socket, *std::move(request), backup), "put",
                 /*daemon=*/true);
    } else if (request->kind == "Get") {
      ServeGet(replica, socket, *request);
    }
  }
}

Task<> ServeBackup(sim::Node& node) {
  Replica replica(node);
  if (!co_await RecoverOrGiveUp(node, replica)) co_return;
  sim::Socket socket = node.Bind(kPort);
  while (true) {
    absl::StatusOr<sim::Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    if (request->kind == "Replicate") {
      node.Spawn(HandleReplicate(node, replica, socket, *std::move(request)), "replicate",
                 /*daemon=*/true);
    } else if (request->kind == "Get") {
      ServeGet(replica, socket, *request);
    }
  }
}

}  // namespace laplace::examples::replicated_kv
