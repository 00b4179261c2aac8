// Tasks that acquire a Lock or a Semaphore (anything whose Acquire() gives a guard with
// Release()), shared by the tests of both: ArriveAndHold for their FIFO order, and tasks that
// hold, wait for, or were just handed one when a run stops, each with a Counted in its frame, for
// tests that destroy the Loop (or the primitive first) and prove that every frame is destroyed
// exactly once and that no guard or permit touches a dead object.
//
//   laplace::testing::Counts counts;
//   {
//     laplace::Loop loop({.seed = 11});
//     laplace::Semaphore held(loop, 1);
//     laplace::Semaphore handed(loop, 1);
//     laplace::testing::SpawnBlockedAcquirers(loop, held, handed, /*waiters=*/3, counts);
//     ASSERT_EQ(loop.Run().outcome, laplace::RunOutcome::kStopped);
//     EXPECT_EQ(counts.alive(), 8);  // the holder, the releaser and six waiters
//   }
//   EXPECT_EQ(counts.alive(), 0);
#ifndef LAPLACE_LOOP_TESTING_ACQUIRERS_H_
#define LAPLACE_LOOP_TESTING_ACQUIRERS_H_

#include <chrono>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/loop.h"
#include "loop/task.h"
#include "loop/testing/counted.h"
#include "loop/time.h"

namespace laplace::testing {

// Arrives at `lockable` after `arrive`, records arrival and acquisition, and holds it across a
// few scheduling points (then for `hold`) so that any other task could barge in if the
// primitive allowed it.
template <typename Lockable>
Task<> ArriveAndHold(Loop& loop, Lockable& lockable, Duration arrive, Duration hold,
                     std::string name, std::vector<std::string>& arrivals,
                     std::vector<std::string>& acquisitions) {
  co_await loop.Sleep(arrive);
  arrivals.push_back(name);
  auto held = co_await lockable.Acquire();
  acquisitions.push_back(name);
  for (int i = 0; i < 3; ++i) co_await loop.Yield();
  co_await loop.Sleep(hold);
}

// Acquires `lockable` (a Lock or a Semaphore) and keeps it while asleep for an hour.
template <typename Lockable>
Task<> HoldCounted(Loop& loop, Lockable& lockable, [[maybe_unused]] Counted in_frame) {
  auto held = co_await lockable.Acquire();
  co_await loop.Sleep(std::chrono::hours(1));
}

// Acquires `lockable` and lets go at once.
template <typename Lockable>
Task<> WaitCounted(Lockable& lockable, [[maybe_unused]] Counted in_frame) {
  auto held = co_await lockable.Acquire();
}

// Releases `lockable` and stops the run at once, so the Loop is destroyed with it handed to a
// waiter that never ran.
template <typename Lockable>
Task<> ReleaseAndStop(Loop& loop, Lockable& lockable, [[maybe_unused]] Counted in_frame) {
  auto held = co_await lockable.Acquire();
  co_await loop.Sleep(std::chrono::milliseconds(1));
  held.Release();
  loop.Stop("leave the waiter granted but not run");
  co_await loop.Sleep(std::chrono::hours(1));
}

// Spawns a "holder" that keeps `held` and a "releaser" that hands `handed` on and stops the run,
// lets both acquire, then spawns `waiters` "waiter" tasks on `held` and as many "granted" ones
// on `handed`, in turn. Once the run stops, 2 + 2 * waiters frames are alive: the first
// "granted" task was handed `handed` but never ran.
template <typename Lockable>
void SpawnBlockedAcquirers(Loop& loop, Lockable& held, Lockable& handed, int waiters,
                           Counts& counts) {
  loop.Spawn(HoldCounted(loop, held, Counted(counts)), "holder");
  loop.Spawn(ReleaseAndStop(loop, handed, Counted(counts)), "releaser");
  ASSERT_TRUE(loop.RunFor(std::chrono::milliseconds(0)).ok());  // the two acquire first
  for (int i = 0; i < waiters; ++i) {
    loop.Spawn(WaitCounted(held, Counted(counts)), "waiter");
    loop.Spawn(WaitCounted(handed, Counted(counts)), "granted");
  }
}

}  // namespace laplace::testing

#endif  // LAPLACE_LOOP_TESTING_ACQUIRERS_H_
