// A late reply after a timeout, taken for success: the client times out on request 1, sends
// request 2, and takes request 1's late reply (still in the reply queue) as request 2's answer.
// The server's latency is a drawn delay (fast or slow). Fixed: the client drops replies to
// requests it has given up on.
#include <chrono>
#include <utility>
#include <vector>

#include "loop/queue.h"
#include "loop/wait_for.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

using namespace std::chrono_literals;

struct Link {
  explicit Link(Loop& loop) : requests(loop, 4, "requests"), replies(loop, 4, "replies") {}
  Queue<int> requests;
  Queue<int> replies;
  std::vector<std::pair<int, int>> accepted;  // (request, reply taken for it)
};

Task<> Server(Loop& loop, Link& link) {
  while (true) {
    absl::StatusOr<int> request = co_await link.requests.Get();
    if (!request.ok()) co_return;  // closed
    const bool slow = loop.Chance(1, 2, ChoiceKind::kDelay);
    co_await loop.Sleep(slow ? 15ms : 5ms);
    (void)co_await link.replies.Put(*request);
  }
}

Task<> Client(Loop& loop, Link& link, bool fixed) {
  for (int id = 1; id <= 2; ++id) {
    (void)co_await link.requests.Put(id);
    absl::StatusOr<int> reply = co_await WaitFor(loop, link.replies.Get(), 10ms);
    while (fixed && reply.ok() && *reply != id) {  // a reply to a request given up on
      reply = co_await WaitFor(loop, link.replies.Get(), 10ms);
    }
    if (reply.ok()) link.accepted.emplace_back(id, *reply);
  }
  link.requests.Close();
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Link link(loop);
  TaskSet tasks(loop);
  tasks.Spawn(Server(loop, link), "server");
  tasks.Spawn(Client(loop, link, fixed), "client");
  sim.Run();
  for (const auto& [request, reply] : link.accepted) {
    LAPLACE_ASSERT_EQ(reply, request) << "a reply was taken for the wrong request";
  }
}

}  // namespace

ZooProgram LateReply() {
  return {"late_reply", "a reply arriving after its timeout is taken as the next one's", 0,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
