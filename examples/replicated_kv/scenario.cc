#include "examples/replicated_kv/scenario.h"

#include <string>
#include <utility>
#include <vector>

#include "examples/replicated_kv/buggy.h"
#include "examples/replicated_kv/fixed.h"
#include "examples/replicated_kv/servers.h"
#include "loop/future.h"
#include "loop/task.h"
#include "loop/wait_for.h"
#include "sim/rpc.h"

namespace laplace::examples::replicated_kv {
namespace {

constexpr sim::NodeId kPrimary = 1;
constexpr sim::NodeId kBackup = 2;
constexpr sim::NodeId kClient = 3;

// What the client saw, kept outside the world: the test's oracle.
struct History {
  std::vector<std::pair<std::string, std::string>> acknowledged;
};

Task<> Client(sim::Node& node, ScenarioOptions options, History& history, Promise<>& done) {
  const sim::Address primary{kPrimary, kPort};
  for (int i = 0; i < options.writes; ++i) {
    std::string key = "k" + std::to_string(i);
    std::string value = "v" + std::to_string(i);
    while (true) {
      absl::StatusOr<sim::Message> reply =
          co_await node.Call(primary, "Put", EncodePair(key, value), options.put_timeout);
      if (reply.ok() && reply->kind == "PutOk") break;
      co_await node.clock().Sleep(kRetryBackoff);
    }
    history.acknowledged.emplace_back(key, value);
  }
  done.SetValue();
}

// Reads `key` from the backup, retrying a few times (faults are off by now).
Task<absl::StatusOr<sim::Message>> ReadFromBackup(sim::World& world, std::string key) {
  absl::StatusOr<sim::Message> reply = absl::UnavailableError("not tried");
  for (int attempt = 0; attempt < 20 && !reply.ok(); ++attempt) {
    reply = co_await sim::Call(world.network(), kClient, {kBackup, kPort}, "Get", key,
                               std::chrono::milliseconds(500));
  }
  co_return reply;
}

Task<absl::Status> Judge(sim::World& world, ScenarioOptions options, History& history,
                         Future<> done) {
  Loop& loop = world.loop();
  co_await loop.Sleep(options.fault_phase);
  world.Quiesce();
  absl::Status finished = co_await WaitFor(loop, done, options.liveness_timeout);
  if (!finished.ok()) {
    co_return absl::DeadlineExceededError(
        "liveness: " + std::to_string(history.acknowledged.size()) + " of " +
        std::to_string(options.writes) + " writes acknowledged " +
        FormatDuration(options.liveness_timeout) + " after the faults stopped");
  }
  co_await loop.Sleep(options.settle);
  loop.Note("the primary is lost for good; reading every acknowledged write from the backup");
  world.Crash(kPrimary);
  for (const auto& [key, value] : history.acknowledged) {
    absl::StatusOr<sim::Message> reply = co_await ReadFromBackup(world, key);
    if (!reply.ok())
      co_return absl::InternalError("backup unreachable: " + reply.status().ToString());
    if (reply->kind != "GetOk" || reply->payload != value) {
      co_return absl::DataLossError(
          "acknowledged write " + key + "=" + value + " is lost: the backup has " +
          (reply->kind == "GetOk" ? "'" + reply->payload + "'" : std::string("nothing")));
    }
  }
  co_return absl::OkStatus();
}

Task<> Idle(sim::Node& node) { co_await node.loop().Yield(); }

}  // namespace

std::string_view VariantName(Variant variant) {
  return variant == Variant::kFixed ? "fixed" : "buggy";
}

absl::Status RunScenario(Loop& loop, const ScenarioOptions& options) {
  sim::SwarmDraw draw =
      options.swarm ? sim::DrawSwarm(loop, options.swarm_options, options.world, options.nemesis)
                    : sim::SwarmDraw{options.world, options.nemesis};
  draw.nemesis.targets = {kPrimary, kBackup};
  History history;
  Promise<> done(loop, "writes done");
  sim::World world(loop, draw.world);
  const PutHandler handle_put =
      options.variant == Variant::kFixed ? FixedHandlePut : BuggyHandlePut;
  world.AddNode("primary", [handle_put](sim::Node& node) {
    return ServePrimary(node, {kBackup, kPort}, handle_put);
  });
  world.AddNode("backup", ServeBackup);
  sim::Node& client = world.AddNode("client", Idle);
  client.Spawn(Client(client, options, history, done), "workload", /*daemon=*/true);
  loop.Spawn(sim::RunNemesis(world, draw.nemesis),
             SpawnOptions{.label = "nemesis", .daemon = true});
  TaskHandle<absl::Status> verdict =
      loop.Spawn(Judge(world, options, history, done.future()), "judge");
  RunResult run = loop.RunUntilComplete(verdict);
  if (run.outcome != RunOutcome::kCompleted) {
    return absl::InternalError("the run did not complete: " + run.ToString());
  }
  return verdict.result();
}

}  // namespace laplace::examples::replicated_kv
