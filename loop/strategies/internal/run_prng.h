// The generator a strategy draws its own randomness from. Private to loop/strategies/.
//
// strategy.h's contract: a strategy's randomness is a pure function of the run's seed, never
// drawn from the Loop's choice source (a replay would read those draws back as picks). Each
// strategy salts the seed with its own constant, so that its numbers are independent of the
// run's choices and of other strategies'.
#ifndef LAPLACE_LOOP_STRATEGIES_INTERNAL_RUN_PRNG_H_
#define LAPLACE_LOOP_STRATEGIES_INTERNAL_RUN_PRNG_H_

#include <cstdint>

#include "loop/digest.h"
#include "loop/loop.h"
#include "loop/prng.h"

namespace laplace::strategies::internal {

inline Prng RunPrng(const Loop& loop, uint64_t salt) { return Prng(Mix64(loop.seed() ^ salt)); }

}  // namespace laplace::strategies::internal

#endif  // LAPLACE_LOOP_STRATEGIES_INTERNAL_RUN_PRNG_H_
