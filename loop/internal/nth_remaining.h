// NthRemaining: takes items out of 0, 1, ..., n-1 by their rank among those not yet taken, in
// O(log n) each (a Fenwick tree of ones, searched by binary lifting). The Loop orders timers due
// at one instant with it: each kTimerTie choice picks the k-th of the timers not yet placed.
// Private to loop/.
//
//   NthRemaining order;
//   order.Reset(4);           // 0 1 2 3 remain
//   order.Take(2);            // 2; 0 1 3 remain
//   order.Take(2);            // 3; 0 1 remain
//   order.Take(0);            // 0
#ifndef LAPLACE_LOOP_INTERNAL_NTH_REMAINING_H_
#define LAPLACE_LOOP_INTERNAL_NTH_REMAINING_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"

namespace laplace::internal {

class NthRemaining {
 public:
  // Makes 0, 1, ..., count-1 remain, in O(count) (the tree's storage is reused).
  void Reset(size_t count) {
    count_ = count;
    remaining_ = count;
    // tree_[i] (1-based) counts the ones in (i - lowbit(i), i]: all ones, so that is lowbit(i).
    tree_.resize(count + 1);
    for (size_t i = 1; i <= count; ++i) tree_[i] = static_cast<uint32_t>(i & (~i + 1));
    top_bit_ = 1;
    while (top_bit_ * 2 <= count) top_bit_ *= 2;
  }

  size_t remaining() const { return remaining_; }

  // Removes and returns the item of rank `rank` (0-based, in increasing order) among those that
  // remain. Requires rank < remaining().
  size_t Take(size_t rank) {
    LAPLACE_CHECK(rank < remaining_) << "rank " << rank << " of " << remaining_ << " remaining";
    // Binary lifting: the largest position whose prefix count is <= rank; the item is the next.
    size_t position = 0;
    size_t left = rank;
    for (size_t bit = top_bit_; bit != 0; bit /= 2) {
      const size_t next = position + bit;
      if (next <= count_ && tree_[next] <= left) {
        position = next;
        left -= tree_[next];
      }
    }
    for (size_t i = position + 1; i <= count_; i += i & (~i + 1)) --tree_[i];
    --remaining_;
    return position;  // the item's 1-based position is position + 1
  }

 private:
  std::vector<uint32_t> tree_;  // 1-based Fenwick tree over the items' presence
  size_t count_ = 0;
  size_t remaining_ = 0;
  size_t top_bit_ = 1;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_NTH_REMAINING_H_
