// Loop::Reset: a Loop made new again for the next run, keeping its memory; and the spare task
// records that make a spawn in steady state cost no allocation.
#include <memory>
#include <new>
#include <utility>

#include "loop/internal/callback_timer.h"
#include "loop/loop.h"

namespace laplace {

void Loop::Reset(LoopOptions options) {
  LAPLACE_CHECK(!running_) << "Loop::Reset called from inside a run";
  TearDown();
  LAPLACE_CHECK(tasks_.empty()) << "a task outlived the teardown";
  LAPLACE_CHECK(live_non_daemons_ == 0 && held_tasks_ == 0) << "a task's counts outlived it";

  options_ = options;
  frame_budget_.Restart(options_.frame_bytes_max);
  trace_.Reset(options_.trace);
  owned_source_.reset();
  seed_ = 0;

  now_ = Time();
  steps_ = 0;
  preemptions_ = 0;
  steps_at_instant_ = 0;
  broken_promises_ = 0;
  callbacks_fired_ = 0;
  progress_.store(0, std::memory_order_relaxed);
  running_ = false;
  in_callback_ = false;
  shutting_down_ = false;
  divergence_reported_ = false;
  divergence_point_.reset();
  sticky_failure_.reset();

  next_task_id_ = 1;
  next_object_id_ = 1;
  next_timer_sequence_ = 1;
  group_tasks_.clear();
  labels_.clear();
  object_labels_.clear();
  ended_labels_.clear();
  group_names_.clear();
  resource_names_.clear();
  stream_names_.clear();

  ready_.Clear();
  yielder_ = nullptr;
  current_ = nullptr;
  next_ = nullptr;
  paused_groups_.clear();
  parked_.clear();

  // The teardown destroyed the callbacks' nodes; the heap's pointers to them are dropped unread.
  timers_ = internal::TimerHeap();
  firing_.clear();
  due_.clear();
  free_callback_slots_.clear();
  live_callbacks_ = 0;

  step_hooks_.clear();
  fault_counts_.clear();
  ApplyOptions();
}

std::unique_ptr<internal::TaskRecord> Loop::NewRecord() {
  if (spare_records_.empty()) return std::make_unique<internal::TaskRecord>();
  std::unique_ptr<internal::TaskRecord> record = std::move(spare_records_.back());
  spare_records_.pop_back();
  // Made new in place: the record's list link is not assignable, and a spare is never linked.
  LAPLACE_CHECK(!record->linked()) << "a spare task record is still in a group's list";
  record->~TaskRecord();
  new (record.get()) internal::TaskRecord();
  return record;
}

}  // namespace laplace
