// The timer queue: a binary min-heap on (deadline, sequence) whose entries carry their keys, so a
// sift compares without touching the timers themselves. Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_TIMER_HEAP_H_
#define LAPLACE_LOOP_INTERNAL_TIMER_HEAP_H_

#include <cstddef>
#include <cstdint>
#include <utility>
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
  static constexpr uint32_t kNotQueued = ~uint32_t{0};

  virtual ~TimerNode() = default;
  virtual void Fire(Loop& loop) = 0;

  Time deadline;
  uint64_t sequence = 0;         // set by the Loop; orders equal deadlines
  TaskId sleeper = 0;            // the task a sleep wakes; 0 for a callback
  uint32_t ticket = kNotQueued;  // its slot in the heap's ticket table while queued
  bool firing = false;           // popped and waiting its turn to fire
  uint32_t firing_index = 0;     // where in the Loop's firing list, while firing

  bool queued() const { return ticket != kNotQueued; }
};

// The heap holds (deadline, sequence, ticket) entries by value: at a million pending timers a
// heap of pointers took a cache miss per level to read each key. A node finds its way back
// through its ticket, an index into a table of node pointers; removing a node only clears its
// ticket, and the stale entry is dropped when it reaches the top, or when stale entries
// outnumber live ones (a rebuild in O(n), paid for by those removals). The order timers come
// out in is (deadline, sequence), whatever the layout.
class TimerHeap {
 public:
  bool empty() const { return live_ == 0; }
  size_t size() const { return live_; }
  // The earliest timer. Requires !empty().
  TimerNode* top() const {
    LAPLACE_CHECK(live_ > 0) << "no timers";
    return tickets_[entries_.front().ticket];
  }

  void Push(TimerNode* node) {
    LAPLACE_CHECK(!node->queued()) << "timer already queued";
    uint32_t ticket;
    if (!free_tickets_.empty()) {
      ticket = free_tickets_.back();
      free_tickets_.pop_back();
      tickets_[ticket] = node;
    } else {
      ticket = static_cast<uint32_t>(tickets_.size());
      tickets_.push_back(node);
    }
    node->ticket = ticket;
    ++live_;
    entries_.push_back(Entry{node->deadline, node->sequence, ticket});
    SiftUp(entries_.size() - 1);
  }

  void Remove(TimerNode* node) {
    LAPLACE_CHECK(node->queued()) << "timer not queued";
    LAPLACE_CHECK(tickets_[node->ticket] == node) << "timer heap corrupted";
    tickets_[node->ticket] = nullptr;  // its entry is stale now; the ticket is freed with it
    node->ticket = TimerNode::kNotQueued;
    --live_;
    DropStaleTop();
    if (entries_.size() - live_ > live_ + kRebuildStaleMin) Rebuild();
  }

  TimerNode* Pop() {
    TimerNode* node = top();
    free_tickets_.push_back(entries_.front().ticket);
    tickets_[entries_.front().ticket] = nullptr;
    node->ticket = TimerNode::kNotQueued;
    --live_;
    PopEntry();
    DropStaleTop();
    return node;
  }

 private:
  static constexpr size_t kRebuildStaleMin = 64;

  struct Entry {
    Time deadline;
    uint64_t sequence;
    uint32_t ticket;
  };

  static bool Before(const Entry& a, const Entry& b) {
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    return a.sequence < b.sequence;
  }
  bool Stale(const Entry& entry) const { return tickets_[entry.ticket] == nullptr; }

  // Keeps the top entry live, so that top() is a plain read.
  void DropStaleTop() {
    while (!entries_.empty() && Stale(entries_.front())) {
      free_tickets_.push_back(entries_.front().ticket);
      PopEntry();
    }
  }

  void PopEntry() {
    entries_.front() = entries_.back();
    entries_.pop_back();
    if (!entries_.empty()) SiftDown(0);
  }

  // Drops every stale entry and re-heapifies what is left.
  void Rebuild() {
    size_t kept = 0;
    for (const Entry& entry : entries_) {
      if (Stale(entry)) {
        free_tickets_.push_back(entry.ticket);
      } else {
        entries_[kept++] = entry;
      }
    }
    entries_.resize(kept);
    for (size_t i = kept / 2; i-- > 0;) SiftDown(i);
  }

  void SiftUp(size_t index) {
    Entry entry = entries_[index];
    while (index > 0) {
      size_t parent = (index - 1) / 2;
      if (!Before(entry, entries_[parent])) break;
      entries_[index] = entries_[parent];
      index = parent;
    }
    entries_[index] = entry;
  }

  void SiftDown(size_t index) {
    Entry entry = entries_[index];
    const size_t count = entries_.size();
    while (true) {
      size_t child = 2 * index + 1;
      if (child >= count) break;
      if (child + 1 < count && Before(entries_[child + 1], entries_[child])) ++child;
      if (!Before(entries_[child], entry)) break;
      entries_[index] = entries_[child];
      index = child;
    }
    entries_[index] = entry;
  }

  std::vector<Entry> entries_;       // the heap, stale entries included
  std::vector<TimerNode*> tickets_;  // ticket -> node; null for a removed node's ticket
  std::vector<uint32_t> free_tickets_;
  size_t live_ = 0;  // entries whose node is still queued
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_TIMER_HEAP_H_
