// How a Loop names what it runs and what its tasks wait on: task ids and wait kinds.
//
// Nothing in a Loop is named by address or hash (see DESIGN.md): a task is its sequential
// TaskId, and what a blocked task waits on is a WaitKind with the id of the object (a lock, a
// future, ...; the task id for a join). Traces record both, so every run names things the same
// way.
//
//   laplace::TaskId id = loop.current_task();  // 0 outside any task
//   std::string_view what = laplace::WaitKindName(laplace::WaitKind::kLock);  // "lock"
#ifndef LAPLACE_LOOP_IDS_H_
#define LAPLACE_LOOP_IDS_H_

#include <cstdint>
#include <string_view>

namespace laplace {

// Sequential task identity within one Loop, starting at 1. 0 means "no task"
// (code running outside any task, such as a timer callback or main()).
using TaskId = uint64_t;

// A reference to an event of a run: 1 + its index (events are numbered from
// 0 in the order they were recorded); 0 refers to no event. A layer that
// wants to point at an event it just recorded takes Trace::last_event().
using EventRef = uint64_t;

// What a suspended task waits for. The values are recorded in traces (and so in digests):
// append, never renumber.
enum class WaitKind : uint8_t {
  kNone = 0,
  kStart,      // spawned, not yet run
  kYield,      // Loop::Yield(): ready, let others run
  kSleep,      // Loop::Sleep() / SleepUntil()
  kJoin,       // awaiting a spawned task (object = its task id)
  kFuture,     // awaiting a Future
  kLock,       // Lock::Acquire()
  kSemaphore,  // Semaphore::Acquire()
  kEvent,      // Event::Wait()
  kQueuePut,   // Queue::Put() on a full queue
  kQueueGet,   // Queue::Get() on an empty queue
  kCondition,  // Condition::Wait(): waiting for a notify
  kBarrier,    // Barrier::Wait(): waiting for the other parties
};
inline constexpr int kWaitKindCount = 13;

// "start", "yield", "sleep", "join", "future", "lock", ...
std::string_view WaitKindName(WaitKind kind);

}  // namespace laplace

#endif  // LAPLACE_LOOP_IDS_H_
