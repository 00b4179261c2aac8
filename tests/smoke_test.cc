#include <iostream>
#include "loop/task.h"
#include "loop/lock.h"
#include "loop/semaphore.h"
#include "loop/event.h"
#include "loop/queue.h"
#include "loop/gather.h"
#include "loop/when_any.h"
#include "loop/wait_for.h"
#include "gtest/gtest.h"
using namespace laplace;
using namespace std::chrono_literals;

Task<int> Child(Loop& loop, int x) { co_await loop.Yield(); co_return x * 2; }
Task<int> Worker(Loop& loop, int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i) {
    sum += co_await Child(loop, i);
    co_await loop.Sleep(1ms);
  }
  co_return sum;
}
Task<int> Slow(Loop& loop, Duration d, int v) { co_await loop.Sleep(d); co_return v; }
Task<> Main(Loop& loop, Lock& lock, Queue<int>& q, Event& e, Semaphore& s) {
  auto [a, b] = co_await Gather(loop, Worker(loop, 2), Child(loop, 5));
  EXPECT_EQ(*a, 2); EXPECT_EQ(*b, 10);
  auto any = co_await WhenAny(loop, Slow(loop, 5ms, 1), Slow(loop, 2ms, 2));
  EXPECT_EQ(any.index, 1u); EXPECT_EQ(*any.result, 2);
  auto t = co_await WaitFor(loop, Slow(loop, 5ms, 1), 1ms);
  EXPECT_TRUE(absl::IsDeadlineExceeded(t.status()));
  {
    auto g = co_await lock.Acquire();
    auto g2 = co_await WaitFor(loop, lock.Acquire(), 1ms);
    EXPECT_FALSE(g2.ok());
  }
  EXPECT_TRUE((co_await q.Put(3)).ok());
  EXPECT_EQ(*(co_await q.Get()), 3);
  e.Set(); co_await e.Wait();
  auto p = co_await s.Acquire();
}
TEST(Smoke, Works) {
  Loop loop({.seed = 1, .trace = {.keep_all = true}});
  Lock lock(loop, "l"); Queue<int> q(loop, 2, "q"); Event e(loop); Semaphore s(loop, 1);
  auto a = loop.Spawn(Worker(loop, 3), "a");
  auto b = loop.Spawn(Worker(loop, 4), "b");
  auto m = loop.Spawn(Main(loop, lock, q, e, s), "main");
  RunResult r = loop.Run();
  std::cout << r.ToString() << "\n" << loop.FormatTrace(loop.trace().events());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(*a.result(), 6);
  EXPECT_EQ(*b.result(), 12);
  EXPECT_TRUE(m.result().ok());
}
