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
  Running* parent = Find(loop.current_task());
  const uint64_t label = HashString(loop.label(task));
  // Which child of this label (of this parent, or spawned outside any task) the task is.
  uint64_t& ordinal = parent != nullptr ? parent->children_by_label[label] : roots_by_label_[label];
  const uint64_t parent_signature = parent != nullptr ? parent->signature : 0;
  const uint64_t signature =
      Mix64(parent_signature * 0x9e3779b97f4a7c15ULL ^ Mix64(label + ordinal++));
  const uint64_t total = EstimatedTotal(signature);
  if (parent != nullptr) {
    // The parent's estimate counted this child's steps: they are the child's now.
    parent->children.push_back(signature);
    parent->remaining -= std::min(parent->remaining - 1, total);
  }
  // Growing may move the other entries: `parent` is not used after this.
  if (task >= running_.size()) running_.resize(task + 1);
  Running& running = running_[task];
  running = Running{};
  running.spawned = true;
  running.signature = signature;
  running.remaining = std::max<uint64_t>(1, total);
}

void Surw::OnStep(TaskId task, const PendingOperation& /*operation*/) {
  Running* running = Find(task);
  if (running == nullptr) return;
  ++running->steps;
  if (running->remaining > 1) --running->remaining;
}

size_t Surw::Pick(SchedulingPoint& point) {
  weights_.assign(point.size(), 1);
  uint64_t total = 0;
  for (size_t i = 0; i < point.size(); ++i) {
    if (const Running* running = Find(point.candidate(i))) weights_[i] = running->remaining;
    total += weights_[i];
  }
  uint64_t ticket = prng_.Below(total);
  for (size_t i = 0; i < weights_.size(); ++i) {
    if (ticket < weights_[i]) return i;
    ticket -= weights_[i];
  }
  return weights_.size() - 1;  // unreachable: the tickets add up to `total`
}

void Surw::OnRunEnd(const Loop& /*loop*/) {
  ++runs_;
  for (const Running& running : running_) {  // in task order: the last of a signature wins
    if (!running.spawned) continue;
    Learned& learned = learned_[running.signature];
    learned.steps = std::max(learned.steps, running.steps);
    learned.children = running.children;
  }
}

}  // namespace laplace::strategies
