// The Loop's live tasks by id. Private to loop/.
//
// Task ids are handed out in increasing order, so the table is a vector sorted by id: a spawn
// appends, a lookup is a binary search, and an ended task leaves a hole (a null record) that
// later lookups skip; the holes are squeezed out once they outnumber the live tasks, so every
// operation is O(log n) amortized and a run of a few tasks touches one small array that keeps
// its memory across runs (Loop::Reset). It replaced a btree_map, whose node allocations and
// rebalancing were the largest cost of a spawn (docs/benchmarks.md, "Schedule speed").
// Iteration is in id order, as the btree's was; nothing may be added or erased during it.
//
//   TaskTable tasks;
//   tasks.emplace(7, std::move(record));
//   auto it = tasks.find(7);                 // tasks.end() if absent
//   for (const auto& [id, task] : tasks) {}  // live tasks, by id
//   std::unique_ptr<TaskRecord> gone = tasks.erase(it);
#ifndef LAPLACE_LOOP_INTERNAL_TASK_TABLE_H_
#define LAPLACE_LOOP_INTERNAL_TASK_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "base/check.h"
#include "loop/ids.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {

class TaskTable {
 public:
  using Entry = std::pair<TaskId, std::unique_ptr<TaskRecord>>;  // null record: a hole

  // Visits live entries only, in id order.
  class iterator {
   public:
    iterator(Entry* at, Entry* end) : at_(at), end_(end) { SkipHoles(); }
    Entry& operator*() const { return *at_; }
    Entry* operator->() const { return at_; }
    iterator& operator++() {
      ++at_;
      SkipHoles();
      return *this;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.at_ == b.at_; }

   private:
    void SkipHoles() {
      while (at_ != end_ && at_->second == nullptr) ++at_;
    }
    Entry* at_;
    Entry* end_;
  };
  using const_iterator = iterator;  // the records are the Loop's to change, as in the btree

  size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }

  iterator begin() const { return iterator(first(), last()); }
  iterator end() const { return iterator(last(), last()); }

  // Adds a task whose id is larger than every id added before.
  void emplace(TaskId id, std::unique_ptr<TaskRecord> record) {
    LAPLACE_CHECK(entries_.empty() || entries_.back().first < id)
        << "task ids are added in increasing order";
    entries_.emplace_back(id, std::move(record));
    ++live_;
  }

  iterator find(TaskId id) const {
    Entry* at = std::lower_bound(first(), last(), id,
                                 [](const Entry& entry, TaskId key) { return entry.first < key; });
    if (at == last() || at->first != id || at->second == nullptr) return end();
    return iterator(at, last());
  }

  // Removes a live entry; returns its record.
  std::unique_ptr<TaskRecord> erase(iterator it) {
    LAPLACE_CHECK(it != end() && it->second != nullptr) << "erasing a task that is not live";
    std::unique_ptr<TaskRecord> record = std::move(it->second);
    --live_;
    while (!entries_.empty() && entries_.back().second == nullptr) entries_.pop_back();
    if (entries_.size() > 2 * live_ + 16) Squeeze();
    return record;
  }

  // The live task with the largest id. Requires !empty().
  TaskRecord& newest() const {
    LAPLACE_CHECK(!empty()) << "no live task";
    return *entries_.back().second;  // erase keeps the back live
  }

 private:
  Entry* first() const { return const_cast<Entry*>(entries_.data()); }
  Entry* last() const { return first() + entries_.size(); }
  void Squeeze() {
    std::erase_if(entries_, [](const Entry& entry) { return entry.second == nullptr; });
  }

  std::vector<Entry> entries_;  // sorted by id; live ones have a record
  size_t live_ = 0;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_TASK_TABLE_H_
