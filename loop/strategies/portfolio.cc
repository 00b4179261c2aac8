#include "loop/strategies/portfolio.h"

#include <utility>

#include "base/check.h"
#include "loop/strategies/pct.h"
#include "loop/strategies/pos.h"
#include "loop/strategies/surw.h"

namespace laplace::strategies {
namespace {

// The default rotation; the banner and DefaultRotation() say the same. Sixteen
// places, weighted by what finds the bug zoo's bugs soonest (docs/benchmarks.md):
// SURW on the odd seeds but 13, the random walk on every fourth, PCT of depth 2
// on two, PCT 3, POS and PCT 1 on one each.
std::vector<std::unique_ptr<Strategy>> DefaultMembers() {
  enum Kind { kRandomWalk, kSurw, kPct1, kPct2, kPct3, kPos };
  constexpr Kind kRotation[] = {kRandomWalk, kSurw, kPct2, kSurw, kRandomWalk, kSurw,
                                kPct3,       kSurw, kRandomWalk, kSurw, kPct2, kSurw,
                                kRandomWalk, kPos,  kPct1,       kSurw};
  std::vector<std::unique_ptr<Strategy>> members;
  for (Kind kind : kRotation) {
    switch (kind) {
      case kRandomWalk:
        members.push_back(std::make_unique<RandomWalk>());
        break;
      case kSurw:
        members.push_back(std::make_unique<Surw>());
        break;
      case kPct1:
      case kPct2:
      case kPct3:
        members.push_back(std::make_unique<Pct>(PctOptions{.depth = kind - kPct1 + 1}));
        break;
      case kPos:
        members.push_back(std::make_unique<Pos>());
        break;
    }
  }
  return members;
}

}  // namespace

Portfolio::Portfolio() : Portfolio(DefaultMembers()) {}

Portfolio::Portfolio(std::vector<std::unique_ptr<Strategy>> members)
    : members_(std::move(members)) {
  LAPLACE_CHECK(!members_.empty()) << "a portfolio needs at least one strategy";
  for (const std::unique_ptr<Strategy>& member : members_) {
    LAPLACE_CHECK(member != nullptr) << "a portfolio member is null";
    consults_single_ = consults_single_ || member->consults_single_candidate();
  }
}

std::string Portfolio::DefaultRotation() {
  std::string text;
  for (const std::unique_ptr<Strategy>& member : DefaultMembers()) {
    StrategyConfig config = member->config();
    // The rotation names only what is fixed, not what is learned (PCT's k, SURW's counts).
    std::erase_if(config.parameters, [](const StrategyParameter& p) {
      return p.name == "steps" || p.name == "runs" || p.name == "tasks";
    });
    text += (text.empty() ? "" : ", ") + config.ToString();
  }
  return text;
}

void Portfolio::OnRunStart(Loop& loop) {
  active_ = MemberFor(loop.seed(), members_.size());
  for (auto& member : members_) member->OnRunStart(loop);
}
void Portfolio::OnRunEnd(const Loop& loop) {
  for (auto& member : members_) member->OnRunEnd(loop);
}
void Portfolio::OnSpawn(Loop& loop, TaskId task) {
  for (auto& member : members_) member->OnSpawn(loop, task);
}
void Portfolio::OnFinish(TaskId task) {
  for (auto& member : members_) member->OnFinish(task);
}
void Portfolio::OnStep(TaskId task, const PendingOperation& operation) {
  for (auto& member : members_) member->OnStep(task, operation);
}
void Portfolio::OnBlock(TaskId task, const PendingOperation& on) {
  for (auto& member : members_) member->OnBlock(task, on);
}
void Portfolio::OnWake(TaskId task) {
  for (auto& member : members_) member->OnWake(task);
}

size_t Portfolio::Pick(SchedulingPoint& point) {
  Strategy& member = *members_[active_];
  if (point.size() == 1 && !member.consults_single_candidate()) return 0;
  return member.Pick(point);
}

}  // namespace laplace::strategies
