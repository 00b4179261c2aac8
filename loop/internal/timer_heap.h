// The timer queue: a 4-ary min-heap on (deadline, sequence) whose nodes know
// their position, so a cancelled sleeper removes itself in O(log n). Private.
//
// The heap holds each timer's (deadline, sequence) by value beside its node
// pointer, so a sift compares within the heap's own array and never loads a
// node (nodes live in coroutine frames and callback slots all over the heap:
// with a million timers pending, a load per level was a cache miss per level).
#ifndef LAPLACE_LOOP_INTERNAL_TIMER_HEAP_H_
#define LAPLACE_LOOP_INTERNAL_TIMER_HEAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"
#include "loop/ids.h"
#include "loop/time.h"

namespace laplace {
class Loop;
}  // namespace laplace

namespace laplace::internal {

// Something that happens at a virtual instant: a sleeping task wakes, or a
// callback runs. Nodes are owned elsewhere (an awaiter in a coroutine frame,
// or the Loop for callbacks) and must leave the heap before they die.
class TimerNode {
 public:
  static constexpr size_t kNotQueued = static_cast<size_t>(-1);

  virtual ~TimerNode() = default;
  virtual void Fire(Loop& loop) = 0;

  Time deadline;
  uint64_t sequence = 0;  // set by the Loop; orders equal deadlines
  TaskId sleeper = 0;     // the task a sleep wakes; 0 for a callback
  EventRef armed_at = 0;  // set by the Loop: the latest event when it was armed
  uint32_t group = 0;     // set by the Loop: the group of whoever armed it
  size_t heap_index = kNotQueued;
  bool firing = false;      // popped and waiting its turn to fire
  size_t firing_index = 0;  // while firing: its place in the Loop's firing list

  bool queued() const { return heap_index != kNotQueued; }
};

class TimerHeap {
 public:
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  TimerNode* top() const {
    LAPLACE_CHECK(!entries_.empty()) << "no timers";
    return entries_.front().node;
  }
  // top()->deadline, read from the heap itself.
  Time top_deadline() const {
    LAPLACE_CHECK(!entries_.empty()) << "no timers";
    return entries_.front().deadline;
  }

  void Push(TimerNode* node) {
    LAPLACE_CHECK(!node->queued()) << "timer already queued";
    entries_.push_back(Entry{node->deadline, node->sequence, node});
    SiftUp(entries_.size() - 1);
  }

  void Remove(TimerNode* node) {
    LAPLACE_CHECK(node->queued()) << "timer not queued";
    size_t index = node->heap_index;
    LAPLACE_CHECK(index < entries_.size() && entries_[index].node == node)
        << "timer heap corrupted";
    Entry last = entries_.back();
    entries_.pop_back();
    node->heap_index = TimerNode::kNotQueued;
    if (last.node == node) return;
    entries_[index] = last;
    last.node->heap_index = index;
    SiftUp(index);
    SiftDown(last.node->heap_index);
  }

  TimerNode* Pop() {
    TimerNode* node = top();
    Remove(node);
    return node;
  }

 private:
  // Four children a node: half the levels of a binary heap, and a node's children sit side by
  // side in memory, so a sift down takes about half the cache misses.
  static constexpr size_t kArity = 4;

  struct Entry {
    Time deadline;
    uint64_t sequence;
    TimerNode* node;
  };

  static bool Before(const Entry& a, const Entry& b) {
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    return a.sequence < b.sequence;
  }

  void Place(size_t index, const Entry& entry) {
    entries_[index] = entry;
    entry.node->heap_index = index;
  }

  void SiftUp(size_t index) {
    const Entry entry = entries_[index];
    while (index > 0) {
      size_t parent = (index - 1) / kArity;
      if (!Before(entry, entries_[parent])) break;
      Place(index, entries_[parent]);
      index = parent;
    }
    Place(index, entry);
  }

  void SiftDown(size_t index) {
    const Entry entry = entries_[index];
    const size_t count = entries_.size();
    while (true) {
      const size_t first = kArity * index + 1;
      if (first >= count) break;
      const size_t last = first + kArity < count ? first + kArity : count;
      size_t child = first;
      for (size_t other = first + 1; other < last; ++other) {
        if (Before(entries_[other], entries_[child])) child = other;
      }
      if (!Before(entries_[child], entry)) break;
      Place(index, entries_[child]);
      index = child;
    }
    Place(index, entry);
  }

  std::vector<Entry> entries_;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_TIMER_HEAP_H_
