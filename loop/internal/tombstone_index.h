// TombstoneIndex: marks positions 0, 1, ..., capacity-1 of a sequence dead or live and finds the
// position of the k-th live one in O(log capacity): a bitmap of the dead positions, and a Fenwick
// tree of the dead counts per 64-position block, searched by binary lifting. Every position starts
// live, so Reset only zeroes capacity/64 words and capacity/64 counters; that is what lets the
// ready queue build one at its first tombstone without paying for the tasks already queued.
// Private to loop/.
//
//   TombstoneIndex index;
//   index.Reset(8);            // 0 1 2 3 4 5 6 7 live
//   index.Kill(1);
//   index.Kill(2);             // 0 3 4 5 6 7 live
//   index.NthLive(1);          // 3
//   index.Revive(2);           // 0 2 3 4 5 6 7 live
//   index.NthLive(1);          // 2
#ifndef LAPLACE_LOOP_INTERNAL_TOMBSTONE_INDEX_H_
#define LAPLACE_LOOP_INTERNAL_TOMBSTONE_INDEX_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"

namespace laplace::internal {

class TombstoneIndex {
 public:
  static constexpr size_t kBlockPositions = 64;  // one bitmap word

  // Makes positions [0, capacity) live, in O(capacity / 64); the storage is reused.
  void Reset(size_t capacity) {
    capacity_ = capacity;
    blocks_ = (capacity + kBlockPositions - 1) / kBlockPositions;
    dead_.assign(blocks_, 0);
    tree_.assign(blocks_ + 1, 0);
    top_block_bit_ = blocks_ == 0 ? 0 : std::bit_floor(blocks_);
  }

  size_t capacity() const { return capacity_; }
  // Blocks of 64 positions: what Reset costs.
  size_t blocks() const { return blocks_; }

  bool IsDead(size_t position) const {
    LAPLACE_CHECK(position < capacity_) << "position " << position << " of " << capacity_;
    return (dead_[position / kBlockPositions] >> (position % kBlockPositions)) & 1;
  }

  // Marks a live position dead.
  void Kill(size_t position) {
    LAPLACE_CHECK(!IsDead(position)) << "position " << position << " is dead already";
    dead_[position / kBlockPositions] |= uint64_t{1} << (position % kBlockPositions);
    AddToBlock(position / kBlockPositions, +1);
  }

  // Marks a dead position live again.
  void Revive(size_t position) {
    LAPLACE_CHECK(IsDead(position)) << "position " << position << " is live";
    dead_[position / kBlockPositions] &= ~(uint64_t{1} << (position % kBlockPositions));
    AddToBlock(position / kBlockPositions, -1);
  }

  // The position of the live one of rank `rank` (0-based, in increasing position). Requires that
  // many live positions below capacity() (unchecked beyond the last block: the caller knows).
  size_t NthLive(size_t rank) const {
    // Binary lifting over whole blocks: the most blocks whose live count is <= rank.
    size_t block = 0;
    size_t left = rank;
    for (size_t bit = top_block_bit_; bit != 0; bit /= 2) {
      const size_t next = block + bit;
      if (next > blocks_) continue;
      const size_t live = bit * kBlockPositions - tree_[next];  // node `next` covers `bit` blocks
      if (live <= left) {
        block = next;
        left -= live;
      }
    }
    LAPLACE_CHECK(block < blocks_) << "rank " << rank << " is past the last live position";
    const size_t position = block * kBlockPositions + NthSetBit(~dead_[block], left);
    LAPLACE_CHECK(position < capacity_) << "rank " << rank << " is past the last live position";
    return position;
  }

 private:
  void AddToBlock(size_t block, int delta) {
    for (size_t i = block + 1; i <= blocks_; i += i & (~i + 1)) {
      tree_[i] = static_cast<uint32_t>(static_cast<int64_t>(tree_[i]) + delta);
    }
  }

  // The index of the set bit of rank `rank` in `word` (which has more than `rank` set bits), by
  // halving: six popcounts.
  static size_t NthSetBit(uint64_t word, size_t rank) {
    size_t index = 0;
    for (unsigned width = 32; width != 0; width /= 2) {
      const uint64_t low = word & ((uint64_t{1} << width) - 1);
      const size_t count = static_cast<size_t>(std::popcount(low));
      if (rank >= count) {
        rank -= count;
        word >>= width;
        index += width;
      }
    }
    return index;
  }

  std::vector<uint64_t> dead_;  // bit i of word b: position b * 64 + i is dead
  std::vector<uint32_t> tree_;  // 1-based Fenwick tree over the dead count of each block
  size_t capacity_ = 0;
  size_t blocks_ = 0;
  size_t top_block_bit_ = 0;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_TOMBSTONE_INDEX_H_
