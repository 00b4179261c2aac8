// Message reordering breaks a sequence number: each message is sent by a task of its own (an
// await on the wire), so a later one can arrive first, and the receiver applies messages as
// they come. Fixed: the receiver holds back a message until the ones before it arrived.
#include <map>
#include <vector>

#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Receiver {
  bool reorders_back = false;  // the fix
  int next = 1;
  std::map<int, bool> held;
  std::vector<int> applied;

  void Deliver(int sequence) {
    if (!reorders_back) {
      applied.push_back(sequence);
      return;
    }
    held[sequence] = true;
    while (held.erase(next) > 0) applied.push_back(next++);
  }
};

Task<> Transmit(Loop& loop, Receiver& receiver, int sequence) {
  co_await loop.Yield();  // on the wire
  receiver.Deliver(sequence);
}

Task<> Sender(Loop& loop, TaskSet& tasks, Receiver& receiver) {
  for (int sequence = 1; sequence <= 3; ++sequence) {
    tasks.Spawn(Transmit(loop, receiver, sequence), "message");
    co_await loop.Yield();  // preparing the next message
  }
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Receiver receiver;
  receiver.reorders_back = fixed;
  TaskSet tasks(loop);
  tasks.Spawn(Sender(loop, tasks, receiver), "sender");
  sim.Run();
  LAPLACE_ASSERT_EQ(receiver.applied, (std::vector<int>{1, 2, 3}))
      << "messages were applied out of sequence";
}

}  // namespace

ZooProgram MessageReordering() {
  return {"message_reordering", "messages sent in order are applied out of order", 0,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
