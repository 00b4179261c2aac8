// A property with a lost-update race that Laplace finds: a test binary for
// the harness's own tests of what a failing test leaves behind (JUnit XML
// properties, artifacts). Built as a binary, not a test: it fails on purpose.
#include <memory>

#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/property.h"

namespace {

laplace::Task<> Increment(laplace::Loop& loop, int& counter) {
  int seen = counter;
  co_await loop.Yield();
  counter = seen + 1;
}

LAPLACE_PROPERTY_WITH_OPTIONS(Harness, ALostUpdateFails,
                              (laplace::properties::PropertyOptions{.sweep_seeds = 100}), ()) {
  auto counter = std::make_shared<int>(0);
  for (int w = 0; w < 3; ++w) sim.loop().Spawn(Increment(sim.loop(), *counter), "worker");
  sim.Run();
  LAPLACE_ASSERT_EQ(*counter, 3);
}

}  // namespace
