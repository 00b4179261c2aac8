// The timer queue: a binary min-heap on (deadline, sequence) whose nodes know
// their position, so a cancelled sleeper removes itself in O(log n). Private.
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
  bool firing = false;  // popped and waiting its turn to fire

  bool queued() const { return heap_index != kNotQueued; }
};

class TimerHeap {
 public:
  bool empty() const { return nodes_.empty(); }
  size_t size() const { return nodes_.size(); }
  TimerNode* top() const {
    LAPLACE_CHECK(!nodes_.empty()) << "no timers";
    return nodes_.front();
  }

  void Push(TimerNode* node) {
    LAPLACE_CHECK(!node->queued()) << "timer already queued";
    node->heap_index = nodes_.size();
    nodes_.push_back(node);
    SiftUp(node->heap_index);
  }

  void Remove(TimerNode* node) {
    LAPLACE_CHECK(node->queued()) << "timer not queued";
    size_t index = node->heap_index;
    LAPLACE_CHECK(index < nodes_.size() && nodes_[index] == node) << "timer heap corrupted";
    TimerNode* last = nodes_.back();
    nodes_.pop_back();
    node->heap_index = TimerNode::kNotQueued;
    if (last == node) return;
    nodes_[index] = last;
    last->heap_index = index;
    SiftUp(index);
    SiftDown(last->heap_index);
  }

  TimerNode* Pop() {
    TimerNode* node = top();
    Remove(node);
    return node;
  }

 private:
  static bool Before(const TimerNode* a, const TimerNode* b) {
    if (a->deadline != b->deadline) return a->deadline < b->deadline;
    return a->sequence < b->sequence;
  }

  void Place(size_t index, TimerNode* node) {
    nodes_[index] = node;
    node->heap_index = index;
  }

  void SiftUp(size_t index) {
    TimerNode* node = nodes_[index];
    while (index > 0) {
      size_t parent = (index - 1) / 2;
      if (!Before(node, nodes_[parent])) break;
      Place(index, nodes_[parent]);
      index = parent;
    }
    Place(index, node);
  }

  void SiftDown(size_t index) {
    TimerNode* node = nodes_[index];
    size_t count = nodes_.size();
    while (true) {
      size_t child = 2 * index + 1;
      if (child >= count) break;
      if (child + 1 < count && Before(nodes_[child + 1], nodes_[child])) ++child;
      if (!Before(nodes_[child], node)) break;
      Place(index, nodes_[child]);
      index = child;
    }
    Place(index, node);
  }

  std::vector<TimerNode*> nodes_;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_TIMER_HEAP_H_
