// A fixed, specified 64-bit hash for trace digests and anything else that must
// hash identically in every process, on every compiler, at every -O level.
//
// absl::Hash and std::hash are salted or implementation-defined, so Laplace
// never uses them for anything that is compared across runs. This one is
// integer-only and reads bytes in little-endian order explicitly.
//
//   laplace::Digest digest;
//   digest.Add(42);
//   digest.AddString("client-1");
//   uint64_t value = digest.value();  // same on every machine
#ifndef LAPLACE_LOOP_DIGEST_H_
#define LAPLACE_LOOP_DIGEST_H_

#include <cstdint>
#include <string_view>

namespace laplace {

// The finalizer of SplitMix64 (Steele, Lea, Flood 2014): a bijection on 64
// bits with full avalanche.
constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Hashes bytes: 8 at a time, little-endian, each word folded with Add().
uint64_t HashString(std::string_view text);

// An order-sensitive running hash of 64-bit words.
//
// Specification: the state starts at 0x6c61706c616365 ("laplace").
// Add(x, y) folds two words with wyhash's multiply-fold:
//   p = (state ^ x ^ 0xa0761d6478bd642f) * (y ^ 0xe7037ed1a0b428db)   (128-bit)
//   state = high64(p) ^ low64(p)
// and counts one call. value() returns Mix64(state ^ count). One 128-bit
// multiply per two words keeps tracing cheap enough to leave on always.
class Digest {
 public:
  constexpr void Add(uint64_t x, uint64_t y = 0) {
    __uint128_t product = static_cast<__uint128_t>(state_ ^ x ^ 0xa0761d6478bd642fULL) *
                          static_cast<__uint128_t>(y ^ 0xe7037ed1a0b428dbULL);
    state_ = static_cast<uint64_t>(product >> 64) ^ static_cast<uint64_t>(product);
    ++count_;
  }
  void AddString(std::string_view text) { Add(HashString(text)); }

  constexpr uint64_t value() const { return Mix64(state_ ^ count_); }
  constexpr uint64_t count() const { return count_; }

 private:
  uint64_t state_ = 0x6c61706c616365ULL;
  uint64_t count_ = 0;
};

}  // namespace laplace

#endif  // LAPLACE_LOOP_DIGEST_H_
