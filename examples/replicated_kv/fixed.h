// THE FIXED PRIMARY: acknowledges a Put only once the backup has it durably.
//
// FixedHandlePut makes the write durable on the primary's disk, then awaits
// ReplicateToBackup (which retries until the backup answers "ReplicateOk",
// sent only after the backup's fsync), and only then replies "PutOk". A
// crash of the primary before that point kills the handler before the
// reply: the client never saw an acknowledgement, so it retries, and the
// write is not promised to anyone. Compare buggy.h: the difference is the
// two lines marked FIX in fixed.cc.
//
//   world.AddNode("primary", [](sim::Node& node) {
//     return ServePrimary(node, backup_address, FixedHandlePut);
//   });
#ifndef LAPLACE_EXAMPLES_REPLICATED_KV_FIXED_H_
#define LAPLACE_EXAMPLES_REPLICATED_KV_FIXED_H_

#include "examples/replicated_kv/servers.h"

namespace laplace::examples::replicated_kv {

// A PutHandler (see servers.h) that acknowledges only replicated writes.
Task<> FixedHandlePut(sim::Node& node, Replica& replica, sim::Socket& socket, sim::Message request,
                      sim::Address backup);

}  // namespace laplace::examples::replicated_kv

#endif  // LAPLACE_EXAMPLES_REPLICATED_KV_FIXED_H_
