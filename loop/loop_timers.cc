// The Loop's timers: sleepers' and callbacks' deadlines, callback slots, and firing what is due
// (simultaneous timers in an order that is a choice).
#include <functional>
#include <memory>
#include <utility>

#include "base/check.h"
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
  node.armed_at = last_event();
  node.group = current_group();
  timers_.Push(&node);
}

void Loop::RemoveTimer(internal::TimerNode& node) {
  if (node.queued()) {
    timers_.Remove(&node);
    return;
  }
  if (node.firing) {
    LAPLACE_CHECK(node.firing_index < firing_.size() && firing_[node.firing_index] == &node)
        << "a firing timer is missing from the firing list";
    firing_[node.firing_index] = nullptr;
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
  while (!timers_.empty() && timers_.top_deadline() <= now_) {
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
  const Time instant = timers_.top_deadline();
  due_.clear();
  while (!timers_.empty() && timers_.top_deadline() == instant) due_.push_back(timers_.Pop());
  // The order of simultaneous timers is a choice; 0 keeps the order they
  // were set in. Each pick takes the pick-th of the timers not yet placed, so
  // the others keep their order (O(log n) a pick, see NthRemaining).
  firing_.clear();
  tie_order_.Reset(due_.size());
  for (size_t i = 0; i < due_.size(); ++i) {
    const size_t left = due_.size() - i;
    const uint64_t pick = left == 1 ? 0 : Choose(left, ChoiceKind::kTimerTie, TimerTieStream());
    internal::TimerNode* node = due_[tie_order_.Take(pick)];
    node->firing = true;
    node->firing_index = firing_.size();
    firing_.push_back(node);
  }
}

void Loop::FireTimer(internal::TimerNode& node) {
  node.firing = false;
  ++steps_at_instant_;
  const bool callback = node.sleeper == 0;
  if (callback) {
    ++callbacks_fired_;
    BumpProgress();
  }
  Record(EventKind::kTimerFire, node.sleeper, node.sequence, 0, {},
         EventLinks{.cause = node.armed_at,
                    .group = node.group,
                    .context = callback ? EventContext::kCallback : EventContext::kLoop});
  in_callback_ = callback;
  struct EndCallback {
    bool& flag;
    ~EndCallback() { flag = false; }
  } end_callback{in_callback_};
  node.Fire(*this);
  // A callback changes state like a step does: let the hooks see it.
  if (node.sleeper == 0) RunStepHooks();
}

}  // namespace laplace
