// The seeded pseudo-random generator behind every seeded run.
//
// Laplace specifies its generator and its range reduction in code instead of
// using the standard library's engines and distributions, whose output differs
// between standard libraries. The same seed gives the same numbers on every
// compiler, standard library and optimization level.
//
//   laplace::Prng prng(/*seed=*/42);
//   uint64_t word = prng.Next();       // 64 random bits
//   uint64_t die = prng.Below(6);      // uniform in [0, 6)
#ifndef LAPLACE_LOOP_PRNG_H_
#define LAPLACE_LOOP_PRNG_H_

#include <cstdint>

#include "base/check.h"

namespace laplace {

// wyrand (Wang Yi, 2019): a 64-bit state advanced by a Weyl sequence and
// finished by a 128-bit multiply-fold. It passes BigCrush and PractRand, and
// costs one multiplication per number.
class Prng {
 public:
  // The state is the seed itself; Next() mixes it, so seeds 0, 1, 2... are
  // as good as any.
  explicit constexpr Prng(uint64_t seed) : state_(seed) {}

  // Returns 64 uniformly random bits.
  //   state += 0xa0761d6478bd642f
  //   m = state * (state ^ 0xe7037ed1a0b428db)   (full 128-bit product)
  //   return high64(m) ^ low64(m)
  constexpr uint64_t Next() {
    state_ += 0xa0761d6478bd642fULL;
    __uint128_t product =
        static_cast<__uint128_t>(state_) * static_cast<__uint128_t>(state_ ^ 0xe7037ed1a0b428dbULL);
    return static_cast<uint64_t>(product >> 64) ^ static_cast<uint64_t>(product);
  }

  // Returns a uniform value in [0, bound), bound >= 1, without modulo bias:
  // Lemire's multiply-shift with rejection ("Fast Random Integer Generation in
  // an Interval", 2019). Draws one Next() except with probability < bound/2^64.
  LAPLACE_HOT_INLINE uint64_t Below(uint64_t bound) {
    LAPLACE_CHECK(bound >= 1) << "Below() needs a non-empty range";
    __uint128_t product = static_cast<__uint128_t>(Next()) * bound;
    uint64_t low = static_cast<uint64_t>(product);
    if (low < bound) {
      uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        product = static_cast<__uint128_t>(Next()) * bound;
        low = static_cast<uint64_t>(product);
      }
    }
    return static_cast<uint64_t>(product >> 64);
  }

 private:
  uint64_t state_;
};

}  // namespace laplace

#endif  // LAPLACE_LOOP_PRNG_H_
