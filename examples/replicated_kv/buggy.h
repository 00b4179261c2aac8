// THE BUGGY PRIMARY: acknowledges a Put before the backup has it.
//
// BuggyHandlePut makes the write durable on the primary's own disk, starts
// replicating it to the backup in a background task, and replies "PutOk" at
// once. While nothing fails this is indistinguishable from the fixed primary
// (the background task always gets through, just a little later). But if
// the primary crashes while a background replication is still pending
// (typically because a lost message or a partition made it retry), the
// crash destroys that task; nothing ever replicates the write, and when the
// primary is later lost for good the backup does not have a write that was
// acknowledged. It takes a crash (plus usually a loss or partition) to see.
//
// The fix (fixed.h) awaits the replication instead of spawning it: the
// whole difference is the two lines marked BUG in buggy.cc.
//
//   world.AddNode("primary", [](sim::Node& node) {
//     return ServePrimary(node, backup_address, BuggyHandlePut);
//   });
#ifndef LAPLACE_EXAMPLES_REPLICATED_KV_BUGGY_H_
#define LAPLACE_EXAMPLES_REPLICATED_KV_BUGGY_H_

#include "examples/replicated_kv/servers.h"

namespace laplace::examples::replicated_kv {

// A PutHandler (see servers.h) with the bug described above.
Task<> BuggyHandlePut(sim::Node& node, Replica& replica, sim::Socket& socket, sim::Message request,
                      sim::Address backup);

}  // namespace laplace::examples::replicated_kv

#endif  // LAPLACE_EXAMPLES_REPLICATED_KV_BUGGY_H_
