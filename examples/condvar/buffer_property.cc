#include "examples/condvar/buffer_property.h"

#include <chrono>

#include "properties/assertions.h"

namespace laplace::examples {
namespace {

using namespace std::chrono_literals;

// Pauses 0 to 2 ms, a delay choice (0 = no pause, the least surprising).
Task<> Pause(Loop& loop) {
  uint64_t pause_ms = loop.Choose(3, ChoiceKind::kDelay);
  if (pause_ms > 0) co_await loop.Sleep(1ms * static_cast<int64_t>(pause_ms));
}

Task<> Producer(Loop& loop, BoundedBuffer& buffer, int items) {
  for (int i = 0; i < items; ++i) {
    co_await Pause(loop);
    co_await buffer.Put(i);
  }
}

Task<> Consumer(Loop& loop, BoundedBuffer& buffer, int items, int& delivered) {
  for (int i = 0; i < items; ++i) {
    int item = co_await buffer.Take();
    LAPLACE_ASSERT_EQ(item, i) << "items must come out in the order they went in";
    ++delivered;
    co_await Pause(loop);
  }
}

}  // namespace

void CheckHandoff(properties::Simulation& sim, const HandoffScenario& scenario) {
  Loop& loop = sim.loop();
  BoundedBuffer buffer(loop, scenario.buffer);
  int delivered = 0;
  const int items = scenario.items;
  sim.Eventually(
      "every-item-delivered", [&delivered, items] { return delivered == items; }, 1s);
  loop.Spawn(Consumer(loop, buffer, items, delivered), "consumer");
  loop.Spawn(Producer(loop, buffer, items), "producer");
  sim.Run();
}

}  // namespace laplace::examples
