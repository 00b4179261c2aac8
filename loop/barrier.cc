#include "loop/barrier.h"

#include "base/strings.h"

namespace laplace {

Barrier::Barrier(Loop& loop, size_t parties, std::string_view label)
    : LoopObject(loop, WaitKind::kBarrier, label), parties_(parties) {
  LAPLACE_CHECK(parties >= 1) << "a barrier needs at least one party";
}

void Barrier::ReleaseRound() {
  waiting_ = 0;
  ++rounds_;
  internal::WakeAll(waiters_, *this);
}

std::string Barrier::Describe() const {
  return internal::Cat(LoopObject::Describe(), " (", waiting_, " of ", parties_, " waiting, round ",
                       rounds_ + 1, ")");
}

}  // namespace laplace
