// Portfolio: several strategies taking turns across seeds; the default for sweeps and
// RapidCheck cases.
//
// No one strategy finds every bug quickly: the random walk is good at bugs that need many
// small interleavings, PCT at bugs of a small depth hidden in long runs, SURW at bugs where a
// short task must run late in a long one, POS where independent steps would otherwise drown
// the racing ones. A portfolio runs each on its share of the seeds, so a sweep finds what
// the best of them would, at the cost of a constant factor.
//
// The mapping is documented and depends on the seed alone: seed s runs member
// s % members().size(). The default rotation, sixteen places in order:
//   random-walk, surw, pct:depth=2, surw, random-walk, surw, pct:depth=3, surw,
//   random-walk, surw, pct:depth=2, surw, random-walk, pos, pct:depth=1, surw
// (so seeds 0, 4, 8, ... run the random walk, the odd seeds but 13, 29, ... SURW, 2, 10, 18,
// ... PCT of depth 2, and so on; weighted by what found the bug zoo's bugs soonest). What
// a failing run used is config(): the member and its parameters (PCT's k included), which
// the report and the replay file show. Members learn from every run, not only their own: each
// sees every run's hooks (SURW's step counts), and PCT its own runs' lengths.
//
//   laplace::strategies::Portfolio portfolio;
//   laplace::Loop loop({.seed = 10, .strategy = &portfolio});  // PCT, depth 2
#ifndef LAPLACE_LOOP_STRATEGIES_PORTFOLIO_H_
#define LAPLACE_LOOP_STRATEGIES_PORTFOLIO_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "loop/loop.h"
#include "loop/strategy.h"

namespace laplace::strategies {

class Portfolio final : public Strategy {
 public:
  // The default rotation (see the banner).
  Portfolio();
  // Seed s runs members[s % members.size()]. Requires at least one member.
  explicit Portfolio(std::vector<std::unique_ptr<Strategy>> members);

  std::string_view name() const override { return "portfolio"; }
  // The member that ran the current (or last) run, and its parameters.
  StrategyConfig config() const override { return active().config(); }

  void OnRunStart(Loop& loop) override;
  void OnRunEnd(const Loop& loop) override;
  void OnSpawn(Loop& loop, TaskId task) override;
  void OnFinish(TaskId task) override;
  void OnStep(TaskId task, const PendingOperation& operation) override;
  void OnBlock(TaskId task, const PendingOperation& on) override;
  void OnWake(TaskId task) override;
  bool consults_single_candidate() const override { return consults_single_; }
  size_t Pick(SchedulingPoint& point) override;

  // The member for seed `seed`.
  static size_t MemberFor(uint64_t seed, size_t members) { return seed % members; }
  const std::vector<std::unique_ptr<Strategy>>& members() const { return members_; }
  const Strategy& active() const { return *members_[active_]; }
  // The default rotation as text: "random-walk, pct:depth=2, ...".
  static std::string DefaultRotation();

 private:
  std::vector<std::unique_ptr<Strategy>> members_;
  size_t active_ = 0;
  bool consults_single_ = false;  // some member asks at single-candidate points
};

}  // namespace laplace::strategies

#endif  // LAPLACE_LOOP_STRATEGIES_PORTFOLIO_H_
