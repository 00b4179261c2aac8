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

void Trace::Keep(const Kept& event, std::string_view text) {
  size_t index;
  if (options_.keep_all || kept_.size() < options_.tail_capacity) {
    index = kept_.size();
    kept_.push_back(event);
  } else {
    index = ring_next_;
    if (++ring_next_ == options_.tail_capacity) ring_next_ = 0;
    kept_[index] = event;
  }
  if (text.empty()) return;
  if (options_.keep_all) {
    texts_.emplace_back(text);
    kept_[index].text = static_cast<uint32_t>(texts_.size());
  } else {
    // In a ring, slot i's text lives in texts_[i] and is reused with it.
    if (texts_.size() < options_.tail_capacity) texts_.resize(options_.tail_capacity);
    texts_[index].assign(text);
    kept_[index].text = static_cast<uint32_t>(index + 1);
  }
}

std::vector<TraceEvent> Trace::events() const {
  size_t count = kept_.size();
  size_t first = (options_.keep_all || count < options_.tail_capacity) ? 0 : ring_next_;
  std::vector<TraceEvent> ordered;
  ordered.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const Kept& kept = kept_[(first + i) % count];
    TraceEvent& event = ordered.emplace_back();
    event.step = kept.step;
    event.time = kept.time;
    event.kind = kept.kind;
    event.task = kept.task;
    event.a = kept.a;
    event.b = kept.b;
    if (kept.text != 0) event.text = texts_[kept.text - 1];
  }
  return ordered;
}

}  // namespace laplace
