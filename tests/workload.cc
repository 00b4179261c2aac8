#include "tests/workload.h"

#include <string>
#include <vector>

#include "loop/event.h"
#include "loop/future.h"
#include "loop/gather.h"
#include "loop/lock.h"
#include "loop/queue.h"
#include "loop/semaphore.h"
#include "loop/task.h"
#include "loop/wait_for.h"
#include "loop/when_any.h"

namespace laplace::tests {
namespace {

using namespace std::chrono_literals;

struct Shared {
  explicit Shared(Loop& loop)
      : lock(loop, "counter-lock"),
        slots(loop, 2, "slots"),
        inbox(loop, 3, "inbox"),
        go(loop, "go") {}
  Lock lock;
  Semaphore slots;
  Queue<int> inbox;
  Event go;
  int counter = 0;
};

Task<int> Jitter(Loop& loop, int id) {
  co_await loop.Sleep(Duration(1'000'000 * static_cast<int64_t>(loop.Choose(3))));
  co_return id;
}

Task<> Producer(Loop& loop, Shared& shared, int id) {
  co_await shared.go.Wait();
  for (int i = 0; i < 4; ++i) {
    {
      LockGuard guard = co_await shared.lock.Acquire();
      int seen = shared.counter;
      co_await loop.Yield();
      shared.counter = seen + 1;
    }
    (void)co_await shared.inbox.Put(id * 100 + i);
    co_await loop.Sleep(1ms);
  }
}

Task<> Consumer(Loop& loop, Shared& shared, int& sum) {
  while (true) {
    absl::StatusOr<int> item = co_await shared.inbox.Get();
    if (!item.ok()) co_return;
    SemaphorePermit permit = co_await shared.slots.Acquire();
    co_await loop.Sleep(Duration(500'000 * static_cast<int64_t>(loop.Choose(2))));
    sum += *item;
  }
}

Task<> Coordinator(Loop& loop, Shared& shared, int& sum) {
  co_await loop.Sleep(1ms);
  shared.go.Set();
  auto [a, b, c] = co_await Gather(loop, Jitter(loop, 1), Jitter(loop, 2), Jitter(loop, 3));
  sum += *a + *b + *c;
  AnyResult<int> first = co_await WhenAny(loop, Jitter(loop, 4), Jitter(loop, 5));
  sum += static_cast<int>(first.index);
  absl::StatusOr<int> late = co_await WaitFor(loop, Jitter(loop, 6), 1ms);
  sum += late.ok() ? 1 : 0;
  Promise<int> promise(loop, "handoff");
  loop.CallLater(2ms, [&promise] { promise.SetValue(5); });
  sum += (co_await promise.future()).value_or(0);
}

}  // namespace

RunResult RunWorkload(Loop& loop) {
  Shared shared(loop);
  int sum = 0;
  std::vector<TaskHandle<>> producers;
  for (int id = 1; id <= 3; ++id) {
    producers.push_back(loop.Spawn(Producer(loop, shared, id), "producer-" + std::to_string(id)));
  }
  TaskHandle<> consumer_a = loop.Spawn(Consumer(loop, shared, sum), "consumer-a");
  TaskHandle<> consumer_b = loop.Spawn(Consumer(loop, shared, sum), "consumer-b");
  TaskHandle<> coordinator = loop.Spawn(Coordinator(loop, shared, sum), "coordinator");
  TaskHandle<int> victim = loop.Spawn(Jitter(loop, 9), "victim");
  loop.CallLater(Duration(1'000'000 * static_cast<int64_t>(loop.Choose(3))),
                 [victim] { victim.Cancel(); });
  RunResult result = loop.RunUntilComplete(coordinator);
  for (TaskHandle<>& producer : producers) {
    if (result.ok()) result = loop.RunUntilComplete(producer);
  }
  shared.inbox.Close();
  if (result.ok()) result = loop.Run();
  loop.Note("sum=" + std::to_string(sum) + " counter=" + std::to_string(shared.counter));
  return result;
}

}  // namespace laplace::tests
