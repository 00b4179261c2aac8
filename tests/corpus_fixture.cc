// The program of tests/corpus_cli_test.sh, built twice: corpus_fixture_v1, and corpus_fixture_v2
// (LAPLACE_FIXTURE_CHANGED defined) whose workers each ask one fault choice more -- the code
// change under which a recorded corpus file must be reported, rebuilt or pruned.
#include <chrono>
#include <memory>

#include "base/strings.h"
#include "loop/task.h"
#include "properties/assertions.h"
#include "properties/property.h"

namespace laplace::tests {
namespace {

using namespace std::chrono_literals;
using properties::PropertyOptions;

Task<> Worker(Loop& loop, int& counter) {
  co_await loop.Sleep(1ms);
#ifdef LAPLACE_FIXTURE_CHANGED
  (void)loop.Chance(1, 3, ChoiceKind::kFault);
#endif
  int seen = counter;
  co_await loop.Yield();
  counter = seen + 1;
}

// The bug zoo: three workers lose updates.
LAPLACE_PROPERTY_WITH_OPTIONS(Fixture, LostUpdate,
                              (PropertyOptions{.sweep_seeds = 200, .expect_failure = true}), ()) {
  auto counter = std::make_shared<int>(0);
  for (int w = 0; w < 3; ++w) {
    sim.loop().Spawn(Worker(sim.loop(), *counter), laplace::internal::Cat("worker/", w));
  }
  sim.Run();
  LAPLACE_ASSERT_EQ(*counter, 3);
}

}  // namespace
}  // namespace laplace::tests
