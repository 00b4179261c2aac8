// The strategy interface's small pieces: pending operations, scheduling points, configs.
#include "loop/strategy.h"

#include <algorithm>

#include "base/check.h"
#include "base/strings.h"
#include "loop/loop.h"

namespace laplace {
namespace {

// Which namespace a pending operation's target is in: object ids, task ids, or resource names.
int TargetSpace(WaitKind kind) {
  if (kind == WaitKind::kJoin) return 1;
  if (kind == WaitKind::kYield) return 2;
  return 0;
}

}  // namespace

bool PendingOperation::known() const {
  if (target == 0) return false;
  return kind != WaitKind::kNone && kind != WaitKind::kStart && kind != WaitKind::kSleep;
}

bool PendingOperation::ConflictsWith(const PendingOperation& other) const {
  if (!known() || !other.known()) return true;
  return TargetSpace(kind) == TargetSpace(other.kind) && target == other.target;
}

// ---- SchedulingPoint ----

size_t SchedulingPoint::size() const { return ready_.size() + (yielder_ != nullptr ? 1 : 0); }

const internal::TaskRecord& SchedulingPoint::record(size_t index) const {
  LAPLACE_CHECK(index < size()) << "candidate " << index << " of " << size();
  if (yielder_ == nullptr) return *ready_[index];
  return index == 0 ? *yielder_ : *ready_[index - 1];
}

TaskId SchedulingPoint::candidate(size_t index) const { return record(index).id; }

PendingOperation SchedulingPoint::pending(size_t index) const {
  const internal::TaskRecord& task = record(index);
  return PendingOperation{task.wait_kind, task.wait_object};
}

uint64_t SchedulingPoint::Choose(uint64_t bound) {
  LAPLACE_CHECK(!drawn_.has_value()) << "a strategy draws at most one pick per scheduling point";
  LAPLACE_CHECK(bound == size()) << "a drawn pick is among the " << size() << " candidates, not "
                                 << bound;
  drawn_ = loop_.ChooseOn(bound, ChoiceKind::kSchedule, kUnnamedStream);
  return *drawn_;
}

// ---- StrategyConfig ----

std::optional<int64_t> StrategyConfig::Get(std::string_view parameter) const {
  for (const StrategyParameter& p : parameters) {
    if (p.name == parameter) return p.value;
  }
  return std::nullopt;
}

void StrategyConfig::Set(std::string_view parameter, int64_t value) {
  auto it = std::lower_bound(
      parameters.begin(), parameters.end(), parameter,
      [](const StrategyParameter& p, std::string_view name) { return p.name < name; });
  if (it != parameters.end() && it->name == parameter) {
    it->value = value;
    return;
  }
  parameters.insert(it, StrategyParameter{std::string(parameter), value});
}

std::string StrategyConfig::ToString() const {
  std::string text = name;
  for (size_t i = 0; i < parameters.size(); ++i) {
    internal::Append(text, i == 0 ? ":" : ",", parameters[i].name, "=", parameters[i].value);
  }
  return text;
}

}  // namespace laplace
