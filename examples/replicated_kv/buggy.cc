#include "examples/replicated_kv/buggy.h"

#include <utility>

#include "sim/buggify.h"

namespace laplace::examples::replicated_kv {

Task<> BuggyHandlePut(sim::Node& node, Replica& replica, sim::Socket& socket, sim::Message request,
                      sim::Address backup) {
  absl::StatusOr<std::pair<std::string, std::string>> pair = DecodePair(request.payload);
  if (!pair.ok()) co_return;
  if (LAPLACE_BUGGIFY(node)) co_await node.clock().Sleep(std::chrono::milliseconds(50));
  if (!(co_await replica.Put(pair->first, pair->second)).ok()) co_return;
  // BUG: replication runs in the background; a crash of this node kills it.
  node.Spawn(ReplicateToBackup(node, backup, pair->first, pair->second), "replicate",
             /*daemon=*/true);
  (void)socket.Reply(request, "PutOk", "");
}

}  // namespace laplace::examples::replicated_kv
