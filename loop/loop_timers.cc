// The Loop's timers: sleepers' and callbacks' deadlines, callback slots, and firing what is due
// (simultaneous timers in an order that is a choice).
#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

#include "loop/internal/callback_timer.h"
#include "loop/loop.h"

namespace laplace {
namespace {

// The order of simultaneous timers is decided on one stream of its own.
const Stream& TimerTieStream() {
  static const Stream stream = Stream::Named("timer ties");
  return stream;
}

}  // namespace

// ---- Callback timers ----

void Loop::FreeCallbackSlot(CallbackTimer& timer) {
  timer.callback = nullptr;
  free_callback_slots_.push_back(static_cast<uint32_t>(timer.id & 0xffffffffu));
  timer.id = 0;
  --live_callbacks_;
}

// ---- Timers ----

void Loop::AddTimer(internal::TimerNode& node, Time deadline) {
  node.deadline = deadline < now_ ? now_ : deadline;
  node.sequence = next_timer_sequence_++;
  timers_.Push(&node);
}

void Loop::RemoveTimer(internal::TimerNode& node) {
  if (node.queued()) {
    timers_.Remove(&node);
    return;
  }
  if (node.firing) {
    auto it = std::find(firing_.begin(), firing_.end(), &node);
    LAPLACE_CHECK(it != firing_.end()) << "a firing timer is missing from the firing list";
    *it = nullptr;
    node.firing = false;
  }
}

TimerId Loop::CallAt(Time when, std::function<void()> callback) {
  LAPLACE_CHECK(callback != nullptr) << "CallAt needs a callback";
  if (shutting_down_) return 0;  // a destructor scheduling work: it would never run
  uint32_t slot;
  if (!free_callback_slots_.empty()) {
    slot = free_callback_slots_.back();
    free_callback_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(callback_slots_.size());
    callback_slots_.push_back(std::make_unique<CallbackTimer>());
  }
  CallbackTimer& timer = *callback_slots_[slot];
  timer.callback = std::move(callback);
  AddTimer(timer, when);
  // The timer's sequence number is unique, so it serves as the generation.
  timer.id = (timer.sequence << 32) | slot;
  ++live_callbacks_;
  return timer.id;
}

bool Loop::CancelTimer(TimerId id) {
  uint64_t slot = id & 0xffffffffu;
  if (id == 0 || slot >= callback_slots_.size()) return false;
  CallbackTimer& timer = *callback_slots_[slot];
  if (timer.id != id) return false;  // already ran or cancelled
  RemoveTimer(timer);
  FreeCallbackSlot(timer);
  return true;
}

void Loop::FireDueTimers() {
  while (!timers_.empty() && timers_.top()->deadline <= now_) {
    // Leave the rest to the next Run* iteration when a budget ran out (it
    // reports it); a callback that re-arms itself must not loop here forever.
    if (BudgetExhausted()) return;
    TakeEarliestInstant();
    for (size_t i = 0; i < firing_.size(); ++i) {
      internal::TimerNode* node = std::exchange(firing_[i], nullptr);
      if (node == nullptr) continue;  // removed by an earlier timer's effects
      FireTimer(*node);
    }
    firing_.clear();
  }
}

void Loop::TakeEarliestInstant() {
  const Time instant = timers_.top()->deadline;
  firing_.clear();
  while (!timers_.empty() && timers_.top()->deadline == instant) {
    internal::TimerNode* node = timers_.Pop();
    node->firing = true;
    firing_.push_back(node);
  }
  // The order of simultaneous timers is a choice; 0 keeps the order they
  // were set in. Picking from the remainder keeps the others' order.
  for (size_t i = 0; i + 1 < firing_.size(); ++i) {
    uint64_t pick = Choose(firing_.size() - i, ChoiceKind::kTimerTie, TimerTieStream());
    std::rotate(firing_.begin() + i, firing_.begin() + i + pick, firing_.begin() + i + pick + 1);
  }
}

void Loop::FireTimer(internal::TimerNode& node) {
  node.firing = false;
  ++steps_at_instant_;
  if (node.sleeper == 0) ++callbacks_fired_;
  Record(EventKind::kTimerFire, node.sleeper, node.sequence);
  node.Fire(*this);
  // A callback changes state like a step does: let the hooks see it.
  if (node.sleeper == 0) RunStepHooks();
}

}  // namespace laplace
