#include "loop/strategies/portfolio.h"

#include <utility>

#include "base/check.h"
#include "loop/strategies/pct.h"
#include "loop/strategies/pos.h"
#include "loop/strategies/surw.h"

namespace laplace::strategies {
namespace {

// The default rotation; the banner and DefaultRotation() say the same.
std::vector<std::unique_ptr<Strategy>> DefaultMembers() {
  std::vector<std::unique_ptr<Strategy>> members;
  members.push_back(std::make_unique<RandomWalk>());
  members.push_back(std::make_unique<Pct>(PctOptions{.depth = 2}));
  members.push_back(std::make_unique<Surw>());
  members.push_back(std::make_unique<Pct>(PctOptions{.depth = 3}));
  members.push_back(std::make_unique<RandomWalk>());
  members.push_back(std::make_unique<Pos>());
  members.push_back(std::make_unique<Pct>(PctOptions{.depth = 1}));
  members.push_back(std::make_unique<Surw>());
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
