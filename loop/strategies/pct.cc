#include "loop/strategies/pct.h"

#include <algorithm>

#include "base/check.h"
#include "loop/strategies/internal/run_prng.h"

namespace laplace::strategies {
namespace {

constexpr uint64_t kSalt = 0x7063742d70637421;  // "pct-pct!"
// Initial priorities are in [2^61, 2^62): above every change point's (1 to d - 1) and every
// poller-guard demotion (0 and below).
constexpr int64_t kInitialFloor = int64_t{1} << 61;

}  // namespace

Pct::Pct(PctOptions options) : options_(options) {
  LAPLACE_CHECK(options_.depth >= 1) << "PCT needs a depth of at least 1, not " << options_.depth;
  LAPLACE_CHECK(options_.steps_default >= 1) << "PCT needs a default run length of at least 1";
  LAPLACE_CHECK(options_.yields_max >= 1) << "PCT's poller guard needs yields_max >= 1";
}

uint64_t Pct::NextSteps() const {
  if (options_.steps > 0) return options_.steps;
  if (longest_ == 0) return options_.steps_default;
  return longest_ + longest_ / 4 + 1;  // the longest seen, with a margin
}

StrategyConfig Pct::config() const {
  StrategyConfig config{std::string(name()), {}};
  config.Set("depth", options_.depth);
  config.Set("steps", static_cast<int64_t>(run_steps_k_ > 0 ? run_steps_k_ : NextSteps()));
  return config;
}

void Pct::OnRunStart(Loop& loop) {
  prng_ = internal::RunPrng(loop, kSalt);
  steps_ = 0;
  run_steps_k_ = NextSteps();
  priorities_.clear();
  lowest_ = 0;
  streak_task_ = 0;
  streak_ = 0;
  // d - 1 distinct change points in [1, k] (all of them when k is smaller).
  const uint64_t wanted = std::min<uint64_t>(options_.depth - 1, run_steps_k_);
  change_points_.clear();
  while (change_points_.size() < wanted) {
    uint64_t step = 1 + prng_.Below(run_steps_k_);
    if (std::find(change_points_.begin(), change_points_.end(), step) == change_points_.end()) {
      change_points_.push_back(step);
    }
  }
}

void Pct::OnRunEnd(const Loop& /*loop*/) { longest_ = std::max(longest_, steps_); }

void Pct::OnSpawn(Loop& /*loop*/, TaskId task) {
  priorities_[task] = kInitialFloor + static_cast<int64_t>(prng_.Next() >> 3);
}

int64_t Pct::PriorityOf(TaskId task) const {
  auto it = priorities_.find(task);
  return it == priorities_.end() ? lowest_ : it->second;
}

size_t Pct::Highest(const SchedulingPoint& point) const {
  size_t best = 0;
  int64_t best_priority = PriorityOf(point.candidate(0));
  for (size_t i = 1; i < point.size(); ++i) {
    int64_t priority = PriorityOf(point.candidate(i));
    // Equal priorities (only poller-guard demotions can tie): the older task first.
    if (priority > best_priority ||
        (priority == best_priority && point.candidate(i) < point.candidate(best))) {
      best = i;
      best_priority = priority;
    }
  }
  return best;
}

size_t Pct::Pick(SchedulingPoint& point) {
  ++steps_;
  size_t best = Highest(point);
  for (size_t i = 0; i < change_points_.size(); ++i) {
    if (change_points_[i] != steps_) continue;
    priorities_[point.candidate(best)] = static_cast<int64_t>(i + 1);  // the i-th change point
    best = Highest(point);
  }
  if (!point.yielder_first() || best != 0) {
    streak_ = 0;
    return best;
  }
  // The yielder keeps running: a poller, if it does so yields_max times in a row.
  const TaskId yielder = point.candidate(0);
  streak_ = streak_task_ == yielder ? streak_ + 1 : 1;
  streak_task_ = yielder;
  if (streak_ < options_.yields_max) return 0;
  streak_ = 0;
  priorities_[yielder] = --lowest_;
  return Highest(point);
}

}  // namespace laplace::strategies
