#include "examples/stale_reads/register.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "base/strings.h"

namespace laplace::examples::stale_reads {
namespace {

using ::laplace::internal::Cat;

// "counter writer value", value "nil" when unset.
template <typename Stamped>
std::string Encode(const Stamped& s) {
  return Cat(s.counter, " ", s.writer, " ", s.value.has_value() ? std::to_string(*s.value) : "nil");
}

template <typename Stamped>
bool Decode(const std::string& payload, Stamped& out) {
  long long counter = 0, writer = 0;
  char value[32] = {};
  if (std::sscanf(payload.c_str(), "%lld %lld %31s", &counter, &writer, value) != 3) return false;
  out.counter = counter;
  out.writer = writer;
  if (std::string(value) == "nil") {
    out.value.reset();
  } else {
    out.value = std::strtoll(value, nullptr, 10);
  }
  return true;
}

struct Replica {
  int64_t counter = 0;
  int64_t writer = 0;
  std::optional<int64_t> value;
};

}  // namespace

Task<> ServeReplica(sim::Node& node) {
  Replica state;
  sim::Socket socket = node.Bind(kPort);
  while (true) {
    absl::StatusOr<sim::Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    if (request->kind == "Set") {
      Replica sent;
      if (!Decode(request->payload, sent)) continue;
      if (std::pair(sent.counter, sent.writer) > std::pair(state.counter, state.writer)) {
        state = sent;
      }
      (void)socket.Reply(*request, "SetOk", "");
    } else if (request->kind == "Get") {
      (void)socket.Reply(*request, "GetOk", Encode(state));
    }
  }
}

QuorumClient::QuorumClient(sim::Node& node, std::vector<sim::NodeId> replicas, int64_t writer,
                           ReadMode mode)
    : node_(node), replicas_(std::move(replicas)), writer_(writer), mode_(mode) {}

Task<std::vector<QuorumClient::Stamped>> QuorumClient::Round(std::vector<sim::NodeId> to,
                                                             std::string kind, std::string payload,
                                                             size_t needed) {
  sim::Socket socket = node_.BindEphemeral();
  for (sim::NodeId replica : to) (void)socket.Send({replica, kPort}, kind, payload);
  std::vector<Stamped> replies;
  std::vector<sim::NodeId> heard;
  Time deadline = node_.loop().Now() + kRoundTimeout;
  while (replies.size() < needed && node_.loop().Now() < deadline) {
    absl::StatusOr<sim::Message> reply = co_await socket.ReceiveFor(deadline - node_.loop().Now());
    if (!reply.ok()) break;
    if (std::find(heard.begin(), heard.end(), reply->from.node) != heard.end()) continue;
    Stamped stamped;
    if (reply->kind == "GetOk" && !Decode(reply->payload, stamped)) continue;
    heard.push_back(reply->from.node);
    replies.push_back(stamped);
  }
  co_return replies;
}

Task<absl::Status> QuorumClient::Store(const Stamped& stamped) {
  size_t majority = replicas_.size() / 2 + 1;
  std::vector<Stamped> acks = co_await Round(replicas_, "Set", Encode(stamped), majority);
  if (acks.size() < majority) co_return absl::DeadlineExceededError("no majority acknowledged");
  co_return absl::OkStatus();
}

Task<absl::Status> QuorumClient::Write(int64_t value) {
  size_t majority = replicas_.size() / 2 + 1;
  std::vector<Stamped> stamps = co_await Round(replicas_, "Get", "", majority);
  if (stamps.size() < majority) co_return absl::DeadlineExceededError("no majority answered");
  int64_t highest = counter_used_;
  for (const Stamped& s : stamps) highest = std::max(highest, s.counter);
  counter_used_ = highest + 1;
  Stamped stamped{counter_used_, writer_, value};
  co_return co_await Store(stamped);
}

Task<absl::StatusOr<std::optional<int64_t>>> QuorumClient::Read() {
  if (mode_ == ReadMode::kOneReplica) {
    // The bug: any one replica's value, however stale.
    // (A named vector: g++ 12 mishandles brace-initialized temporaries in co_await.)
    std::vector<sim::NodeId> replica = {replicas_[node_.loop().Choose(replicas_.size())]};
    std::vector<Stamped> one = co_await Round(replica, "Get", "", 1);
    if (one.empty()) co_return absl::DeadlineExceededError("the replica did not answer");
    co_return one[0].value;
  }
  size_t majority = replicas_.size() / 2 + 1;
  std::vector<Stamped> stamps = co_await Round(replicas_, "Get", "", majority);
  if (stamps.size() < majority) co_return absl::DeadlineExceededError("no majority answered");
  Stamped newest = stamps[0];
  for (const Stamped& s : stamps) {
    if (std::pair(s.counter, s.writer) > std::pair(newest.counter, newest.writer)) newest = s;
  }
  // Write back before answering, so no later read can see an older value.
  absl::Status stored = co_await Store(newest);
  if (!stored.ok()) co_return stored;
  co_return newest.value;
}

}  // namespace laplace::examples::stale_reads
