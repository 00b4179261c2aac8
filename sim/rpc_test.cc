// Proves Call's outcomes: a reply, kUnavailable if surely undelivered, else kDeadlineExceeded.
#include "sim/rpc.h"

#include <string>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/internal/replay_testing.h"
#include "sim/world.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;

// What the server did, kept outside the simulated world.
struct ServerLog {
  int handled = 0;
  Duration reply_delay = Duration(0);
};

// Echoes every request after `log.reply_delay`, counting requests handled.
Task<> HandleOne(Node& node, Socket& socket, Message request, ServerLog& log) {
  ++log.handled;
  co_await node.loop().Sleep(log.reply_delay);
  (void)socket.Reply(request, request.kind + "Reply", request.payload);
}

Task<> Serve(Node& node, ServerLog& log) {
  Socket socket = node.Bind(80);
  while (true) {
    absl::StatusOr<Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    node.Spawn(HandleOne(node, socket, *std::move(request), log), "handle", /*daemon=*/true);
  }
}

Task<> Idle(Node& node) { co_await node.loop().Sleep(Duration(0)); }

// A server (n1) and a client node (n2) whose calls the test makes.
struct ServerAndClient {
  ServerAndClient(Loop& loop, WorldOptions options) : world(loop, options) {
    server = &world.AddNode("server", [this](Node& node) { return Serve(node, log); });
    client = &world.AddNode("client", Idle);
    // Let the server bind its port: a call before that is refused.
    RunResult boot = loop.RunFor(milliseconds(1));
    EXPECT_TRUE(boot.ok()) << boot.ToString();
  }
  TaskHandle<absl::StatusOr<Message>> StartCall(std::string payload, Duration timeout) {
    return client->Spawn(client->Call(server->address(80), "Echo", std::move(payload), timeout),
                         "call");
  }

  ServerLog log;
  World world;
  Node* server = nullptr;
  Node* client = nullptr;
};

TEST(Rpc, CallReturnsTheReply) {
  Loop loop({.seed = 1});
  ServerAndClient setup(loop, {});
  auto call = setup.StartCall("hello", milliseconds(100));
  ASSERT_TRUE(loop.RunUntilComplete(call).ok());
  ASSERT_TRUE(call.result().ok()) << call.result().status();
  EXPECT_EQ(call.result()->kind, "EchoReply");
  EXPECT_EQ(call.result()->payload, "hello");
  EXPECT_EQ(setup.log.handled, 1);
}

TEST(Rpc, ALostReplyTimesOutAsMaybeDeliveredThoughTheRequestWasHandled) {
  Loop loop({.seed = 2});
  ServerAndClient setup(loop, {});
  setup.world.network().CutLink(setup.server->id(), setup.client->id());
  auto call = setup.StartCall("x", milliseconds(50));
  ASSERT_TRUE(loop.RunUntilComplete(call).ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded(call.result().status())) << call.result().status();
  EXPECT_NE(call.result().status().message().find("may or may not have been delivered"),
            std::string::npos);
  EXPECT_EQ(setup.log.handled, 1);  // it was delivered: "maybe" is the honest answer
}

TEST(Rpc, ALostRequestAlsoTimesOutAsMaybeDelivered) {
  Loop loop({.seed = 3});
  ServerAndClient setup(loop, {});
  setup.world.network().CutLink(setup.client->id(), setup.server->id());
  auto call = setup.StartCall("x", milliseconds(50));
  ASSERT_TRUE(loop.RunUntilComplete(call).ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded(call.result().status())) << call.result().status();
  EXPECT_EQ(setup.log.handled, 0);  // the caller cannot tell this case from the last one
}

TEST(Rpc, CallIsUnavailableOnlyWhenTheRequestSurelyWasNotDelivered) {
  Loop loop({.seed = 4});
  ServerAndClient setup(loop, {});
  setup.world.Crash(setup.server->id());
  auto call = setup.StartCall("x", milliseconds(50));
  ASSERT_TRUE(loop.RunUntilComplete(call).ok());
  EXPECT_TRUE(absl::IsUnavailable(call.result().status())) << call.result().status();
  EXPECT_EQ(loop.Now(), Time(milliseconds(1)));  // refused at once, no waiting
  EXPECT_EQ(setup.log.handled, 0);

  auto unbound = setup.client->Spawn(
      setup.client->Call(setup.server->address(99), "Echo", "x", milliseconds(50)), "call");
  ASSERT_TRUE(loop.RunUntilComplete(unbound).ok());
  EXPECT_TRUE(absl::IsUnavailable(unbound.result().status())) << unbound.result().status();
}

TEST(Rpc, ALateReplyNeverReachesALaterCall) {
  Loop loop({.seed = 5, .trace = {.keep_all = true}});
  ServerAndClient setup(loop, {});
  setup.log.reply_delay = milliseconds(30);
  auto first = setup.StartCall("first", milliseconds(10));
  ASSERT_TRUE(loop.RunUntilComplete(first).ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded(first.result().status()));
  auto second = setup.StartCall("second", milliseconds(100));
  ASSERT_TRUE(loop.RunUntilComplete(second).ok());
  ASSERT_TRUE(second.result().ok()) << second.result().status();
  EXPECT_EQ(second.result()->payload, "second");
  const std::string trace = loop.FormatTrace(loop.trace().events());
  EXPECT_NE(trace.find("EchoReply (re #1) refused (nothing is bound at client:49152)"),
            std::string::npos)
      << trace;
}

TEST(Rpc, ADuplicatedRequestIsHandledTwiceButAnsweredOnce) {
  Loop loop({.seed = 6});
  ServerAndClient setup(loop, {.network = {.duplicate_ratio = {1, 1}}});
  auto call = setup.StartCall("x", milliseconds(100));
  ASSERT_TRUE(loop.RunUntilComplete(call).ok());
  ASSERT_TRUE(call.result().ok());
  ASSERT_TRUE(loop.RunFor(milliseconds(100)).ok());
  EXPECT_EQ(setup.log.handled, 2);
}

TEST(Rpc, CancellingACallClosesItsSocket) {
  Loop loop({.seed = 7});
  ServerAndClient setup(loop, {});
  setup.log.reply_delay = milliseconds(30);
  auto call = setup.StartCall("x", milliseconds(100));
  ASSERT_TRUE(loop.RunFor(milliseconds(10)).ok());
  EXPECT_TRUE(call.Cancel());
  ASSERT_TRUE(loop.RunFor(std::chrono::seconds(10)).ok());
  EXPECT_EQ(setup.world.network().stats().delivered, 1u);  // the request; the reply found no one
}

// Scenario: twenty calls over a lossy, duplicating network.
void LossyCalls(Loop& loop) {
  ServerAndClient setup(loop, {.network = {.latency_min = milliseconds(1),
                                           .latency_max = milliseconds(20),
                                           .drop_ratio = {1, 4},
                                           .duplicate_ratio = {1, 4}}});
  int ok = 0;
  int timed_out = 0;
  for (int i = 0; i < 20; ++i) {
    auto call = setup.StartCall(std::to_string(i), milliseconds(30));
    ASSERT_TRUE(loop.RunUntilComplete(call).ok());
    if (call.result().ok()) ++ok;
    if (absl::IsDeadlineExceeded(call.result().status())) ++timed_out;
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(timed_out, 0);
  EXPECT_EQ(ok + timed_out, 20);
}

TEST(Rpc, CallOutcomesReplayIdentically) { testing::ExpectReplaysIdentically(8, LossyCalls); }

}  // namespace
}  // namespace laplace::sim
