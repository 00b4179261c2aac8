#include "loop/strategies/surw.h"

#include <algorithm>

#include "loop/digest.h"
#include "loop/strategies/internal/run_prng.h"

namespace laplace::strategies {
namespace {

constexpr uint64_t kSalt = 0x737572772d737572;  // "surw-sur"
// Signatures are hashes of hashes; a chain of spawns this deep is surely a hash cycle.
constexpr int kDepthMax = 64;

}  // namespace

StrategyConfig Surw::config() const {
  StrategyConfig config{std::string(name()), {}};
  config.Set("runs", static_cast<int64_t>(runs_));
  config.Set("tasks", static_cast<int64_t>(learned_.size()));
  return config;
}

uint64_t Surw::Total(uint64_t signature, int depth) const {
  auto it = learned_.find(signature);
  if (it == learned_.end() || depth > kDepthMax) return 0;
  uint64_t total = it->second.steps;
  for (uint64_t child : it->second.children) total += Total(child, depth + 1);
  return total;
}

uint64_t Surw::EstimatedTotal(uint64_t signature) const { return Total(signature, 0); }

void Surw::OnRunStart(Loop& loop) {
  prng_ = internal::RunPrng(loop, kSalt);
  running_.clear();
  roots_by_label_.clear();
}

void Surw::OnSpawn(Loop& loop, TaskId task) {
  const TaskId parent = loop.current_task();
  auto parent_it = running_.find(parent);
  const bool has_parent = parent_it != running_.end();
  const uint64_t label = HashString(loop.label(task));
  // Which child of this label (of this parent, or spawned outside any task) the task is.
  uint64_t& ordinal =
      has_parent ? parent_it->second.children_by_label[label] : roots_by_label_[label];
  const uint64_t parent_signature = has_parent ? parent_it->second.signature : 0;
  const uint64_t signature =
      Mix64(parent_signature * 0x9e3779b97f4a7c15ULL ^ Mix64(label + ordinal++));
  const uint64_t total = EstimatedTotal(signature);
  if (has_parent) {
    // The parent's estimate counted this child's steps: they are the child's now.
    Running& parent_running = parent_it->second;
    parent_running.children.push_back(signature);
    parent_running.remaining -= std::min(parent_running.remaining - 1, total);
  }
  // Inserting may move the other entries: nothing found above is used after this.
  Running& running = running_[task];
  running.signature = signature;
  running.remaining = std::max<uint64_t>(1, total);
}

void Surw::OnStep(TaskId task, const PendingOperation& /*operation*/) {
  auto it = running_.find(task);
  if (it == running_.end()) return;
  ++it->second.steps;
  if (it->second.remaining > 1) --it->second.remaining;
}

size_t Surw::Pick(SchedulingPoint& point) {
  std::vector<uint64_t> weights(point.size(), 1);
  uint64_t total = 0;
  for (size_t i = 0; i < point.size(); ++i) {
    auto it = running_.find(point.candidate(i));
    if (it != running_.end()) weights[i] = it->second.remaining;
    total += weights[i];
  }
  uint64_t ticket = prng_.Below(total);
  for (size_t i = 0; i < weights.size(); ++i) {
    if (ticket < weights[i]) return i;
    ticket -= weights[i];
  }
  return weights.size() - 1;  // unreachable: the tickets add up to `total`
}

void Surw::OnRunEnd(const Loop& /*loop*/) {
  ++runs_;
  for (const auto& [task, running] : running_) {
    Learned& learned = learned_[running.signature];
    learned.steps = std::max(learned.steps, running.steps);
    learned.children = running.children;
  }
}

}  // namespace laplace::strategies
