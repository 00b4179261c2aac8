#include "examples/replicated_kv/scenario.h"

#include <string>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "examples/replicated_kv/buggy.h"
#include "examples/replicated_kv/fixed.h"
#include "examples/replicated_kv/servers.h"
#include "loop/future.h"
#include "loop/task.h"
#include "loop/wait_for.h"
#include "sim/rpc.h"

namespace laplace::examples::replicated_kv {
namespace {

using ::laplace::internal::Cat;

// The audit's reads: the faults are off by now, so a few tries suffice.
constexpr int kReadAttemptsMax = 20;
constexpr Duration kReadTimeout = std::chrono::milliseconds(500);

Task<absl::StatusOr<sim::Message>> ReadFromBackup(sim::World& world, std::string key) {
  absl::StatusOr<sim::Message> reply = absl::UnavailableError("not tried");
  for (int attempt = 0; attempt < kReadAttemptsMax && !reply.ok(); ++attempt) {
    reply =
        co_await sim::Call(world.network(), kClient, {kBackup, kPort}, "Get", key, kReadTimeout);
  }
  co_return reply;
}

// The three phases of RunScenario, with its verdict.
Task<absl::Status> Judge(ScenarioWorld& scenario, ScenarioOptions options) {
  Loop& loop = scenario.world().loop();
  co_await loop.Sleep(options.fault_phase);
  scenario.world().Quiesce();
  absl::Status finished =
      co_await WaitFor(loop, scenario.finished_future(), options.liveness_timeout);
  if (!finished.ok()) {
    co_return absl::DeadlineExceededError(Cat("liveness: ", scenario.acknowledged().size(), " of ",
                                              options.writes, " writes acknowledged ",
                                              FormatDuration(options.liveness_timeout),
                                              " after the faults stopped"));
  }
  co_await loop.Sleep(options.settle);
  co_return co_await scenario.LoseThePrimaryAndAudit();
}

Task<> Idle(sim::Node& node) { co_await node.loop().Yield(); }

sim::SwarmDraw DrawFaults(Loop& loop, const ScenarioOptions& options) {
  sim::SwarmDraw draw =
      options.swarm ? sim::DrawSwarm(loop, options.swarm_options, options.world, options.nemesis)
                    : sim::SwarmDraw{options.world, options.nemesis};
  draw.nemesis.targets = {kPrimary, kBackup};
  return draw;
}

}  // namespace

std::string_view VariantName(Variant variant) {
  return variant == Variant::kFixed ? "fixed" : "buggy";
}

ScenarioWorld::ScenarioWorld(Loop& loop, const ScenarioOptions& options)
    : options_(options),
      draw_(DrawFaults(loop, options)),
      finished_(loop, "writes done"),
      world_(loop, draw_.world) {
  const PutHandler handle_put =
      options.variant == Variant::kFixed ? FixedHandlePut : BuggyHandlePut;
  world_.AddNode("primary", [handle_put](sim::Node& node) {
    return ServePrimary(node, {kBackup, kPort}, handle_put);
  });
  world_.AddNode("backup", ServeBackup);
  sim::Node& client = world_.AddNode("client", Idle);
  client.Spawn(Client(client, *this), "workload", /*daemon=*/true);
  loop.Spawn(sim::RunNemesis(world_, draw_.nemesis),
             SpawnOptions{.label = "nemesis", .daemon = true});
}

bool ScenarioWorld::finished() const {
  return acknowledged_.size() == static_cast<size_t>(options_.writes);
}

Task<> ScenarioWorld::Client(sim::Node& node, ScenarioWorld& scenario) {
  const ScenarioOptions& options = scenario.options_;
  const sim::Address primary{kPrimary, kPort};
  for (int i = 0; i < options.writes; ++i) {
    std::string key = Cat("k", i);
    std::string value = Cat("v", i);
    while (true) {
      absl::StatusOr<sim::Message> reply =
          co_await node.Call(primary, "Put", EncodePair(key, value), options.put_timeout);
      if (reply.ok() && reply->kind == "PutOk") break;
      if (!options.client_retries) {
        node.loop().Note(Cat("client gives up on ", key, " for good (it never retries)"));
        co_return;
      }
      co_await node.clock().Sleep(kRetryBackoff);
    }
    scenario.acknowledged_.push_back(Write{std::move(key), std::move(value), node.loop().Now()});
  }
  scenario.finished_.SetValue();
}

Task<absl::Status> ScenarioWorld::LoseThePrimaryAndAudit() {
  world_.loop().Note(
      "the primary is lost for good; reading every acknowledged write from the backup");
  world_.Crash(kPrimary);
  for (const Write& write : acknowledged_) {
    absl::StatusOr<sim::Message> reply = co_await ReadFromBackup(world_, write.key);
    if (!reply.ok()) {
      co_return absl::InternalError(Cat("backup unreachable: ", reply.status().ToString()));
    }
    if (reply->kind != "GetOk" || reply->payload != write.value) {
      lost_write_ = absl::DataLossError(
          Cat("acknowledged write ", write.key, "=", write.value, " is lost: the backup has ",
              reply->kind == "GetOk" ? Cat("'", reply->payload, "'") : std::string("nothing"),
              " (acknowledged at ", FormatTime(write.acknowledged_at), ")"));
      co_return lost_write_;
    }
  }
  co_return absl::OkStatus();
}

absl::Status RunScenario(Loop& loop, const ScenarioOptions& options) {
  ScenarioWorld scenario(loop, options);
  TaskHandle<absl::Status> verdict = loop.Spawn(Judge(scenario, options), "judge");
  RunResult run = loop.RunUntilComplete(verdict);
  if (run.outcome != RunOutcome::kCompleted) {
    return absl::InternalError("the run did not complete: " + run.ToString());
  }
  return verdict.result();
}

}  // namespace laplace::examples::replicated_kv
