// The Loop's lifetime, the objects bound to it, the labels of what has ended, and choices and
// notes. Tasks and groups are in loop_tasks.cc, running in loop_run.cc, timers in
// loop_timers.cc, and the text of reports and traces in loop_describe.cc.
#include "loop/loop.h"

#include <exception>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "loop/future.h"
#include "loop/internal/callback_timer.h"
#include "loop/internal/shared_state.h"
#include "loop/task.h"

namespace laplace {

// ---- LoopObject and shared states ----

namespace internal {

LoopObject::LoopObject(Loop& loop, WaitKind kind, std::string_view label)
    : loop_(&loop), kind_(kind), label_(label) {
  id_ = LoopAccess::RegisterObject(loop, *this);
}

LoopObject::~LoopObject() {
  if (loop_ != nullptr) LoopAccess::UnregisterObject(*loop_, *this);
}

std::string LoopObject::Describe() const {
  std::string text = internal::Cat(WaitKindName(kind_), " #", id_);
  if (!label_.empty()) internal::Append(text, " '", label_, "'");
  return text;
}

void ThrowResolvedTwice(const SharedStateBase& state, SourceLocation first, SourceLocation again) {
  throw PromiseAlreadySet(Cat(state.Describe(), " was resolved twice: first at ", first.file_name(),
                              ":", first.line(), ", again at ", again.file_name(), ":",
                              again.line()));
}

}  // namespace internal

// ---- Construction and destruction ----

Loop::Loop(LoopOptions options) : options_(options), trace_(options.trace) {
  if (options_.source != nullptr) {
    source_ = options_.source;
    seeded_source_ = nullptr;
  } else {
    owned_source_ = std::make_unique<SeededSource>(options_.seed);
    source_ = owned_source_.get();
    seeded_source_ = owned_source_.get();
  }
  strategy_ = options_.strategy != nullptr ? options_.strategy : &default_strategy_;
  random_walk_ = dynamic_cast<RandomWalk*>(strategy_) != nullptr;
}

Loop::~Loop() { Teardown(); }

void Loop::Teardown() {
  shutting_down_ = true;
  // Nothing runs again, so the ready queue and the parked lists are dropped at once rather than
  // task by task: destroying a million never-run tasks stays linear.
  ready_.Clear();
  yielder_ = nullptr;
  tasks_.ForEach([](internal::TaskRecord& task) {
    if (task.state == internal::TaskState::kReady || task.state == internal::TaskState::kParked) {
      task.state = internal::TaskState::kBlocked;
    }
  });
  group0_.parked.clear();
  group0_.parked_count = 0;
  for (auto& [id, group] : groups_) {
    group.parked.clear();
    group.parked_count = 0;
  }
  // Newest first: later tasks usually depend on objects owned by earlier ones.
  while (!tasks_.empty())
    DestroyTask(tasks_.Newest(), absl::CancelledError("the Loop was destroyed"));
  // Destroy the callbacks while their slots are intact: what they captured
  // may cancel or set timers as it dies (CancelTimer then finds nothing).
  std::vector<std::function<void()>> dying;
  for (size_t i = 0; i < callback_slots_.size(); ++i) {
    CallbackTimer& timer = *callback_slots_[i];
    if (timer.id == 0) continue;
    timer.id = 0;
    dying.push_back(std::move(timer.callback));
  }
  dying.clear();
  callback_slots_.clear();
  while (internal::LoopObject* object = objects_.PopFront()) object->loop_ = nullptr;
}

uint64_t Loop::RegisterObject(internal::LoopObject& object) {
  objects_.PushBack(&object);
  uint64_t id = next_object_id_++;
  if (!object.label().empty()) object_labels_.emplace(id, ObjectLabel{.label = object.label()});
  return id;
}

void Loop::UnregisterObject(internal::LoopObject& object) {
  objects_.Remove(&object);
  if (object.label().empty()) return;
  auto it = object_labels_.find(object.object_id());
  if (it == object_labels_.end()) return;
  it->second.alive = false;
  if (it->second.pins == 0) ForgetLabelLater(true, object.object_id());
}

// ---- Labels ----

std::string_view Loop::label(TaskId task) const {
  if (labels_.empty()) return {};
  auto it = labels_.find(task);
  return it == labels_.end() ? std::string_view() : std::string_view(it->second);
}

void Loop::ForgetTaskLabel(TaskId task) {
  if (labels_.empty() || !labels_.contains(task)) return;
  ForgetLabelLater(false, task);
}

void Loop::PinObjectLabel(internal::TaskRecord& task) {
  auto it = object_labels_.find(task.wait_object);
  if (it == object_labels_.end() || task.pinned_label != 0) return;
  task.pinned_label = task.wait_object;
  ++it->second.pins;
}

void Loop::UnpinObjectLabel(uint64_t object_id) {
  auto it = object_labels_.find(object_id);
  LAPLACE_CHECK(it != object_labels_.end() && it->second.pins > 0)
      << "object #" << object_id << "'s label was not pinned";
  if (--it->second.pins == 0 && !it->second.alive) ForgetLabelLater(true, object_id);
}

void Loop::ForgetLabelLater(bool object, uint64_t id) {
  const TraceOptions& kept = options_.trace;
  if (kept.keep_all) return;  // every event stays, and so does every name in them
  if (shutting_down_ || kept.tail_capacity == 0) {
    EraseLabel(object, id);
    return;
  }
  forgotten_labels_.push_back(ForgottenLabel{trace_.event_count(), object, id});
  // Only while a run goes on: a failed run's kept events are formatted after it stops.
  if (!running_ || sticky_failure_.has_value()) return;
  const uint64_t events = trace_.event_count();
  const uint64_t tail_start = events > kept.tail_capacity ? events - kept.tail_capacity : 0;
  while (!forgotten_labels_.empty() && forgotten_labels_.front().event_count <= tail_start) {
    const ForgottenLabel gone = forgotten_labels_.front();
    forgotten_labels_.pop_front();
    EraseLabel(gone.object, gone.id);
  }
}

void Loop::EraseLabel(bool object, uint64_t id) {
  if (object) {
    object_labels_.erase(id);
  } else {
    labels_.erase(id);
  }
}

// ---- Choices and notes ----

bool Loop::Chance(uint64_t numerator, uint64_t denominator, ChoiceKind kind) {
  LAPLACE_CHECK(denominator >= 1) << "Chance needs a positive denominator";
  LAPLACE_CHECK(numerator <= denominator)
      << "Chance(" << numerator << ", " << denominator << ") is not a probability";
  if (numerator == 0) return false;
  if (numerator == denominator) return true;
  // The top `numerator` values mean yes, so 0 (and small values) mean no.
  return Choose(denominator, kind) >= denominator - numerator;
}

void Loop::Note(std::string_view text) { Record(EventKind::kNote, current_task(), 0, 0, text); }

void Loop::RecordResolve(uint64_t object_id, uint64_t how) {
  if (how == 2) ++broken_promises_;
  Record(EventKind::kResolve, current_task(), object_id, how);
}

}  // namespace laplace
