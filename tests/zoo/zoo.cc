#include "tests/zoo/zoo.h"

namespace laplace::zoo {

const std::vector<ZooProgram>& Zoo() {
  static const std::vector<ZooProgram>* const zoo = new std::vector<ZooProgram>{
      AtomicityViolation(), OrderViolation(),         LostWakeup(),        LockOrderDeadlock(),
      DoubleCheckedInit(),  CheckThenAct(),           AbaVersionedCell(),  ReaderStarvation(),
      LateReply(),          CancellationLeak(),       MessageReordering(), BoundedQueueOffByOne(),
      BarrierReuse(),       SemaphoreReleasedTwice(), ThreePreemptions()};
  return *zoo;
}

properties::RunReport Shrunk(const properties::Body& body, const properties::RunReport& failing) {
  properties::ShrinkResult shrunk = properties::Shrink(
      [&body](const Tape& tape, const properties::RunBound& bound) {
        properties::RunOptions run;
        run.bound = bound;
        return properties::RunOnce(
            body, properties::TapeSpec::Replay(tape, TapeSource::Mode::kLenient), run);
      },
      failing, properties::ShrinkOptions{});
  return shrunk.report;
}

}  // namespace laplace::zoo
