#include "examples/replicated_kv/fixed.h"

#include <utility>

#include "sim/buggify.h"

namespace laplace::examples::replicated_kv {

Task<> FixedHandlePut(sim::Node& node, Replica& replica, sim::Socket& socket, sim::Message request,
                      sim::Address backup) {
  absl::StatusOr<std::pair<std::string, std::string>> pair = DecodePair(request.payload);
  if (!pair.ok()) co_return;
  if (LAPLACE_BUGGIFY(node)) co_await node.clock().Sleep(std::chrono::milliseconds(50));
  if (!(co_await replica.Put(pair->first, pair->second)).ok()) co_return;
  // FIX: the reply waits until the backup has the write durably.
  co_await ReplicateToBackup(node, backup, pair->first, pair->second);
  (void)socket.Reply(request, "PutOk", "");
}

}  // namespace laplace::examples::replicated_kv
