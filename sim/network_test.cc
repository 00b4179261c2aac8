// Proves latency, reordering, loss, duplicates, partitions and refusals happen and replay.
#include "sim/network.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "sim/internal/replay_testing.h"

namespace laplace::sim {
namespace {

using std::chrono::milliseconds;

struct Received {
  Message message;
  Time time;
};

// Collects every message `socket` receives, with its arrival time.
Task<> Collect(Loop& loop, Socket& socket, std::vector<Received>& log) {
  while (true) {
    absl::StatusOr<Message> message = co_await socket.Receive();
    if (!message.ok()) co_return;
    log.push_back(Received{*std::move(message), loop.Now()});
  }
}

// Two hosts: n1 sends from an ephemeral socket, n2 collects on port 80.
struct TwoHosts {
  TwoHosts(Loop& loop, NetworkOptions options) : network(loop, options) {
    network.AddHost(1, "n1");
    network.AddHost(2, "n2");
    server = network.Bind({.node = 2, .port = 80});
    client = network.BindEphemeral(1);
    loop.Spawn(Collect(loop, server, received), SpawnOptions{.label = "collect", .daemon = true});
  }
  // Sends `count` messages n1 -> n2:80 now; payloads "0", "1", ...
  void SendMany(int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_TRUE(client.Send(server.address(), "Put", std::to_string(i)).ok());
    }
  }

  Network network;
  Socket server;
  Socket client;
  std::vector<Received> received;
};

std::vector<uint64_t> Ids(const std::vector<Received>& log) {
  std::vector<uint64_t> ids;
  for (const Received& received : log) ids.push_back(received.message.id);
  return ids;
}

TEST(Network, DeliversEachMessageAfterALatencyWithinItsBounds) {
  Loop loop({.seed = 1});
  TwoHosts hosts(loop, {.latency_min = milliseconds(2), .latency_max = milliseconds(7)});
  hosts.SendMany(100);
  ASSERT_TRUE(loop.Run().ok());
  ASSERT_EQ(hosts.received.size(), 100u);
  for (const Received& received : hosts.received) {
    EXPECT_GE(received.time, Time(milliseconds(2)));
    EXPECT_LE(received.time, Time(milliseconds(7)));
    EXPECT_EQ(received.message.from, hosts.client.address());
    EXPECT_EQ(received.message.kind, "Put");
  }
  EXPECT_EQ(hosts.network.stats().delivered, 100u);
  EXPECT_EQ(hosts.network.in_flight(), 0u);
}

TEST(Network, ReordersMessagesBecauseEachDrawsItsOwnLatency) {
  Loop loop({.seed = 2});
  TwoHosts hosts(loop, {.latency_min = milliseconds(1), .latency_max = milliseconds(10)});
  hosts.SendMany(20);
  ASSERT_TRUE(loop.Run().ok());
  std::vector<uint64_t> ids = Ids(hosts.received);
  ASSERT_EQ(ids.size(), 20u);
  EXPECT_FALSE(std::is_sorted(ids.begin(), ids.end()));
}

// Scenario: twenty messages sent at once over a wide latency range.
void ReorderingRun(Loop& loop) {
  TwoHosts hosts(loop, {.latency_min = milliseconds(1), .latency_max = milliseconds(10)});
  hosts.SendMany(20);
  ASSERT_TRUE(loop.Run().ok());
  std::vector<uint64_t> ids = Ids(hosts.received);
  EXPECT_FALSE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(Network, ReorderingReplaysIdentically) { testing::ExpectReplaysIdentically(2, ReorderingRun); }

TEST(Network, FixedLatencyKeepsTheOrderOfSendsAtDifferentInstants) {
  Loop loop({.seed = 3});
  TwoHosts hosts(loop, {.latency_min = milliseconds(3), .latency_max = milliseconds(3)});
  for (int i = 0; i < 20; ++i) {
    loop.CallAt(Time(std::chrono::microseconds(100 * i)), [&hosts] { hosts.SendMany(1); });
  }
  ASSERT_TRUE(loop.Run().ok());
  std::vector<uint64_t> ids = Ids(hosts.received);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(Network, ZeroTapeDeliversEverythingOnceInOrderAtMinimumLatency) {
  TapeSource zeros(Tape{}, TapeSource::Mode::kLenient);
  Loop loop({.source = &zeros});
  TwoHosts hosts(loop, {.latency_min = milliseconds(1),
                        .latency_max = milliseconds(50),
                        .drop_ratio = {1, 2},
                        .duplicate_ratio = {1, 2}});
  hosts.SendMany(30);
  ASSERT_TRUE(loop.Run().ok());
  std::vector<uint64_t> ids = Ids(hosts.received);
  ASSERT_EQ(ids.size(), 30u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(hosts.received.back().time, Time(milliseconds(1)));
}

// Scenario: 200 messages with half of them lost.
void LossyRun(Loop& loop) {
  TwoHosts hosts(loop, {.drop_ratio = {1, 2}});
  hosts.SendMany(200);
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_GT(hosts.network.stats().dropped, 50u);
  EXPECT_LT(hosts.network.stats().dropped, 150u);
  EXPECT_EQ(hosts.received.size() + hosts.network.stats().dropped, 200u);
  // Every random loss is counted for the run's summary, and nothing else is.
  EXPECT_EQ(loop.fault_counts().at("network.drop"), hosts.network.stats().dropped);
  EXPECT_EQ(loop.fault_counts().size(), 1u);
}

TEST(Network, DropsMessagesAtTheDropRatio) {
  Loop loop({.seed = 4});
  LossyRun(loop);
}

TEST(Network, DroppedMessagesReplayIdentically) { testing::ExpectReplaysIdentically(4, LossyRun); }

// Scenario: 100 messages, half of them duplicated.
void DuplicatingRun(Loop& loop) {
  TwoHosts hosts(loop, {.duplicate_ratio = {1, 2}});
  hosts.SendMany(100);
  ASSERT_TRUE(loop.Run().ok());
  const uint64_t duplicated = hosts.network.stats().duplicated;
  EXPECT_GT(duplicated, 20u);
  EXPECT_EQ(hosts.received.size(), 100u + duplicated);
  // Each duplicated message arrives exactly twice, with the same id and bytes.
  std::vector<uint64_t> ids = Ids(hosts.received);
  std::sort(ids.begin(), ids.end());
  size_t twice = 0;
  for (uint64_t id = 1; id <= 100; ++id) {
    auto count = std::count(ids.begin(), ids.end(), id);
    EXPECT_TRUE(count == 1 || count == 2) << "message #" << id << " arrived " << count << " times";
    if (count == 2) ++twice;
  }
  EXPECT_EQ(twice, duplicated);
  EXPECT_EQ(loop.fault_counts().at("network.duplicate"), duplicated);
}

TEST(Network, DuplicatedMessagesArriveTwice) {
  Loop loop({.seed = 5});
  DuplicatingRun(loop);
}

TEST(Network, DuplicatesReplayIdentically) { testing::ExpectReplaysIdentically(5, DuplicatingRun); }

TEST(Network, SymmetricPartitionBlocksBothWaysUntilHealed) {
  Loop loop({.seed = 6});
  TwoHosts hosts(loop, {});
  std::vector<Received> back;
  Socket client_inbox = hosts.network.Bind({.node = 1, .port = 81});
  loop.Spawn(Collect(loop, client_inbox, back), SpawnOptions{.label = "back", .daemon = true});
  hosts.network.Partition({1}, {2});
  hosts.SendMany(5);
  ASSERT_TRUE(hosts.server.Send(client_inbox.address(), "Ack", "x").ok());
  ASSERT_TRUE(loop.RunFor(milliseconds(100)).ok());
  EXPECT_TRUE(hosts.received.empty());
  EXPECT_TRUE(back.empty());
  EXPECT_EQ(hosts.network.stats().dropped, 6u);

  hosts.network.HealPartition({1}, {2});
  hosts.SendMany(5);
  ASSERT_TRUE(hosts.server.Send(client_inbox.address(), "Ack", "x").ok());
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(hosts.received.size(), 5u);
  EXPECT_EQ(back.size(), 1u);
}

TEST(Network, OneWayPartitionBlocksOnlyItsDirection) {
  Loop loop({.seed = 7});
  TwoHosts hosts(loop, {});
  std::vector<Received> back;
  Socket client_inbox = hosts.network.Bind({.node = 1, .port = 81});
  loop.Spawn(Collect(loop, client_inbox, back), SpawnOptions{.label = "back", .daemon = true});
  hosts.network.CutLink(1, 2);
  EXPECT_TRUE(hosts.network.IsCut(1, 2));
  EXPECT_FALSE(hosts.network.IsCut(2, 1));
  hosts.SendMany(3);
  ASSERT_TRUE(hosts.server.Send(client_inbox.address(), "Ack", "x").ok());
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_TRUE(hosts.received.empty());
  EXPECT_EQ(back.size(), 1u);

  hosts.network.HealLink(1, 2);
  hosts.SendMany(3);
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(hosts.received.size(), 3u);
}

TEST(Network, APartitionOpenedWhileAMessageIsInFlightLosesIt) {
  Loop loop({.seed = 8});
  TwoHosts hosts(loop, {.latency_min = milliseconds(10), .latency_max = milliseconds(10)});
  hosts.SendMany(1);
  ASSERT_TRUE(loop.RunFor(milliseconds(5)).ok());
  hosts.network.Isolate(2);
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_TRUE(hosts.received.empty());
  EXPECT_EQ(hosts.network.stats().dropped, 1u);
}

// Scenario: a partition opens and heals at random moments while messages flow.
void FlappingRun(Loop& loop) {
  TwoHosts hosts(loop, {.latency_min = milliseconds(1), .latency_max = milliseconds(20)});
  for (int i = 0; i < 20; ++i) {
    const Duration at = milliseconds(i * 10);
    loop.CallAt(Time(at), [&hosts] { hosts.SendMany(5); });
    if (loop.Chance(1, 2, ChoiceKind::kFault)) {
      loop.CallAt(Time(at + milliseconds(3)), [&hosts] { hosts.network.CutLink(1, 2); });
      loop.CallAt(Time(at + milliseconds(8)), [&hosts] { hosts.network.HealAll(); });
    }
  }
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_GT(hosts.network.stats().dropped, 0u);
  EXPECT_GT(hosts.received.size(), 0u);
}

TEST(Network, PartitionsReplayIdentically) { testing::ExpectReplaysIdentically(9, FlappingRun); }

TEST(Network, RefusesAtOnceOnlyWhatSurelyCannotBeDelivered) {
  Loop loop({.seed = 10});
  TwoHosts hosts(loop, {});
  // Nothing bound at n2:99: refused, surely not delivered.
  absl::StatusOr<uint64_t> unbound = hosts.client.Send({.node = 2, .port = 99}, "Put", "x");
  EXPECT_TRUE(absl::IsUnavailable(unbound.status())) << unbound.status();
  // The receiving host is down: refused.
  hosts.network.CrashHost(2);
  absl::StatusOr<uint64_t> down = hosts.client.Send({.node = 2, .port = 80}, "Put", "x");
  EXPECT_TRUE(absl::IsUnavailable(down.status())) << down.status();
  // Down but behind a partition: a partition is silent, so the send "works".
  hosts.network.CutLink(1, 2);
  EXPECT_TRUE(hosts.client.Send({.node = 2, .port = 80}, "Put", "x").ok());
  EXPECT_EQ(hosts.network.stats().refused, 2u);
  EXPECT_EQ(hosts.network.stats().dropped, 1u);
}

TEST(Network, CrashLosesMessagesInFlightAndQueuedInMailboxes) {
  Loop loop({.seed = 11});
  Network network(loop, {.latency_min = milliseconds(1), .latency_max = milliseconds(1)});
  network.AddHost(1, "n1");
  network.AddHost(2, "n2");
  Socket client = network.BindEphemeral(1);
  Socket server = network.Bind({.node = 2, .port = 80});  // nobody receives: it queues
  ASSERT_TRUE(client.Send(server.address(), "Put", "queued").ok());
  ASSERT_TRUE(loop.RunFor(milliseconds(2)).ok());
  EXPECT_EQ(server.queued(), 1u);
  ASSERT_TRUE(client.Send(server.address(), "Put", "in flight").ok());
  network.CrashHost(2);
  EXPECT_TRUE(server.closed());
  EXPECT_EQ(server.queued(), 0u);
  network.RestartHost(2);
  Socket reborn = network.Bind({.node = 2, .port = 80});
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(reborn.queued(), 0u);
  EXPECT_EQ(network.stats().dropped, 2u);
}

TEST(Network, AFullMailboxDropsTheMessage) {
  Loop loop({.seed = 12});
  Network network(loop, {.mailbox_capacity = 2});
  network.AddHost(1, "n1");
  network.AddHost(2, "n2");
  Socket client = network.BindEphemeral(1);
  Socket server = network.Bind({.node = 2, .port = 80});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.Send(server.address(), "Put", "x").ok());
  ASSERT_TRUE(loop.Run().ok());
  EXPECT_EQ(server.queued(), 2u);
  EXPECT_EQ(network.stats().dropped, 3u);
}

Task<absl::Status> ReceiveOnce(Socket& socket, Duration timeout) {
  absl::StatusOr<Message> message = co_await socket.ReceiveFor(timeout);
  co_return message.status();
}

TEST(Network, ReceiveForTimesOutWithDeadlineExceeded) {
  Loop loop({.seed = 13});
  TwoHosts hosts(loop, {});
  Socket quiet = hosts.network.Bind({.node = 2, .port = 81});
  TaskHandle<absl::Status> waited = loop.Spawn(ReceiveOnce(quiet, milliseconds(30)), "wait");
  ASSERT_TRUE(loop.RunUntilComplete(waited).ok());
  EXPECT_TRUE(absl::IsDeadlineExceeded(waited.result())) << waited.result();
  EXPECT_EQ(loop.Now(), Time(milliseconds(30)));
}

TEST(Network, ReceiveOnASocketClosedByACrashIsUnavailable) {
  Loop loop({.seed = 14});
  TwoHosts hosts(loop, {});
  Socket socket = hosts.network.Bind({.node = 2, .port = 81});
  TaskHandle<absl::Status> waited = loop.Spawn(ReceiveOnce(socket, milliseconds(30)), "wait");
  loop.CallLater(milliseconds(5), [&hosts] { hosts.network.CrashHost(2); });
  ASSERT_TRUE(loop.RunUntilComplete(waited).ok());
  EXPECT_TRUE(absl::IsUnavailable(waited.result())) << waited.result();
}

TEST(Network, TraceNotesNameEverySendDeliveryDropAndPartition) {
  Loop loop({.seed = 15, .trace = {.keep_all = true}});
  TwoHosts hosts(loop, {.latency_min = milliseconds(1), .latency_max = milliseconds(1)});
  hosts.SendMany(1);
  ASSERT_TRUE(loop.Run().ok());
  hosts.network.CutLink(1, 2);
  hosts.SendMany(1);
  hosts.network.HealAll();
  const std::string trace = loop.FormatTrace(loop.trace().events());
  EXPECT_NE(trace.find("n1:49152 -> n2:80 #1 Put sent, arrives in 1ms"), std::string::npos)
      << trace;
  EXPECT_NE(trace.find("n1:49152 -> n2:80 #1 Put delivered"), std::string::npos) << trace;
  EXPECT_NE(trace.find("partition n1 -/-> n2 opened (one-way)"), std::string::npos) << trace;
  EXPECT_NE(trace.find("n1:49152 -> n2:80 #2 Put dropped (partition)"), std::string::npos) << trace;
  EXPECT_NE(trace.find("every partition healed (1 cut link(s))"), std::string::npos) << trace;
}

TEST(Network, DestroyingTheNetworkCancelsDeliveriesAndDetachesSockets) {
  Loop loop({.seed = 16});
  Socket survivor;
  {
    Network network(loop, {});
    network.AddHost(1, "n1");
    network.AddHost(2, "n2");
    Socket server = network.Bind({.node = 2, .port = 80});
    survivor = network.BindEphemeral(1);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(survivor.Send(server.address(), "Put", "x").ok());
    EXPECT_EQ(network.in_flight(), 10u);
  }
  EXPECT_TRUE(survivor.closed());
  EXPECT_TRUE(absl::IsUnavailable(survivor.Send({.node = 2, .port = 80}, "Put", "x").status()));
  EXPECT_TRUE(loop.Run().ok());  // the cancelled deliveries never fire
}

}  // namespace
}  // namespace laplace::sim
