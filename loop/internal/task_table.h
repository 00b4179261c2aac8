// The Loop's live tasks by id. Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_TASK_TABLE_H_
#define LAPLACE_LOOP_INTERNAL_TASK_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"
#include "loop/ids.h"
#include "loop/internal/task_record.h"

namespace laplace::internal {

// Task ids grow by one per spawn, so the live tasks, appended as they are spawned, are a vector
// sorted by id: a spawn appends, a task that ends clears its own entry (its record knows where
// it is), and a lookup by id is a binary search. Cleared entries at the back are dropped at once
// and the rest when they outnumber the live tasks (a compaction in O(n), paid for by those
// removals), so memory follows the live tasks, never every task ever spawned. Every operation
// but Find is O(1) amortized, with no tree to walk (a tree costs ten times as much in a debug
// build, where a test may spawn a million tasks).
class TaskTable {
 public:
  size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }

  // Requires `task.id` to be larger than every id added before.
  void Add(TaskRecord& task) {
    LAPLACE_CHECK(entries_.empty() || entries_.back().id < task.id)
        << "task #" << task.id << " added after #" << entries_.back().id;
    task.table_index = entries_.size();
    entries_.push_back(Entry{task.id, &task});
    ++live_;
  }

  // Requires `task` to be in the table.
  void Remove(TaskRecord& task) {
    LAPLACE_CHECK(task.table_index < entries_.size() && entries_[task.table_index].task == &task)
        << "task #" << task.id << " is not in the table";
    entries_[task.table_index].task = nullptr;
    --live_;
    while (!entries_.empty() && entries_.back().task == nullptr) entries_.pop_back();
    if (entries_.size() - live_ > live_ + kCompactClearedMin) Compact();
  }

  // The live task with `id`, or null.
  TaskRecord* Find(TaskId id) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                               [](const Entry& entry, TaskId id) { return entry.id < id; });
    return it != entries_.end() && it->id == id ? it->task : nullptr;
  }

  // The live task with the largest id. Requires !empty().
  TaskRecord& Newest() const {
    LAPLACE_CHECK(live_ > 0) << "no live tasks";
    return *entries_.back().task;
  }

  // Calls `visit(task)` for every live task, in id order. `visit` must not add or remove tasks.
  template <typename Visit>
  void ForEach(Visit visit) const {
    for (const Entry& entry : entries_) {
      if (entry.task != nullptr) visit(*entry.task);
    }
  }

 private:
  static constexpr size_t kCompactClearedMin = 64;

  struct Entry {
    TaskId id;
    TaskRecord* task;  // null once the task ended
  };

  void Compact() {
    size_t kept = 0;
    for (const Entry& entry : entries_) {
      if (entry.task == nullptr) continue;
      entry.task->table_index = kept;
      entries_[kept++] = entry;
    }
    entries_.resize(kept);
  }

  std::vector<Entry> entries_;  // sorted by id
  size_t live_ = 0;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_TASK_TABLE_H_
