#include "loop/strategies/testing/programs.h"

#include <string>

#include "loop/task.h"

namespace laplace::strategies::testing {
namespace {

Task<> Increment(Loop& loop, int& counter) {
  int read = counter;
  co_await loop.Yield();
  counter = read + 1;
}

Task<> Setter(Loop& loop, bool& flag) {
  flag = true;
  co_await loop.Yield();
  flag = false;
}

Task<> Checker(Loop& loop, const bool& flag, bool& failed) {
  co_await loop.Yield();
  if (flag) failed = true;
}

Task<> Noise(Loop& loop, int yields) {
  for (int i = 0; i < yields; ++i) co_await loop.Yield();
}

Task<> NamedWriter(Loop& loop, int& x) {
  co_await loop.Yield("x");
  x = 1;
}

Task<> NamedReader(Loop& loop, int steps, const int& x, bool& failed) {
  for (int i = 0; i < steps; ++i) co_await loop.Yield("reader");
  co_await loop.Yield("x");
  if (x == 0) failed = true;
}

Task<> BareWriter(Loop& loop, int& x) {
  co_await loop.Yield();
  x = 1;
}

Task<> BareReader(Loop& loop, int steps, const int& x, bool& failed) {
  for (int i = 0; i < steps; ++i) co_await loop.Yield();
  if (x == 0) failed = true;
}

}  // namespace

bool RunLostUpdate(LoopOptions options) {
  Loop loop(options);
  int counter = 0;
  TaskHandle<> a = loop.Spawn(Increment(loop, counter), "a");
  TaskHandle<> b = loop.Spawn(Increment(loop, counter), "b");
  loop.Run();
  return counter != 2;
}

bool RunDepthTwo(LoopOptions options, int noise, int noise_yields) {
  Loop loop(options);
  bool flag = false, failed = false;
  TaskHandle<> setter = loop.Spawn(Setter(loop, flag), "setter");
  TaskHandle<> checker = loop.Spawn(Checker(loop, flag, failed), "checker");
  for (int i = 0; i < noise; ++i) {
    TaskHandle<> task = loop.Spawn(Noise(loop, noise_yields), "noise-" + std::to_string(i));
  }
  loop.Run();
  return failed;
}

bool RunNamedLateWrite(LoopOptions options, int reader_steps) {
  Loop loop(options);
  int x = 0;
  bool failed = false;
  TaskHandle<> writer = loop.Spawn(NamedWriter(loop, x), "writer");
  TaskHandle<> reader = loop.Spawn(NamedReader(loop, reader_steps, x, failed), "reader");
  loop.Run();
  return failed;
}

bool RunBareLateWrite(LoopOptions options, int reader_steps) {
  Loop loop(options);
  int x = 0;
  bool failed = false;
  TaskHandle<> writer = loop.Spawn(BareWriter(loop, x), "writer");
  TaskHandle<> reader = loop.Spawn(BareReader(loop, reader_steps, x, failed), "reader");
  loop.Run();
  return failed;
}

int CountFailures(const std::function<bool(LoopOptions)>& program, Strategy* strategy, int seeds) {
  int failures = 0;
  for (int seed = 0; seed < seeds; ++seed) {
    failures += program({.seed = static_cast<uint64_t>(seed), .strategy = strategy}) ? 1 : 0;
  }
  return failures;
}

}  // namespace laplace::strategies::testing
