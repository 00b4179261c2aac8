#include "examples/lease/lease.h"

#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

#include "base/strings.h"
#include "loop/task.h"
#include "sim/node.h"

namespace laplace::examples::lease {
namespace {

using ::laplace::internal::Cat;

uint64_t ParseToken(std::string_view text) {
  uint64_t token = 0;
  std::from_chars(text.data(), text.data() + text.size(), token);
  return token;
}

// The lock server: one lease, in memory. Each incarnation starts here, so a
// crash forgets who held it.
Task<> ServeLocks(sim::Node& node, LeaseOptions options, LeaseBook& book) {
  sim::Socket socket = node.Bind(kPort);
  const Time started = node.clock().Now();
  const Time grants_from =
      options.variant == Variant::kFixed ? started + options.lease_duration : started;
  std::string holder;
  uint64_t held_token = 0;
  Time expires;
  while (true) {
    absl::StatusOr<sim::Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    if (request->kind != "Acquire") continue;
    const Time now = node.clock().Now();
    const bool live = !holder.empty() && now < expires;
    if (live && holder == request->payload) {
      // A retried (or late) Acquire from the holder: the same lease, renewed.
      expires = now + options.lease_duration;
      (void)socket.Reply(*request, "Granted", Cat(held_token));
      continue;
    }
    if (now < grants_from || live) {
      (void)socket.Reply(*request, "Held", holder);
      continue;
    }
    holder = request->payload;
    expires = now + options.lease_duration;
    held_token = book.Record(holder, node.loop().Now());
    node.loop().Note(Cat("lease #", held_token, " granted to ", holder));
    (void)socket.Reply(*request, "Granted", Cat(held_token));
  }
}

// The storage node: applies writes, each checked against the book.
Task<> ServeStorage(sim::Node& node, LeaseBook& book) {
  sim::Socket socket = node.Bind(kPort);
  while (true) {
    absl::StatusOr<sim::Message> request = co_await socket.Receive();
    if (!request.ok()) co_return;
    const size_t space = request->payload.find(' ');
    const uint64_t token = ParseToken(std::string_view(request->payload).substr(0, space));
    const std::string writer = request->payload.substr(space + 1);
    book.CheckWrite(writer, token, node.loop().Now());
    (void)socket.Reply(*request, "Written", "");
  }
}

struct Held {
  uint64_t token = 0;
  Time lease_end;  // local time; counted from the request's sending, so never later than the
                   // server's own expiry
};

// Retries Acquire until granted.
Task<Held> Acquire(sim::Node& node, const LeaseOptions& options) {
  const sim::Address server{kLockServer, kPort};
  while (true) {
    const Time asked = node.clock().Now();
    absl::StatusOr<sim::Message> reply =
        co_await node.Call(server, "Acquire", node.name(), options.call_timeout);
    if (reply.ok() && reply->kind == "Granted") {
      co_return Held{ParseToken(reply->payload), asked + options.lease_duration};
    }
    co_await node.clock().Sleep(options.retry_backoff);
  }
}

Task<> RunClient(sim::Node& node, LeaseOptions options) {
  const sim::Address storage{kStorage, kPort};
  while (true) {
    const Held held = co_await Acquire(node, options);
    const uint64_t token = held.token;
    const Time lease_end = held.lease_end;
    while (node.clock().Now() + options.lease_margin < lease_end) {
      absl::StatusOr<sim::Message> reply =
          co_await node.Call(storage, "Write", Cat(token, " ", node.name()), options.call_timeout);
      if (reply.ok()) break;
    }
    co_await node.clock().SleepUntil(lease_end);
  }
}

}  // namespace

uint64_t LeaseBook::Record(std::string holder, Time now) {
  const uint64_t token = grants_.size() + 1;
  grants_.push_back(Grant{std::move(holder), token, now});
  return token;
}

void LeaseBook::CheckWrite(const std::string& writer, uint64_t token, Time now) {
  if (!violation_.ok() || token == 0 || token >= grants_.size()) return;
  const Grant& later = grants_[token];  // the grant after `token`'s
  if (later.granted_at > now) return;
  violation_ = absl::FailedPreconditionError(
      Cat(writer, "'s write under lease #", token, " was applied at ", FormatTime(now),
          ", after lease #", later.token, " went to ", later.holder, " at ",
          FormatTime(later.granted_at)));
}

void AddLeaseService(sim::World& world, const LeaseOptions& options, LeaseBook& book) {
  world.AddNode("lock",
                [options, &book](sim::Node& node) { return ServeLocks(node, options, book); });
  world.AddNode("storage", [&book](sim::Node& node) { return ServeStorage(node, book); });
  for (const char* name : {"client-a", "client-b"}) {
    world.AddNode(name, [options](sim::Node& node) { return RunClient(node, options); });
  }
}

}  // namespace laplace::examples::lease
