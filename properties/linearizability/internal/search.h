// The Wing-Gong search with Lowe's memoization, on one part of a history.
// Internal to the checker (checker.h).
//
// Wing & Gong (1993): scan the history's calls and returns in real-time
// order; a call whose operation the model accepts in the current state may
// be linearized now (lifted out of the list with its return), and a return
// reached before its call was lifted means the current order is wrong, so
// undo the last choice and try the next call. Lowe (2017) adds a cache of
// (linearized set, state): reaching a configuration seen before cannot lead
// anywhere new. An info operation has no return: it may be linearized any
// time after its call, or never, so the search succeeds once every ok
// operation is linearized (Knossos and Porcupine's treatment).
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_SEARCH_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_SEARCH_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/check.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/internal/cache.h"
#include "properties/linearizability/model.h"

namespace laplace::linearizability::internal {

// What a search may spend, shared by the parts of one check.
struct Budget {
  uint64_t states_left = 0;
  // A wall-clock budget, which CheckLinearizable refuses inside simulations.
  std::optional<std::chrono::steady_clock::time_point> deadline;  // allowed: a budget
  std::string exhausted;  // why the search stopped, once it did

  bool OutOfTime() const {
    return deadline.has_value() &&
           std::chrono::steady_clock::now() >= *deadline;  // allowed: the budget
  }
};

enum class SearchVerdict : uint8_t { kLinearizable, kNotLinearizable, kUnknown };

struct SearchResult {
  SearchVerdict verdict = SearchVerdict::kUnknown;
  // When linearizable: indices into the searched operations, in order.
  std::vector<size_t> linearization;
  uint64_t states = 0;
};

// Searches `ops` (ok and info operations, in any order) for a linearization.
template <Model M>
SearchResult SearchLinearization(const M& model, const std::vector<const Operation*>& ops,
                                 Budget& budget);

// Implementation details follow.

// The doubly linked list of calls and returns, in real-time order, from
// which linearized operations are lifted and restored (dancing links).
class EntryList {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  explicit EntryList(const std::vector<const Operation*>& ops) {
    struct At {
      size_t position;
      uint32_t op;
      bool call;
    };
    std::vector<At> order;
    for (uint32_t i = 0; i < ops.size(); ++i) {
      order.push_back({ops[i]->invoked, i, true});
      if (ops[i]->known()) order.push_back({ops[i]->completed, i, false});
    }
    std::sort(order.begin(), order.end(),
              [](const At& a, const At& b) { return a.position < b.position; });
    size_t n = order.size();
    next_.resize(n + 1);
    prev_.resize(n + 1);
    op_.resize(n);
    call_.resize(n);
    match_.assign(n, kNone);
    std::vector<uint32_t> call_of(ops.size(), kNone);
    // Entry n is the head sentinel; the list is circular through it.
    for (uint32_t e = 0; e < n; ++e) {
      op_[e] = order[e].op;
      call_[e] = order[e].call;
      if (order[e].call) {
        call_of[order[e].op] = e;
      } else {
        match_[call_of[order[e].op]] = e;
      }
      next_[e] = e + 1;
      prev_[e] = e == 0 ? static_cast<uint32_t>(n) : e - 1;
    }
    next_[n] = n == 0 ? static_cast<uint32_t>(n) : 0;
    prev_[n] = n == 0 ? static_cast<uint32_t>(n) : static_cast<uint32_t>(n - 1);
    head_ = static_cast<uint32_t>(n);
  }

  uint32_t first() const { return next_[head_]; }
  uint32_t next(uint32_t e) const { return next_[e]; }
  bool end(uint32_t e) const { return e == head_; }
  bool call(uint32_t e) const { return call_[e]; }
  uint32_t op(uint32_t e) const { return op_[e]; }

  // Takes a call and its return (if any) out of the list.
  void Lift(uint32_t e) {
    Unlink(e);
    if (match_[e] != kNone) Unlink(match_[e]);
  }
  // Puts back what Lift(e) took; lifts are undone in reverse order.
  void Unlift(uint32_t e) {
    if (match_[e] != kNone) Relink(match_[e]);
    Relink(e);
  }

 private:
  void Unlink(uint32_t e) {
    next_[prev_[e]] = next_[e];
    prev_[next_[e]] = prev_[e];
  }
  void Relink(uint32_t e) {
    next_[prev_[e]] = e;
    prev_[next_[e]] = e;
  }

  std::vector<uint32_t> next_, prev_, op_, match_;
  std::vector<bool> call_;
  uint32_t head_ = 0;
};

template <Model M>
SearchResult SearchLinearization(const M& model, const std::vector<const Operation*>& ops,
                                 Budget& budget) {
  using State = typename M::State;
  struct Choice {
    uint32_t entry;
    State before;
  };
  constexpr uint64_t kClockEvery = 1024;  // steps between reads of the wall clock

  SearchResult result;
  EntryList list(ops);
  Linearized linearized(ops.size());
  Cache<State> cache(linearized.words().size());
  std::vector<Choice> stack;
  size_t ok_left = 0;
  for (const Operation* op : ops) ok_left += op->known() ? 1 : 0;
  State state = model.Init();
  uint32_t entry = list.first();
  for (uint64_t step = 1;; ++step) {
    if (ok_left == 0) {
      result.verdict = SearchVerdict::kLinearizable;
      for (const Choice& choice : stack) result.linearization.push_back(list.op(choice.entry));
      break;
    }
    if (step % kClockEvery == 0 && budget.OutOfTime()) {
      budget.exhausted = "the time budget ran out";
      break;
    }
    // An ok operation is left, so its return is still in the list, ahead of the end.
    LAPLACE_CHECK(!list.end(entry)) << "the search ran off its list with ok operations left";
    if (list.call(entry)) {
      uint32_t op = list.op(entry);
      std::optional<State> after = model.Step(state, *ops[op]);
      if (after.has_value()) {
        linearized.Set(op);
        if (cache.Insert(linearized, *after)) {
          if (budget.states_left == 0) {
            budget.exhausted = "the state budget ran out";
            break;
          }
          --budget.states_left;
          stack.push_back(Choice{entry, std::move(state)});
          state = *std::move(after);
          list.Lift(entry);
          if (ops[op]->known()) --ok_left;
          entry = list.first();
          continue;
        }
        linearized.Clear(op);
      }
      entry = list.next(entry);
      continue;
    }
    // A return whose operation is not linearized yet: undo the last choice.
    if (stack.empty()) {
      result.verdict = SearchVerdict::kNotLinearizable;
      break;
    }
    Choice undo = std::move(stack.back());
    stack.pop_back();
    uint32_t op = list.op(undo.entry);
    state = std::move(undo.before);
    linearized.Clear(op);
    list.Unlift(undo.entry);
    if (ops[op]->known()) ++ok_left;
    entry = list.next(undo.entry);
  }
  result.states = cache.size();
  return result;
}

}  // namespace laplace::linearizability::internal

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_SEARCH_H_
