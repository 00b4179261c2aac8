// Proves the simulated world's notes carry the links that make messages, crashes and drops edges.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/causality.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/world.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;

Task<> Receive(Node& node) {
  Socket socket = node.Bind(80);
  while (true) {
    absl::StatusOr<Message> message = co_await socket.Receive();
    if (!message.ok()) co_return;
    node.loop().Note("received " + message->payload);
  }
}

// Sends "hello" at 1ms (n1 has bound its port by then) and "lost" at 6ms, to n1:80.
Task<> Send(Node& node) {
  Socket socket = node.BindEphemeral();
  co_await node.loop().Sleep(milliseconds(1));
  (void)socket.Send({.node = 1, .port = 80}, "Say", "hello");
  co_await node.loop().Sleep(milliseconds(5));
  (void)socket.Send({.node = 1, .port = 80}, "Say", "lost");
  co_await node.loop().Sleep(milliseconds(100));
}

const TraceEvent& NoteOf(const CausalGraph& graph, NoteKind kind, std::string_view containing) {
  for (const TraceEvent& event : graph.events()) {
    if (event.kind == EventKind::kNote && event.links.note == kind &&
        event.text.find(containing) != std::string::npos) {
      return event;
    }
  }
  ADD_FAILURE() << "no " << NoteKindName(kind) << " note with '" << containing << "'";
  return graph.events().front();
}

std::optional<EdgeKind> EdgeBetween(const CausalGraph& graph, uint64_t from, uint64_t to) {
  for (const CausalEdge& edge : graph.causes(to)) {
    if (edge.from == from) return edge.kind;
  }
  return std::nullopt;
}

struct CrashedReceiver {
  CrashedReceiver() : loop({.seed = 1, .trace = {.keep_all = true}}), world(loop) {
    world.AddNode("n1", Receive);
    world.AddNode("n2", Send);
    EXPECT_TRUE(loop.RunFor(milliseconds(6)).ok());  // "lost" is in flight now
    world.Crash(1);
    EXPECT_TRUE(loop.RunFor(milliseconds(10)).ok());
    loop.Note("checked");
  }
  Loop loop;
  World world;
};

TEST(TraceLinks, AMessagesSendDeliveryAndReceiverAreLinkedAndNamedByNode) {
  CrashedReceiver run;
  EXPECT_EQ(run.loop.group_name(1), "n1");
  CausalGraph graph(run.loop.trace().events());
  const TraceEvent& sent = NoteOf(graph, NoteKind::kMessageSent, "Say");
  const TraceEvent& delivered = NoteOf(graph, NoteKind::kMessageDelivered, "Say");
  EXPECT_EQ(sent.links.group, 2u);
  EXPECT_EQ(delivered.links.group, 1u);
  EXPECT_NE(sent.links.flow, 0u);
  EXPECT_EQ(delivered.links.flow, sent.links.flow);
  EXPECT_EQ(EdgeBetween(graph, sent.index, delivered.index), EdgeKind::kMessage);
  const TraceEvent& received = NoteOf(graph, NoteKind::kPlain, "received hello");
  std::vector<uint64_t> ancestors = graph.Ancestors(received.index);
  EXPECT_TRUE(std::binary_search(ancestors.begin(), ancestors.end(), sent.index));
  EXPECT_TRUE(std::binary_search(ancestors.begin(), ancestors.end(), delivered.index));
}

TEST(TraceLinks, ACrashCancelsItsNodesTasksAndDropsWhatArrivesAfterIt) {
  CrashedReceiver run;
  CausalGraph graph(run.loop.trace().events());
  const TraceEvent& crash = NoteOf(graph, NoteKind::kCrash, "n1 crashed");
  EXPECT_EQ(crash.links.group, 1u);
  EXPECT_EQ(crash.links.context, EventContext::kOutside);
  const TraceEvent& dropped = NoteOf(graph, NoteKind::kMessageDropped, "n1 is down");
  EXPECT_EQ(EdgeBetween(graph, crash.index, dropped.index), EdgeKind::kFault);
  bool cancelled = false;
  for (const CausalEdge& edge : graph.effects(crash.index)) {
    cancelled = cancelled ||
                (edge.kind == EdgeKind::kCancel && graph.event(edge.to).kind == EventKind::kCancel);
  }
  EXPECT_TRUE(cancelled);

  // The story of what came after: the crash, the drop and the lost message's send.
  const uint64_t checked = graph.events().back().index;
  Chain chain = CausalChain(graph, checked);
  EXPECT_TRUE(chain.contains(crash.index));
  EXPECT_TRUE(chain.contains(dropped.index));
  bool has_lost_send = false;
  for (const CausalEdge& edge : graph.causes(dropped.index)) {
    if (edge.kind == EdgeKind::kMessage) has_lost_send = chain.contains(edge.from);
  }
  EXPECT_TRUE(has_lost_send);
}

}  // namespace
}  // namespace laplace::sim
