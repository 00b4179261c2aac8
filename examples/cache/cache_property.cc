#include "examples/cache/cache_property.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/strings.h"

namespace laplace::examples {
namespace {

using namespace std::chrono_literals;

// What the readers may see: per key, the newest version whose Update has
// completed, and the first read that saw something older than the newest
// version completed before it started.
class Freshness {
 public:
  explicit Freshness(int keys) : completed_(keys) {}

  struct Completed {
    int64_t version = 0;
    Time when;
  };

  void UpdateCompleted(int key, int64_t version, Time when) {
    completed_.at(key) = Completed{version, when};
  }
  // What a Get of `key` starting now must return at least.
  Completed Floor(int key) const { return completed_.at(key); }
  // Records a Get that started when `floor` was the floor and returned `got`.
  void GetReturned(int key, const Completed& floor, Time started, int64_t got) {
    if (got >= floor.version || violation_.has_value()) return;
    violation_ = internal::Cat("a get of key ", key, " returned v", got, ", but it started (at ",
                               FormatTime(started), ") after the update of key ", key, " to v",
                               floor.version, " had completed (at ", FormatTime(floor.when), ")");
  }
  absl::Status status() const {
    if (!violation_.has_value()) return absl::OkStatus();
    return absl::InternalError(*violation_);
  }

 private:
  std::vector<Completed> completed_;
  std::optional<std::string> violation_;
};

// Pauses 0 to 2 ms, a delay choice (0 = no pause, the least surprising).
Task<> Pause(Loop& loop) {
  uint64_t pause_ms = loop.Choose(3, ChoiceKind::kDelay);
  if (pause_ms > 0) co_await loop.Sleep(1ms * static_cast<int64_t>(pause_ms));
}

Task<> Writer(Loop& loop, Cache& cache, Freshness& freshness, int keys, int updates) {
  std::vector<int64_t> versions(keys, 0);
  for (int i = 0; i < updates; ++i) {
    co_await Pause(loop);
    int key = static_cast<int>(loop.Choose(keys));
    int64_t version = ++versions[key];
    co_await cache.Update(key, version);
    freshness.UpdateCompleted(key, version, loop.Now());
    loop.Note(internal::Cat("update of key ", key, " to v", version, " completed"));
  }
}

Task<> Reader(Loop& loop, Cache& cache, Freshness& freshness, int keys, int gets) {
  for (int i = 0; i < gets; ++i) {
    co_await Pause(loop);
    int key = static_cast<int>(loop.Choose(keys));
    Freshness::Completed floor = freshness.Floor(key);
    Time started = loop.Now();
    int64_t got = co_await cache.Get(key);
    freshness.GetReturned(key, floor, started, got);
  }
}

}  // namespace

void CheckReadsAfterUpdates(properties::Simulation& sim, const CacheScenario& scenario) {
  Loop& loop = sim.loop();
  SlowStore store(loop, scenario.keys);
  Cache cache(loop, store, scenario.cache);
  Freshness freshness(scenario.keys);
  sim.AddInvariantStatus("no-stale-read-after-update", [&freshness] { return freshness.status(); });
  for (int r = 0; r < scenario.readers; ++r) {
    loop.Spawn(Reader(loop, cache, freshness, scenario.keys, scenario.gets_per_reader),
               internal::Cat("reader-", r));
  }
  loop.Spawn(Writer(loop, cache, freshness, scenario.keys, scenario.updates), "writer");
  sim.Run();
}

}  // namespace laplace::examples
