// RankBitmap: a set of positions [0, size) with rank and select in O(log size). Private to
// loop/.
//
// The ready queue uses it to find the i-th ready task while cancelled tasks leave holes in its
// ring, and the timer code to pick the i-th of the timers still to fire at one instant: both
// keep an order that is a pure function of the choices made, without shifting every later
// element on each removal. One bit per position, and a Fenwick tree of the words' population
// counts, so a Set or Clear costs O(log(size / 64)) and Build costs O(size / 64).
//
//   RankBitmap bits;
//   bits.Build(10, /*all=*/true);  // {0, ..., 9}
//   bits.Clear(3);
//   size_t fourth = bits.Select(3);  // 4: the fourth position still set
//   size_t before = bits.Rank(5);    // 4: set positions below 5 (0, 1, 2, 4)
#ifndef LAPLACE_LOOP_INTERNAL_RANK_BITMAP_H_
#define LAPLACE_LOOP_INTERNAL_RANK_BITMAP_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"

namespace laplace::internal {

class RankBitmap {
 public:
  // Resets to `size` positions, every one set when `all`, else none. O(size / 64); keeps the
  // memory of earlier, larger builds.
  void Build(size_t size, bool all) {
    size_ = size;
    const size_t words = (size + 63) / 64;
    words_.assign(words, all ? ~uint64_t{0} : 0);
    if (all && size % 64 != 0) words_.back() = (uint64_t{1} << (size % 64)) - 1;
    tree_.assign(words + 1, 0);
    for (size_t j = 1; j <= words; ++j) {
      tree_[j] += static_cast<uint64_t>(std::popcount(words_[j - 1]));
      const size_t parent = j + (j & (~j + 1));
      if (parent <= words) tree_[parent] += tree_[j];
    }
    count_ = all ? size : 0;
  }

  size_t size() const { return size_; }
  // How many positions are set.
  size_t count() const { return count_; }
  bool Test(size_t position) const {
    LAPLACE_CHECK(position < size_) << "position " << position << " of " << size_;
    return (words_[position / 64] >> (position % 64)) & 1;
  }

  // Requires the position to be clear (Set) or set (Clear).
  void Set(size_t position) {
    LAPLACE_CHECK(!Test(position)) << "position " << position << " is already set";
    words_[position / 64] |= uint64_t{1} << (position % 64);
    Add(position / 64, 1);
    ++count_;
  }
  void Clear(size_t position) {
    LAPLACE_CHECK(Test(position)) << "position " << position << " is not set";
    words_[position / 64] &= ~(uint64_t{1} << (position % 64));
    Add(position / 64, ~uint64_t{0});  // minus one, modulo 2^64
    --count_;
  }

  // How many set positions are below `position` (which may equal size()).
  size_t Rank(size_t position) const {
    LAPLACE_CHECK(position <= size_) << "rank of " << position << " in " << size_;
    size_t word = position / 64;
    uint64_t rank = 0;
    for (size_t j = word; j > 0; j -= j & (~j + 1)) rank += tree_[j];
    if (position % 64 != 0) {
      rank += static_cast<uint64_t>(
          std::popcount(words_[word] & ((uint64_t{1} << (position % 64)) - 1)));
    }
    return static_cast<size_t>(rank);
  }

  // The position of the set bit with `rank` set bits below it. Requires rank < count().
  size_t Select(size_t rank) const {
    LAPLACE_CHECK(rank < count_) << "select " << rank << " of " << count_ << " set";
    const size_t words = words_.size();
    size_t word = 0;  // the words before the answer's, as a Fenwick position
    uint64_t left = rank;
    for (size_t step = std::bit_floor(words); step > 0; step /= 2) {
      if (word + step <= words && tree_[word + step] <= left) {
        word += step;
        left -= tree_[word];
      }
    }
    uint64_t bits = words_[word];
    for (; left > 0; --left) bits &= bits - 1;  // drop the lowest set bits
    return word * 64 + static_cast<size_t>(std::countr_zero(bits));
  }

 private:
  void Add(size_t word, uint64_t delta) {
    for (size_t j = word + 1; j < tree_.size(); j += j & (~j + 1)) tree_[j] += delta;
  }

  size_t size_ = 0;
  size_t count_ = 0;
  std::vector<uint64_t> words_;
  std::vector<uint64_t> tree_;  // Fenwick tree over the words' population counts, 1-based
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_RANK_BITMAP_H_
