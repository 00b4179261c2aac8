// The primary and the backup of a primary/backup key-value store, minus the
// few lines that decide when the primary acknowledges a Put (buggy.h and
// fixed.h supply those).
//
// Protocol (all on port kPort; payloads from EncodePair):
//   client  -> primary  "Put" key=value   -> "PutOk" once the write is safe
//   primary -> backup   "Replicate" k=v   -> "ReplicateOk" once durable there
//   anyone  -> either   "Get" key         -> "GetOk" value | "GetMissing"
// Both nodes keep a Replica (replica.h) on their own disk and rebuild it at
// every (re)start. The promise to clients: an acknowledged Put survives the
// permanent loss of the primary, i.e. the backup has it.
//
//   world.AddNode("primary", [](sim::Node& node) {
//     return ServePrimary(node, /*backup=*/{.node = 2, .port = kPort}, FixedHandlePut);
//   });
//   world.AddNode("backup", ServeBackup);
#ifndef LAPLACE_EXAMPLES_REPLICATED_KV_SERVERS_H_
#define LAPLACE_EXAMPLES_REPLICATED_KV_SERVERS_H_

#include <cstdint>
#include <string>

#include "examples/replicated_kv/replica.h"
#include "loop/task.h"
#include "loop/time.h"
#include "sim/network.h"
#include "sim/node.h"

namespace laplace::examples::replicated_kv {

inline constexpr uint32_t kPort = 80;
// How long the primary waits for one Replicate reply, and between tries.
inline constexpr Duration kReplicateTimeout = std::chrono::milliseconds(150);
inline constexpr Duration kRetryBackoff = std::chrono::milliseconds(20);

// Handles one Put on the primary: makes key=value durable locally, gets it to
// the backup, and replies "PutOk" to `request` at the point the variant
// considers the write safe. `replica` and `socket` outlive the handler (they
// live in the frame of the primary's start routine; a crash destroys the handler first).
using PutHandler = Task<> (*)(sim::Node& node, Replica& replica, sim::Socket& socket,
                              sim::Message request, sim::Address backup);

// Sends Replicate(key, value) to `backup` until a "ReplicateOk" comes back
// (retrying timeouts and refusals forever: the backup may be down or cut off
// for a while). When it returns, the backup has the write durably.
Task<> ReplicateToBackup(sim::Node& node, sim::Address backup, std::string key, std::string value);

// The primary's start routine: recovers its Replica, serves Puts (each in its
// own task, with `handle_put`) and Gets.
Task<> ServePrimary(sim::Node& node, sim::Address backup, PutHandler handle_put);

// The backup's start routine: recovers its Replica, serves Replicates (each
// acknowledged once durable) and Gets.
Task<> ServeBackup(sim::Node& node);

}  // namespace laplace::examples::replicated_kv

#endif  // LAPLACE_EXAMPLES_REPLICATED_KV_SERVERS_H_
