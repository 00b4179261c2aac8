// Network: simulated hosts that exchange messages through sockets.
//
// A host (a simulated node, see node.h) binds sockets to ports; a socket sends
// messages to addresses and receives the messages sent to it, like a UDP
// socket with a mailbox. Every message goes through the network's faults:
//
//   latency    each copy of a message arrives after its own latency, drawn
//              in [latency_min, latency_max] (a kDelay choice, 0 = minimum).
//              Reordering falls out of this: two messages on the same link
//              arrive in the order of their arrival times, not of their sends
//              (copies due at the same instant in the Loop's kTimerTie order).
//   drop       with drop_ratio, a message is lost (a kFault choice).
//   duplicate  with duplicate_ratio, a message arrives twice (kFault); both
//              copies carry the same id.
//   partition  a cut link (one-way, or both ways for a symmetric partition)
//              loses every message on it, whether cut when the message is
//              sent or while it is in flight. A test or a nemesis (see
//              nemesis.h) opens and heals partitions.
//   crash      a message in flight to a host that crashes (or restarts) is
//              lost, and so is everything queued in its sockets' mailboxes.
// Each delivery is a Loop callback (CallAt) at send time + latency, and every
// send, delivery, drop, duplicate, refusal and partition change is a trace
// note, e.g. "n1:49152 -> n2:80 #17 Put dropped (random loss)".
//
// Messages are bytes (`payload`) plus a short `kind` ("Put") that makes traces
// readable. Bytes rather than typed objects because a real network carries
// bytes: a message can never smuggle a pointer into the sender's memory that
// would survive the sender's crash, a duplicate is a plain copy, and the same
// encoding serves the disk (disk.h).
//
//   laplace::sim::Network network(loop, {.drop_ratio = {1, 100}});
//   network.AddHost(1, "n1");
//   network.AddHost(2, "n2");
//   laplace::sim::Socket server = network.Bind({.node = 2, .port = 80});
//   laplace::sim::Socket client = network.BindEphemeral(1);
//   absl::StatusOr<uint64_t> id = client.Send(server.address(), "Ping", "hello");
//   // in a task on n2:
//   absl::StatusOr<laplace::sim::Message> ping = co_await server.Receive();
#ifndef LAPLACE_SIM_NETWORK_H_
#define LAPLACE_SIM_NETWORK_H_

#include <compare>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"  // allowed: lookups only
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/intrusive_list.h"
#include "loop/loop.h"
#include "loop/queue.h"
#include "loop/ratio.h"
#include "loop/task.h"
#include "loop/time.h"
#include "sim/draw.h"
#include "sim/internal/cut_links.h"

namespace laplace::sim {

// A simulated node's id; also its Loop task group (so 0 is not a node).
using NodeId = uint32_t;

// Where a socket is bound: a host and a port on it.
struct Address {
  NodeId node = 0;
  uint32_t port = 0;

  friend auto operator<=>(const Address&, const Address&) = default;
  friend bool operator==(const Address&, const Address&) = default;
};

// Ports from here up are handed out by Network::BindEphemeral.
inline constexpr uint32_t kEphemeralPortMin = 49152;

// One message as its receiver sees it.
struct Message {
  // Network-wide sequence number, from 1, in send order. Both copies of a
  // duplicated message carry the same id.
  uint64_t id = 0;
  Address from;
  Address to;
  std::string kind;     // e.g. "Put"; for traces and for dispatching
  std::string payload;  // the bytes
  // For a reply (Socket::Reply), the id of the request it answers; else 0.
  uint64_t in_reply_to = 0;
};

// The network's fault settings. The defaults are a fault-free network whose
// latency range still reorders messages; a run may draw fault settings from
// its seed instead (swarm.h).
struct NetworkOptions {
  // Each copy of a message arrives after a latency in [latency_min,
  // latency_max], drawn per copy. Equal bounds keep the order of messages
  // sent at different instants (those sent at one instant arrive at one
  // instant, in the Loop's kTimerTie order).
  Duration latency_min = std::chrono::milliseconds(1);
  Duration latency_max = std::chrono::milliseconds(5);
  // The chance that a sent message is lost.
  Ratio drop_ratio = {0, 1};
  // The chance that a sent (and not dropped) message arrives twice.
  Ratio duplicate_ratio = {0, 1};
  // A socket's mailbox holds at most this many messages; a message that
  // arrives at a full mailbox is dropped.
  size_t mailbox_capacity = 1024;
};

// Counters since the network was made.
struct NetworkStats {
  uint64_t sent = 0;        // Send calls that returned an id (lost ones too)
  uint64_t refused = 0;     // Send calls that returned kUnavailable
  uint64_t dropped = 0;     // copies lost: random loss, partition, crash, ...
  uint64_t duplicated = 0;  // messages sent twice
  uint64_t delivered = 0;   // copies put into a mailbox
};

class Network;
class ReceiveAwaiter;

namespace internal {

// A bound socket's state, owned by its Socket and registered with its Network.
struct Endpoint {
  Endpoint(Loop& loop, size_t capacity, std::string_view label) : mailbox(loop, capacity, label) {}
  Network* network = nullptr;  // null once closed or detached
  Address address;
  Queue<Message> mailbox;
};

}  // namespace internal

// A bound socket: sends from its address, receives what is sent to it.
//
// Move-only; destroying or closing it unbinds the address and drops what is
// queued in its mailbox. Sockets usually live in a node's task frames, so a
// crash (which destroys those frames) unbinds them; the network also closes
// every socket of a crashed host, wherever it lives. A socket must outlive
// every Receive awaiting on it.
class Socket {
 public:
  // An unbound socket; only assignment, bound() and the destructor may be used.
  Socket() = default;
  Socket(Socket&& other) noexcept = default;
  // Closes this socket first.
  Socket& operator=(Socket&& other) noexcept;
  // Closes the socket (see Close).
  ~Socket() { Close(); }

  // False for a default-constructed or moved-from socket.
  bool bound() const { return endpoint_ != nullptr; }
  // Closed by Close(), by its host's crash, or by the Network's destruction.
  bool closed() const { return endpoint_ == nullptr || endpoint_->network == nullptr; }
  // Requires bound().
  Address address() const;

  // Sends a message; see Network::Send for the outcomes. kUnavailable also
  // when this socket is closed.
  absl::StatusOr<uint64_t> Send(Address to, std::string_view kind, std::string payload);
  // Sends a reply to `request`'s sender, with in_reply_to = request.id.
  absl::StatusOr<uint64_t> Reply(const Message& request, std::string_view kind,
                                 std::string payload);

  // Awaits the next message in the mailbox (first come, first served among
  // receivers). The Loop resumes the awaiting task at a scheduling point
  // after a message is delivered (a delivery callback puts it in the
  // mailbox); if the socket is closed (its host crashed), the task resumes
  // with kUnavailable. Cancelling the awaiting task loses no message: one
  // handed to it comes back to the mailbox. Requires bound().
  [[nodiscard]] ReceiveAwaiter Receive();
  // Receive with a virtual-time timeout: kDeadlineExceeded if no message
  // arrived within `timeout` (the message, if one comes later, stays queued).
  // Runs the receive in a child task (see WaitFor); cancelling the awaiting
  // task cancels it and loses no message.
  Task<absl::StatusOr<Message>> ReceiveFor(Duration timeout);

  // Messages waiting in the mailbox.
  size_t queued() const { return endpoint_ != nullptr ? endpoint_->mailbox.size() : 0; }
  // Unbinds the address; waiting receivers resume with kUnavailable and
  // queued messages are dropped. Idempotent.
  void Close();

 private:
  friend class Network;
  explicit Socket(std::unique_ptr<internal::Endpoint> endpoint) : endpoint_(std::move(endpoint)) {}

  std::unique_ptr<internal::Endpoint> endpoint_;
};

// Hosts, their sockets, the messages in flight between them, and partitions.
//
// The Network must be destroyed before its Loop (declare it after the Loop);
// its destructor cancels the deliveries still in flight and detaches the
// sockets still bound, which then act as closed.
class Network {
 public:
  // A network without hosts; every choice it makes comes from `loop`.
  explicit Network(Loop& loop, NetworkOptions options = {});
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;
  // See the class comment.
  ~Network();

  // The Loop whose choices, timers and trace the network uses.
  Loop& loop() const { return *loop_; }

  // ---- Hosts ----

  // Adds a host, up. Requires node >= 1 and not yet added.
  void AddHost(NodeId node, std::string name);
  bool has_host(NodeId node) const { return node < hosts_.size() && hosts_[node].present; }
  // The host's name, e.g. "n1". Requires has_host(node).
  const std::string& host_name(NodeId node) const { return host(node).name; }
  // False between CrashHost and RestartHost.
  bool host_up(NodeId node) const { return host(node).up; }
  // Counts restarts from 1; messages in flight to an older incarnation are lost.
  uint64_t host_incarnation(NodeId node) const { return host(node).incarnation; }
  // The host goes down: every socket bound on it is closed (its mailbox
  // dropped, its receivers resumed with kUnavailable), and every message in
  // flight to it will be lost. Requires host_up(node).
  void CrashHost(NodeId node);
  // The host comes back up as a new incarnation. Requires !host_up(node).
  void RestartHost(NodeId node);

  // ---- Sockets ----

  // Binds `address`. Requires the host to exist and the address to be free
  // (binding twice is a programmer error). On a host that is down, gives a
  // closed socket.
  Socket Bind(Address address);
  // Binds the next free port >= kEphemeralPortMin on `node` (ports are not
  // reused within a run, so a late reply never reaches a later socket).
  Socket BindEphemeral(NodeId node);

  // Sends a message from `from` (a bound address) to `to` and returns its
  // id. The outcomes a caller must tell apart:
  //   an id         the network took the message; it may still be lost
  //                 (dropped, partitioned, the receiver crashing): a sender
  //                 learns nothing more, as with a real datagram;
  //   kUnavailable  surely NOT delivered: the sender's host is down, or the
  //                 receiving host is down or has nothing bound at `to` and
  //                 the link is not cut (the simulation reports this refusal
  //                 at once, like a connection refused). A cut link never
  //                 refuses: a partition is silent.
  // Requires both hosts to exist.
  absl::StatusOr<uint64_t> Send(Address from, Address to, std::string_view kind,
                                std::string payload, uint64_t in_reply_to = 0);

  // ---- Partitions ----

  // Cuts the one-way link from -> to (idempotent). Messages from `from` to
  // `to` are lost; the other direction still works.
  void CutLink(NodeId from, NodeId to);
  // Heals the one-way link from -> to (idempotent).
  void HealLink(NodeId from, NodeId to);
  // A symmetric partition: cuts every link between a node of `side_a` and a
  // node of `side_b`, both ways. Requires the sides to be disjoint.
  void Partition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b);
  // Heals what Partition(side_a, side_b) cut.
  void HealPartition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b);
  // Cuts `node` off from every other host, both ways.
  void Isolate(NodeId node);
  // Heals every cut link.
  void HealAll();
  bool IsCut(NodeId from, NodeId to) const { return cut_links_.IsCut(from, to); }
  // How many one-way links are cut (a symmetric partition of a and b cuts 2ab). A partition is
  // kept as the sides' membership, not pair by pair, so this counts groups of alike nodes.
  size_t cut_link_count() const { return cut_links_.count(); }

  // ---- Options and state ----

  // The settings messages are sent with.
  const NetworkOptions& options() const { return options_; }
  // Takes effect for messages sent from now on (World::Quiesce uses it).
  void set_options(const NetworkOptions& options);
  // What happened so far.
  const NetworkStats& stats() const { return stats_; }
  // Copies of messages in flight (scheduled, not yet delivered or lost).
  size_t in_flight() const { return in_flight_count_; }
  // "n1:80".
  std::string FormatAddress(Address address) const;
  // Every host id, in increasing order.
  std::vector<NodeId> hosts() const;

 private:
  friend class Socket;
  struct Host {
    bool present = false;
    std::string name;
    bool up = true;
    uint64_t incarnation = 1;
    // The latest event when it last went down or came back (the crash or
    // restart note, when a Node does it): what a drop because of it follows.
    EventRef changed_at = 0;
    uint32_t next_ephemeral_port = kEphemeralPortMin;
    // Bound sockets, sorted by port (a host has few: a sorted vector beats a
    // tree here, and this is the hot path of every send and delivery).
    std::vector<std::pair<uint32_t, internal::Endpoint*>> sockets;
  };
  // One copy of a message in flight. Owned by the network; linked in send
  // order so the destructor can cancel the Loop timers still pending.
  struct InFlight : ::laplace::internal::IntrusiveLink<InFlight> {
    InFlight(Message message, uint64_t incarnation)
        : message(std::move(message)), incarnation(incarnation) {}

    Message message;
    uint64_t incarnation;  // of the receiving host, when sent
    EventRef sent_at = 0;  // the note of its send (a delivery's cause)
    TimerId timer = 0;
  };

  const Host& host(NodeId node) const;
  Host& host(NodeId node);
  internal::Endpoint* FindEndpoint(Address address) const;
  void Unregister(internal::Endpoint& endpoint);
  // The stream of the next message called `name` (its ordinal is the key).
  Stream MessageStream(std::string_view name);
  // Puts a message that may be sent on the wire: it may be lost at random, or duplicated, and
  // each copy that survives gets its own latency.
  void Transmit(Message message);
  // `sent_at`: the note the delivery follows from.
  void Schedule(Message message, Duration latency, EventRef sent_at);
  void Deliver(InFlight* flight);
  // Notes the loss of `message` on `node`'s side, following from `cause`.
  void Drop(const Message& message, std::string_view why, NodeId node, EventRef cause = 0);
  std::string Describe(const Message& message) const;
  std::string FormatSide(const std::vector<NodeId>& side) const;

  Loop* loop_;
  NetworkOptions options_;
  NetworkStats stats_;
  std::vector<Host> hosts_;  // indexed by NodeId; hosts_[0] is never present
  // Cut one-way links, each with the note that cut it (a drop's cause).
  internal::CutLinks cut_links_;
  ::laplace::internal::IntrusiveList<InFlight> in_flight_;  // oldest first
  size_t in_flight_count_ = 0;
  uint64_t next_message_id_ = 1;
  // Messages sent so far per stream name ("net <from>-><to> <kind>"): a
  // retry shifts only the later messages of its own kind on its own link.
  absl::flat_hash_map<StreamId, uint64_t> message_ordinals_;  // allowed: lookups only
};

// Awaiter of Socket::Receive.
class ReceiveAwaiter {
 public:
  explicit ReceiveAwaiter(internal::Endpoint& endpoint) : inner_(endpoint.mailbox.Get()) {}
  // Movable until awaited (so WaitFor can take it).
  ReceiveAwaiter(ReceiveAwaiter&&) = default;

  bool await_ready() { return inner_.await_ready(); }
  void await_suspend(std::coroutine_handle<> resume_point) { inner_.await_suspend(resume_point); }
  absl::StatusOr<Message> await_resume();

 private:
  Queue<Message>::GetAwaiter inner_;
};

// Implementation details follow.

inline absl::StatusOr<Message> ReceiveAwaiter::await_resume() {
  absl::StatusOr<Message> message = inner_.await_resume();
  // The mailbox is closed only when the socket is: say so in network terms.
  if (absl::IsOutOfRange(message.status())) {
    return absl::UnavailableError("socket closed (its host crashed or it was closed)");
  }
  return message;
}

}  // namespace laplace::sim

#endif  // LAPLACE_SIM_NETWORK_H_
