// Reader starvation of a writer (liveness): a readers-preferring read-write lock lets new
// readers in while a writer waits, so the writer can wait for as long as readers keep coming.
// The property is bounded waiting: once the writer has arrived, no new reader gets in before
// it. Fixed: writer preference (a waiting writer holds new readers back).
#include "loop/condition.h"
#include "loop/lock.h"
#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct RwLock {
  RwLock(Loop& loop, bool prefer_writer)
      : lock(loop, "rwlock"), changed(loop, lock, "rwlock-changed"), prefer_writer(prefer_writer) {}
  Lock lock;
  Condition changed;
  const bool prefer_writer;
  int readers = 0;
  bool writing = false;
  bool writer_waiting = false;
  int readers_let_past_the_writer = 0;
};

Task<> Read(Loop& loop, RwLock& rw) {
  {
    LockGuard guard = co_await rw.lock.Acquire();
    co_await rw.changed.WaitFor(
        guard, [&rw] { return !rw.writing && !(rw.prefer_writer && rw.writer_waiting); });
    ++rw.readers;
    if (rw.writer_waiting) ++rw.readers_let_past_the_writer;
  }
  co_await loop.Yield();  // reading
  LockGuard guard = co_await rw.lock.Acquire();
  --rw.readers;
  rw.changed.NotifyAll();
}

Task<> Reader(Loop& loop, RwLock& rw, int reads) {
  for (int i = 0; i < reads; ++i) co_await Read(loop, rw);
}

Task<> Writer(Loop& loop, RwLock& rw) {
  co_await loop.Yield();  // arrives a little later
  {
    LockGuard guard = co_await rw.lock.Acquire();
    rw.writer_waiting = true;
    co_await rw.changed.WaitFor(guard, [&rw] { return rw.readers == 0 && !rw.writing; });
    rw.writer_waiting = false;
    rw.writing = true;
  }
  co_await loop.Yield();  // writing
  LockGuard guard = co_await rw.lock.Acquire();
  rw.writing = false;
  rw.changed.NotifyAll();
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  RwLock rw(loop, fixed);
  TaskSet tasks(loop);
  tasks.Spawn(Reader(loop, rw, 2), "reader-1");
  tasks.Spawn(Writer(loop, rw), "writer");
  tasks.Spawn(Reader(loop, rw, 2), "reader-2");
  sim.Run();
  LAPLACE_ASSERT_EQ(rw.readers_let_past_the_writer, 0)
      << "readers overtook a waiting writer (it can starve)";
}

}  // namespace

ZooProgram ReaderStarvation() {
  return {"reader_starvation", "a waiting writer is overtaken by new readers (liveness)", 1,
          [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
