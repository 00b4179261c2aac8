// A semaphore released twice: a job's error path returns its permit, then the common cleanup
// returns it again, so a one-permit pool admits two jobs at once afterwards. Fixed: the error
// path leaves the release to the cleanup.
#include <algorithm>

#include "loop/condition.h"
#include "loop/lock.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Pool {
  explicit Pool(Loop& loop) : lock(loop, "pool"), freed(loop, lock, "pool-freed") {}
  Lock lock;
  Condition freed;
  int permits = 1;
  int inside = 0;
  int most_inside = 0;
};

Task<> Acquire(Pool& pool) {
  LockGuard guard = co_await pool.lock.Acquire();
  co_await pool.freed.WaitFor(guard, [&pool] { return pool.permits > 0; });
  --pool.permits;
}

Task<> Release(Pool& pool) {
  LockGuard guard = co_await pool.lock.Acquire();
  ++pool.permits;
  pool.freed.NotifyOne();
}

Task<> Job(Loop& loop, Pool& pool, bool fails, bool fixed) {
  co_await Acquire(pool);
  pool.most_inside = std::max(pool.most_inside, ++pool.inside);
  co_await loop.Yield();  // the work
  --pool.inside;
  if (fails && !fixed) co_await Release(pool);  // the error path
  co_await Release(pool);                       // the cleanup
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Pool pool(loop);
  TaskSet tasks(loop);
  tasks.Spawn(Job(loop, pool, /*fails=*/true, fixed), "failing-job");
  tasks.Spawn(Job(loop, pool, false, fixed), "job-2");
  tasks.Spawn(Job(loop, pool, false, fixed), "job-3");
  sim.Run();
  LAPLACE_ASSERT_LE(pool.most_inside, 1) << "a one-permit pool admitted two jobs";
}

}  // namespace

ZooProgram SemaphoreReleasedTwice() {
  return {"semaphore_released_twice", "a permit returned twice lets two holders in", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
