// Double-checked initialization that publishes too early: under the lock, the instance is
// published and then filled in (an await in between, a slow constructor); a caller that sees
// it published without the lock reads it half made. Fixed: fill it in, then publish.
#include "loop/lock.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Config {
  int port = 0;
};

struct Lazy {
  explicit Lazy(Loop& loop) : lock(loop, "lazy-config") {}
  Lock lock;
  Config storage;
  const Config* published = nullptr;
  bool saw_half_made = false;
};

Task<> Get(Loop& loop, Lazy& lazy, bool fixed) {
  if (lazy.published == nullptr) {
    LockGuard guard = co_await lazy.lock.Acquire();
    if (lazy.published == nullptr) {
      if (!fixed) lazy.published = &lazy.storage;
      co_await loop.Yield();  // the constructor reads a file
      lazy.storage.port = 8080;
      lazy.published = &lazy.storage;
    }
  }
  if (lazy.published->port != 8080) lazy.saw_half_made = true;
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Lazy lazy(loop);
  TaskSet tasks(loop);
  tasks.Spawn(Get(loop, lazy, fixed), "first-caller");
  tasks.Spawn(Get(loop, lazy, fixed), "second-caller");
  sim.Run();
  LAPLACE_ASSERT(!lazy.saw_half_made) << "a caller used the instance before it was made";
}

}  // namespace

ZooProgram DoubleCheckedInit() {
  return {"double_checked_init", "an instance published before it is fully initialised", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
