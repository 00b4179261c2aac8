#include "loop/trace.h"

#include "loop/internal/check.h"

namespace laplace {
namespace {

constexpr std::string_view kWaitKindNames[kWaitKindCount] = {
    "nothing", "start", "yield",     "sleep", "join",      "future",
    "lock",    "semaphore", "event", "queue put", "queue get", "paused node"};

constexpr std::string_view kEventKindNames[kEventKindCount] = {
    "spawn", "resume", "suspend", "finish", "cancel",
    "timer", "resolve", "deadlock", "note", "failure"};

}  // namespace

std::string_view WaitKindName(WaitKind kind) {
  auto index = static_cast<size_t>(kind);
  LAPLACE_CHECK(index < kWaitKindCount) << "unknown WaitKind " << index;
  return kWaitKindNames[index];
}

std::string_view EventKindName(EventKind kind) {
  auto index = static_cast<size_t>(kind);
  LAPLACE_CHECK(index < kEventKindCount) << "unknown EventKind " << index;
  return kEventKindNames[index];
}

Trace::Trace(TraceOptions options) : options_(options) {
  if (!options_.keep_all) kept_.reserve(options_.tail_capacity);
}

std::vector<TraceEvent> Trace::events() const {
  if (options_.keep_all || kept_.size() < options_.tail_capacity) return kept_;
  std::vector<TraceEvent> ordered;
  ordered.reserve(kept_.size());
  for (size_t i = 0; i < kept_.size(); ++i) {
    ordered.push_back(kept_[(ring_next_ + i) % kept_.size()]);
  }
  return ordered;
}

}  // namespace laplace
