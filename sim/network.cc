#include "sim/network.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "base/check.h"
#include "base/strings.h"
#include "loop/wait_for.h"

namespace laplace::sim {

using ::laplace::internal::Append;
using ::laplace::internal::Cat;

// ---- Socket ----

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    Close();
    endpoint_ = std::move(other.endpoint_);
  }
  return *this;
}

Address Socket::address() const {
  LAPLACE_CHECK(endpoint_ != nullptr) << "address() of an unbound socket";
  return endpoint_->address;
}

absl::StatusOr<uint64_t> Socket::Send(Address to, std::string_view kind, std::string payload) {
  LAPLACE_CHECK(endpoint_ != nullptr) << "Send on an unbound socket";
  if (endpoint_->network == nullptr) return absl::UnavailableError("send on a closed socket");
  return endpoint_->network->Send(endpoint_->address, to, kind, std::move(payload));
}

absl::StatusOr<uint64_t> Socket::Reply(const Message& request, std::string_view kind,
                                       std::string payload) {
  LAPLACE_CHECK(endpoint_ != nullptr) << "Reply on an unbound socket";
  if (endpoint_->network == nullptr) return absl::UnavailableError("reply on a closed socket");
  return endpoint_->network->Send(endpoint_->address, request.from, kind, std::move(payload),
                                  request.id);
}

ReceiveAwaiter Socket::Receive() {
  LAPLACE_CHECK(endpoint_ != nullptr) << "Receive on an unbound socket";
  return ReceiveAwaiter(*endpoint_);
}

Task<absl::StatusOr<Message>> Socket::ReceiveFor(Duration timeout) {
  LAPLACE_CHECK(endpoint_ != nullptr) << "ReceiveFor on an unbound socket";
  co_return co_await WaitFor(endpoint_->mailbox.loop(), Receive(), timeout);
}

void Socket::Close() {
  if (endpoint_ == nullptr || endpoint_->network == nullptr) return;
  endpoint_->network->Unregister(*endpoint_);
}

// ---- Network: hosts ----

Network::Network(Loop& loop, NetworkOptions options) : loop_(&loop) { set_options(options); }

Network::~Network() {
  while (InFlight* flight = in_flight_.PopFront()) {
    loop_->CancelTimer(flight->timer);
    delete flight;
  }
  // Sockets still bound (in tasks the Loop has not destroyed yet) act closed.
  for (Host& each : hosts_) {
    for (auto& [port, endpoint] : each.sockets) endpoint->network = nullptr;
    each.sockets.clear();
  }
}

void Network::set_options(const NetworkOptions& options) {
  LAPLACE_CHECK(options.latency_min >= Duration(0)) << "negative latency_min";
  LAPLACE_CHECK(options.latency_min <= options.latency_max) << "latency_min > latency_max";
  LAPLACE_CHECK(options.mailbox_capacity >= 1) << "a mailbox needs room for a message";
  options_ = options;
}

const Network::Host& Network::host(NodeId node) const {
  LAPLACE_CHECK(has_host(node)) << "no host " << node << " in this network";
  return hosts_[node];
}

Network::Host& Network::host(NodeId node) {
  LAPLACE_CHECK(has_host(node)) << "no host " << node << " in this network";
  return hosts_[node];
}

void Network::AddHost(NodeId node, std::string name) {
  LAPLACE_CHECK(node >= 1) << "host ids start at 1 (0 is the Loop's 'no group')";
  LAPLACE_CHECK(!has_host(node)) << "host " << node << " added twice";
  LAPLACE_CHECK(node < (1u << 20)) << "host id " << node << " is too large (ids index a vector)";
  if (hosts_.size() <= node) hosts_.resize(node + 1);
  hosts_[node] = Host{.present = true, .name = std::move(name)};
}

std::vector<NodeId> Network::hosts() const {
  std::vector<NodeId> ids;
  for (NodeId id = 0; id < hosts_.size(); ++id) {
    if (hosts_[id].present) ids.push_back(id);
  }
  return ids;
}

internal::Endpoint* Network::FindEndpoint(Address address) const {
  if (!has_host(address.node)) return nullptr;
  const auto& sockets = hosts_[address.node].sockets;
  auto it = std::lower_bound(sockets.begin(), sockets.end(), address.port,
                             [](const auto& entry, uint32_t port) { return entry.first < port; });
  return it != sockets.end() && it->first == address.port ? it->second : nullptr;
}

void Network::CrashHost(NodeId node) {
  Host& crashed = host(node);
  LAPLACE_CHECK(crashed.up) << crashed.name << " crashed while already down";
  crashed.up = false;
  crashed.changed_at = loop_->last_event();
  // Close every socket of the host, wherever the Socket object lives.
  std::vector<internal::Endpoint*> closing;
  for (const auto& [port, endpoint] : crashed.sockets) closing.push_back(endpoint);
  uint64_t queued = 0;
  for (internal::Endpoint* endpoint : closing) {
    queued += endpoint->mailbox.size();
    Unregister(*endpoint);
  }
  stats_.dropped += queued;
  if (queued > 0) {
    loop_->Note(Cat(crashed.name, ": ", queued, " queued message(s) dropped"),
                {.kind = NoteKind::kMessageDropped, .group = node, .cause = crashed.changed_at});
  }
}

void Network::RestartHost(NodeId node) {
  Host& restarted = host(node);
  LAPLACE_CHECK(!restarted.up) << restarted.name << " restarted while up";
  restarted.up = true;
  ++restarted.incarnation;
  restarted.changed_at = loop_->last_event();
}

// ---- Network: sockets ----

Socket Network::Bind(Address address) {
  Host& bound_host = host(address.node);
  LAPLACE_CHECK(FindEndpoint(address) == nullptr)
      << FormatAddress(address) << " is already bound (bind each port once per incarnation)";
  auto endpoint = std::make_unique<internal::Endpoint>(*loop_, options_.mailbox_capacity,
                                                       Cat("mailbox ", FormatAddress(address)));
  endpoint->address = address;
  if (bound_host.up) {
    endpoint->network = this;
    auto& sockets = bound_host.sockets;
    auto at = std::lower_bound(sockets.begin(), sockets.end(), address.port,
                               [](const auto& entry, uint32_t port) { return entry.first < port; });
    sockets.insert(at, {address.port, endpoint.get()});
  } else {
    endpoint->mailbox.Close();  // a closed socket: its host is down
  }
  return Socket(std::move(endpoint));
}

Socket Network::BindEphemeral(NodeId node) {
  Host& owner = host(node);
  LAPLACE_CHECK(owner.next_ephemeral_port != 0) << owner.name << " ran out of ephemeral ports";
  while (FindEndpoint(Address{node, owner.next_ephemeral_port}) != nullptr) {
    ++owner.next_ephemeral_port;
  }
  Address address{node, owner.next_ephemeral_port++};
  return Bind(address);
}

void Network::Unregister(internal::Endpoint& endpoint) {
  LAPLACE_CHECK(endpoint.network == this) << "unregistering a socket of another network";
  std::erase_if(host(endpoint.address.node).sockets,
                [&endpoint](const auto& entry) { return entry.second == &endpoint; });
  endpoint.network = nullptr;
  while (endpoint.mailbox.TryGet().ok()) {
  }
  endpoint.mailbox.Close();  // receivers resume with kUnavailable
}

// ---- Network: messages ----

std::string Network::FormatAddress(Address address) const {
  if (!has_host(address.node)) return Cat("host", address.node, ":", address.port);
  return Cat(hosts_[address.node].name, ":", address.port);
}

std::string Network::Describe(const Message& message) const {
  std::string text = Cat(FormatAddress(message.from), " -> ", FormatAddress(message.to), " #",
                         message.id, " ", message.kind);
  if (message.in_reply_to != 0) Append(text, " (re #", message.in_reply_to, ")");
  return text;
}

void Network::Drop(const Message& message, std::string_view why, NodeId node, EventRef cause) {
  ++stats_.dropped;
  loop_->Note(
      Cat(Describe(message), " dropped (", why, ")"),
      {.kind = NoteKind::kMessageDropped, .group = node, .cause = cause, .flow = message.id});
}

absl::StatusOr<uint64_t> Network::Send(Address from, Address to, std::string_view kind,
                                       std::string payload, uint64_t in_reply_to) {
  const Host& sender = host(from.node);
  const Host& receiver = host(to.node);
  Message message{.id = next_message_id_++,
                  .from = from,
                  .to = to,
                  .kind = std::string(kind),
                  .payload = std::move(payload),
                  .in_reply_to = in_reply_to};
  if (!sender.up) {
    ++stats_.refused;
    loop_->Note(Cat(Describe(message), " refused (", sender.name, " is down)"),
                {.kind = NoteKind::kMessageRefused,
                 .group = from.node,
                 .cause = sender.changed_at,
                 .flow = message.id});
    return absl::UnavailableError(Cat(sender.name, " is down: nothing was sent"));
  }
  if (std::optional<EventRef> cut = cut_links_.Cause(from.node, to.node)) {
    ++stats_.sent;
    Drop(message, "partition", from.node, *cut);
    return message.id;
  }
  if (!receiver.up || FindEndpoint(to) == nullptr) {
    ++stats_.refused;
    std::string why = !receiver.up ? Cat(receiver.name, " is down")
                                   : Cat("nothing is bound at ", FormatAddress(to));
    loop_->Note(Cat(Describe(message), " refused (", why, ")"),
                {.kind = NoteKind::kMessageRefused,
                 .group = from.node,
                 .cause = receiver.up ? 0 : receiver.changed_at,
                 .flow = message.id});
    return absl::UnavailableError(
        Cat("message #", message.id, " ", kind, " was not delivered: ", why));
  }
  const uint64_t id = message.id;
  Transmit(std::move(message));
  return id;
}

void Network::Transmit(Message message) {
  ++stats_.sent;
  // The message's loss, latency and duplication draw on a stream of its own:
  // the n-th message of this kind on this link (see MessageStream).
  // Hosts, not addresses: a call's ephemeral port changes with every retry.
  const std::string stream_name = Cat("net ", host(message.from.node).name, "->",
                                      host(message.to.node).name, " ", message.kind);
  const Stream stream = MessageStream(stream_name);
  if (Roll(*loop_, options_.drop_ratio, ChoiceKind::kFault, stream)) {
    loop_->CountFault("network.drop");
    Drop(message, "random loss", message.from.node);
    return;
  }
  Duration latency =
      DrawDuration(*loop_, options_.latency_min, options_.latency_max, ChoiceKind::kDelay, stream);
  const NodeId from = message.from.node;
  const uint64_t id = message.id;
  loop_->Note(Cat(Describe(message), " sent, arrives in ", FormatDuration(latency)),
              {.kind = NoteKind::kMessageSent, .group = from, .flow = id});
  const EventRef sent_at = loop_->last_event();
  if (Roll(*loop_, options_.duplicate_ratio, ChoiceKind::kFault, stream)) {
    Duration copy_latency = DrawDuration(*loop_, options_.latency_min, options_.latency_max,
                                         ChoiceKind::kDelay, stream);
    ++stats_.duplicated;
    loop_->CountFault("network.duplicate");
    loop_->Note(
        Cat(Describe(message), " duplicated, copy arrives in ", FormatDuration(copy_latency)),
        {.kind = NoteKind::kFault, .group = from, .cause = sent_at, .flow = id});
    const EventRef copied_at = loop_->last_event();
    Message copy = message;
    Schedule(std::move(message), latency, sent_at);
    Schedule(std::move(copy), copy_latency, copied_at);
  } else {
    Schedule(std::move(message), latency, sent_at);
  }
}

Stream Network::MessageStream(std::string_view name) {
  const uint64_t ordinal = message_ordinals_[MakeStreamId({}, name, 0)]++;
  return Stream::Named(name, ordinal);
}

void Network::Schedule(Message message, Duration latency, EventRef sent_at) {
  const uint64_t incarnation = host(message.to.node).incarnation;
  auto* flight = new InFlight(std::move(message), incarnation);
  flight->sent_at = sent_at;
  in_flight_.PushBack(flight);
  ++in_flight_count_;
  flight->timer = loop_->CallLater(latency, [this, flight] { Deliver(flight); });
}

void Network::Deliver(InFlight* flight) {
  in_flight_.Remove(flight);
  --in_flight_count_;
  std::unique_ptr<InFlight> owned(flight);
  Message& message = flight->message;
  const NodeId to = message.to.node;
  const Host& receiver = host(to);
  if (!receiver.up) return Drop(message, Cat(receiver.name, " is down"), to, receiver.changed_at);
  if (receiver.incarnation != flight->incarnation) {
    return Drop(message, Cat(receiver.name, " restarted since it was sent"), to,
                receiver.changed_at);
  }
  if (std::optional<EventRef> cut = cut_links_.Cause(message.from.node, to)) {
    return Drop(message, "partition", to, *cut);
  }
  internal::Endpoint* endpoint = FindEndpoint(message.to);
  if (endpoint == nullptr) {
    return Drop(message, Cat("nothing is bound at ", FormatAddress(message.to)), to);
  }
  Queue<Message>& mailbox = endpoint->mailbox;
  if (mailbox.size() >= mailbox.capacity()) return Drop(message, "mailbox full", to);
  ++stats_.delivered;
  loop_->Note(Cat(Describe(message), " delivered"), {.kind = NoteKind::kMessageDelivered,
                                                     .group = to,
                                                     .cause = flight->sent_at,
                                                     .flow = message.id});
  absl::Status put = mailbox.TryPut(std::move(message));
  LAPLACE_CHECK(put.ok()) << "a mailbox with room refused a message: " << put.ToString();
}

// ---- Network: partitions ----

std::string Network::FormatSide(const std::vector<NodeId>& side) const {
  std::string text = "{";
  for (size_t i = 0; i < side.size(); ++i) {
    Append(text, i == 0 ? "" : ", ", host(side[i]).name);
  }
  return text + "}";
}

void Network::CutLink(NodeId from, NodeId to) {
  LAPLACE_CHECK(from != to) << "a host cannot be partitioned from itself";
  host(from);
  host(to);
  if (cut_links_.IsCut(from, to)) return;
  loop_->Note(Cat("partition ", host(from).name, " -/-> ", host(to).name, " opened (one-way)"),
              {.kind = NoteKind::kPartition});
  cut_links_.Cut(from, to, loop_->last_event());
}

void Network::HealLink(NodeId from, NodeId to) {
  if (!cut_links_.Heal(from, to)) return;
  loop_->Note(Cat("partition ", host(from).name, " -/-> ", host(to).name, " healed"),
              {.kind = NoteKind::kHeal});
}

void Network::Partition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) {
  std::vector<bool> on_side_a(hosts_.size());
  for (NodeId a : side_a) {
    LAPLACE_CHECK(has_host(a)) << "no host " << a << " in this network";
    on_side_a[a] = true;
  }
  for (NodeId b : side_b) {
    LAPLACE_CHECK(has_host(b)) << "no host " << b << " in this network";
    LAPLACE_CHECK(!on_side_a[b]) << host(b).name << " is on both sides of a partition";
  }
  loop_->Note(Cat("partition ", FormatSide(side_a), " <-/-> ", FormatSide(side_b), " opened"),
              {.kind = NoteKind::kPartition});
  // A link already cut keeps the note that cut it first.
  cut_links_.CutSides(side_a, side_b, loop_->last_event());
}

void Network::HealPartition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) {
  cut_links_.HealSides(side_a, side_b);
  loop_->Note(Cat("partition ", FormatSide(side_a), " <-/-> ", FormatSide(side_b), " healed"),
              {.kind = NoteKind::kHeal});
}

void Network::Isolate(NodeId node) {
  std::vector<NodeId> others;
  for (NodeId id : hosts()) {
    if (id != node) others.push_back(id);
  }
  Partition({node}, others);
}

void Network::HealAll() {
  const size_t cut = cut_links_.count();
  if (cut == 0) return;
  loop_->Note(Cat("every partition healed (", cut, " cut link(s))"), {.kind = NoteKind::kHeal});
  cut_links_.Clear();
}

}  // namespace laplace::sim
