// The checker's memo: the configurations (set of linearized operations,
// model state) the search has already been in. Internal to the checker.
//
// The set of operations is a bitset over the part's operations, hashed
// incrementally (Zobrist: the XOR of a fixed key per linearized operation),
// so a lookup hashes only the state. Bitsets live in one arena and states in
// one vector; the hash set holds indices into them. Membership is all that
// is asked of the hash set (it is never iterated), so its per-process hash
// salt cannot change a verdict.
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_CACHE_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"  // allowed: membership only, never iterated
#include "absl/hash/hash.h"

namespace laplace::linearizability::internal {

// The linearized operations of a search, with their running hash.
class Linearized {
 public:
  explicit Linearized(size_t operations) : words_((operations + 63) / 64, 0) {}

  void Set(size_t op) {
    words_[op / 64] |= uint64_t{1} << (op % 64);
    hash_ ^= Key(op);
  }
  void Clear(size_t op) {
    words_[op / 64] &= ~(uint64_t{1} << (op % 64));
    hash_ ^= Key(op);
  }
  bool Has(size_t op) const { return (words_[op / 64] >> (op % 64)) & 1; }
  uint64_t hash() const { return hash_; }
  const std::vector<uint64_t>& words() const { return words_; }

 private:
  // SplitMix64 of the index: fixed, well mixed, and the same in every process.
  static uint64_t Key(uint64_t op) {
    uint64_t z = op * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  std::vector<uint64_t> words_;
  uint64_t hash_ = 0;
};

template <typename State>
class Cache {
 public:
  explicit Cache(size_t words_per_set)
      : words_per_set_(words_per_set), set_(0, Hash{this}, Equal{this}) {}
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  // Adds (linearized, state) and returns true, or returns false if it was
  // there already.
  bool Insert(const Linearized& linearized, const State& state) {
    Probe probe{Mix(linearized.hash(), absl::Hash<State>{}(state)), linearized.words().data(),
                &state};
    bool added = false;
    set_.lazy_emplace(probe, [&](const auto& construct) {
      added = true;
      uint32_t index = static_cast<uint32_t>(hashes_.size());
      hashes_.push_back(probe.hash);
      states_.push_back(state);
      words_.insert(words_.end(), probe.words, probe.words + words_per_set_);
      construct(index);
    });
    return added;
  }

  size_t size() const { return hashes_.size(); }

 private:
  struct Probe {
    uint64_t hash;
    const uint64_t* words;
    const State* state;
  };

  static uint64_t Mix(uint64_t set_hash, uint64_t state_hash) {
    uint64_t z = set_hash ^ (state_hash * 0xFF51AFD7ED558CCDull);
    return z ^ (z >> 29);
  }

  Probe ProbeOf(uint32_t index) const {
    return Probe{hashes_[index], words_.data() + size_t{index} * words_per_set_, &states_[index]};
  }

  struct Hash {
    using is_transparent = void;
    const Cache* cache;
    size_t operator()(uint32_t index) const { return cache->hashes_[index]; }
    size_t operator()(const Probe& probe) const { return probe.hash; }
  };
  struct Equal {
    using is_transparent = void;
    const Cache* cache;
    bool Same(const Probe& a, const Probe& b) const {
      return a.hash == b.hash &&
             std::memcmp(a.words, b.words, cache->words_per_set_ * sizeof(uint64_t)) == 0 &&
             *a.state == *b.state;
    }
    bool operator()(uint32_t a, uint32_t b) const {
      return Same(cache->ProbeOf(a), cache->ProbeOf(b));
    }
    bool operator()(uint32_t a, const Probe& b) const { return Same(cache->ProbeOf(a), b); }
    bool operator()(const Probe& a, uint32_t b) const { return Same(a, cache->ProbeOf(b)); }
  };

  size_t words_per_set_;
  std::vector<uint64_t> hashes_;
  std::vector<State> states_;
  std::vector<uint64_t> words_;
  absl::flat_hash_set<uint32_t, Hash, Equal> set_;  // allowed: membership only (see the banner)
};

}  // namespace laplace::linearizability::internal

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_INTERNAL_CACHE_H_
