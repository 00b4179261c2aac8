#include "loop/strategies/bounded_search.h"

#include "base/check.h"
#include "base/strings.h"
#include "loop/loop.h"

namespace laplace::strategies {

// Answers every choice of a run from the prefix, then 0, and records each on the trail.
class BoundedSearch::Source final : public ChoiceSource {
 public:
  explicit Source(BoundedSearch& search) : search_(search) {}

  using ChoiceSource::Choose;
  uint64_t Choose(uint64_t bound, ChoiceKind kind, StreamId stream) override {
    std::vector<Decision>& trail = search_.trail_;
    const size_t depth = trail.size();
    uint64_t value = 0;
    if (depth < search_.prefix_.size()) {
      const Decision& planned = search_.prefix_[depth];
      if (planned.bound != bound && !search_.nondeterminism_.has_value()) {
        search_.nondeterminism_ =
            laplace::internal::Cat("choice #", depth, " had ", planned.bound,
                                   " options in an earlier run and ", bound, " in this one");
      }
      value = planned.value < bound ? planned.value : 0;
    }
    const bool preemptive = kind == ChoiceKind::kSchedule && next_preemptive_;
    next_preemptive_ = false;
    trail.push_back(Decision{bound, value, preemptive});
    return Record(kind, bound, value, stream);
  }

  // Set by the picker just before it draws a schedule pick.
  bool next_preemptive_ = false;

 private:
  BoundedSearch& search_;
};

// Draws every pick from the search's source, telling it whether the pick could preempt.
class BoundedSearch::Picker final : public Strategy {
 public:
  Picker(BoundedSearch& search, Source& source) : search_(search), source_(source) {}
  std::string_view name() const override { return "bounded"; }
  StrategyConfig config() const override { return search_.config(); }
  size_t Pick(SchedulingPoint& point) override {
    source_.next_preemptive_ = point.yielder_first();
    return point.Choose(point.size());
  }

 private:
  BoundedSearch& search_;
  Source& source_;
};

BoundedSearch::BoundedSearch(BoundedSearchOptions options)
    : options_(options), bound_(options.iterative ? 0 : options.preemptions_max) {
  LAPLACE_CHECK(options_.preemptions_max >= 0)
      << "a preemption bound is at least 0, not " << options_.preemptions_max;
}

BoundedSearch::~BoundedSearch() = default;

ChoiceSource& BoundedSearch::source() {
  LAPLACE_CHECK(source_ != nullptr) << "call NextSchedule() before running a schedule";
  return *source_;
}

Strategy& BoundedSearch::strategy() {
  LAPLACE_CHECK(picker_ != nullptr) << "call NextSchedule() before running a schedule";
  return *picker_;
}

StrategyConfig BoundedSearch::config() const {
  StrategyConfig config{"bounded", {}};
  config.Set("preemptions", bound_);
  return config;
}

bool BoundedSearch::Backtrack() {
  if (trail_.size() < prefix_.size() && !nondeterminism_.has_value()) {
    nondeterminism_ =
        laplace::internal::Cat("a run made ", trail_.size(),
                               " choices where an earlier one made more than ", prefix_.size() - 1);
  }
  // Preemptions made before each decision of the trail.
  std::vector<int> before(trail_.size() + 1, 0);
  for (size_t i = 0; i < trail_.size(); ++i) {
    before[i + 1] = before[i] + (trail_[i].preemptive && trail_[i].value > 0 ? 1 : 0);
  }
  for (size_t i = trail_.size(); i-- > 0;) {
    const Decision& decision = trail_[i];
    if (decision.value + 1 >= decision.bound) continue;
    const int preemptions = before[i] + (decision.preemptive ? 1 : 0);
    if (preemptions > bound_) continue;
    prefix_.assign(trail_.begin(), trail_.begin() + static_cast<std::ptrdiff_t>(i));
    prefix_.push_back(Decision{decision.bound, decision.value + 1, decision.preemptive});
    return true;
  }
  return false;
}

bool BoundedSearch::NextSchedule() {
  if (exhausted_ || schedules_ >= options_.schedules_max) return false;
  if (started_ && !Backtrack()) {
    if (bound_ >= options_.preemptions_max) {
      exhausted_ = true;
      return false;
    }
    ++bound_;  // iterative: every schedule again, now with one more preemption allowed
    prefix_.clear();
  }
  started_ = true;
  trail_.clear();
  source_ = std::make_unique<Source>(*this);
  picker_ = std::make_unique<Picker>(*this, *source_);
  ++schedules_;
  return true;
}

}  // namespace laplace::strategies
