#include <iostream>
#include "loop/task.h"
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
TEST(Smoke, Works) {
  Loop loop({.seed = 1, .trace = {.keep_all = true}});
  auto a = loop.Spawn(Worker(loop, 3), "a");
  auto b = loop.Spawn(Worker(loop, 4), "b");
  RunResult r = loop.Run();
  std::cout << r.ToString() << "\n" << loop.FormatTrace(loop.trace().events());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(*a.result(), 6);
  EXPECT_EQ(*b.result(), 12);
}
