// A bare reference harness for small concurrent programs: the baseline bench:schedule_speed
// measures the Loop against.
//
// It has the scheduling semantics of Loop's random walk and nothing else: a ready list of
// coroutine handles, a task that just yielded offered first (pick 0 keeps it running), a seeded
// uniform pick from wyrand (loop/prng.h, the Loop's own generator, so the same seed makes the
// same schedule), FIFO hand-off locks and deadlock detection. No tape, no digest, no trace, no
// timers, no budgets, no cancellation, no inline awaiting of sub-tasks. It is what a
// hand-written harness for a benchmark would be, and it is reused across runs (Reset).
//
//   laplace::bench::BareHarness harness;
//   laplace::bench::BareLock lock(harness);
//   harness.Reset(/*seed=*/7);
//   harness.Spawn(Deposit(harness, lock, balance));  // a BareTask coroutine
//   harness.Spawn(Deposit(harness, lock, balance));
//   bool deadlocked = harness.Run() == laplace::bench::BareOutcome::kDeadlock;
//   harness.DestroyUnfinished();  // before the locals the tasks use die
#ifndef LAPLACE_BENCH_BARE_HARNESS_H_
#define LAPLACE_BENCH_BARE_HARNESS_H_

#include <array>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <utility>
#include <vector>

#include "base/check.h"
#include "loop/prng.h"

namespace laplace::bench {

// A FIFO of at most 64 entries with the Loop's ReadyQueue operations (internal/ready_queue.h):
// PopAt(0) takes the front, PopAt(i) fills the hole with the back, Exchange trades a slot.
template <typename T>
class BareRing {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void Clear() { head_ = size_ = 0; }
  void PushBack(T value) {
    LAPLACE_CHECK(size_ < kCapacity) << "a bare ring holds at most " << kCapacity;
    slots_[(head_ + size_++) & kMask] = value;
  }
  T PopAt(size_t index) {
    T& slot = slots_[(head_ + index) & kMask];
    T value = slot;
    if (index == 0) {
      head_ = (head_ + 1) & kMask;
    } else {
      slot = slots_[(head_ + size_ - 1) & kMask];
    }
    --size_;
    return value;
  }
  T Exchange(size_t index, T value) { return std::exchange(slots_[(head_ + index) & kMask], value); }

 private:
  static constexpr size_t kCapacity = 64, kMask = kCapacity - 1;
  std::array<T, kCapacity> slots_{};
  size_t head_ = 0;
  size_t size_ = 0;
};

class BareHarness;

// A spawned coroutine of the bare harness (lazy; the harness owns its frame once spawned).
class BareTask {
 public:
  struct promise_type {
    BareTask get_return_object() {
      return BareTask(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  explicit BareTask(std::coroutine_handle<promise_type> handle) : handle_(handle) {}
  std::coroutine_handle<> Release() { return std::exchange(handle_, {}); }

 private:
  std::coroutine_handle<promise_type> handle_;
};

struct BareRecord {
  std::coroutine_handle<> frame;         // the root, owned
  std::coroutine_handle<> resume_point;  // where it suspended (the root: it awaits nothing inline)
};

enum class BareOutcome : uint8_t { kIdle, kDeadlock };

class BareHarness {
 public:
  BareHarness() { records_.reserve(64); }
  ~BareHarness() { DestroyUnfinished(); }

  // Starts a new run with `seed`; the previous run's tasks must be gone (DestroyUnfinished).
  void Reset(uint64_t seed) {
    LAPLACE_CHECK(live_ == 0) << "Reset with live tasks";
    prng_ = Prng(seed);
    records_.clear();
    ready_.Clear();
    yielder_ = kNone;
    shutting_down_ = false;
  }

  void Spawn(BareTask task) {
    std::coroutine_handle<> frame = task.Release();
    records_.push_back(BareRecord{frame, frame});
    ++live_;
    ready_.PushBack(records_.size() - 1);
  }

  // The running task's record (for awaiters).
  BareRecord& current() { return records_[current_]; }
  size_t current_index() const { return current_; }
  // The running task yields: it is offered first at the next pick.
  void YieldCurrent(std::coroutine_handle<> resume_point) {
    current().resume_point = resume_point;
    yielder_ = current_;
  }
  // A blocked task becomes ready (a no-op while tearing down).
  void Wake(size_t task) {
    if (!shutting_down_) ready_.PushBack(task);
  }

  // Runs until nothing is ready: kIdle if every task finished, else kDeadlock.
  BareOutcome Run() {
    while (true) {
      size_t task;
      if (yielder_ != kNone) {
        const size_t yielder = std::exchange(yielder_, kNone);
        const size_t pick = ready_.empty() ? 0 : prng_.Below(ready_.size() + 1);
        task = pick == 0 ? yielder : ready_.Exchange(pick - 1, yielder);
      } else if (!ready_.empty()) {
        const size_t pick = ready_.size() == 1 ? 0 : prng_.Below(ready_.size());
        task = ready_.PopAt(pick);
      } else {
        return live_ == 0 ? BareOutcome::kIdle : BareOutcome::kDeadlock;
      }
      current_ = task;
      records_[task].resume_point.resume();
      if (records_[task].frame.done()) {
        records_[task].frame.destroy();
        records_[task].frame = {};
        --live_;
      }
    }
  }

  // Destroys the frames of tasks that never finished (a deadlock), newest first.
  void DestroyUnfinished() {
    shutting_down_ = true;
    for (size_t i = records_.size(); i-- > 0;) {
      if (!records_[i].frame) continue;
      std::exchange(records_[i].frame, {}).destroy();
      --live_;
    }
    ready_.Clear();
    yielder_ = kNone;
  }

 private:
  Prng prng_{0};
  std::vector<BareRecord> records_;  // by spawn order; kept across runs
  BareRing<size_t> ready_;
  static constexpr size_t kNone = SIZE_MAX;
  size_t yielder_ = kNone;  // the task that just yielded, offered as pick 0
  size_t current_ = 0;
  size_t live_ = 0;
  bool shutting_down_ = false;
};

// co_await harness.Yield(): a scheduling point.
struct BareYield {
  BareHarness& harness;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) const { harness.YieldCurrent(self); }
  void await_resume() const noexcept {}
};

// A lock that hands off to the oldest waiter, as Laplace's Lock (LockPolicy::kHandOff).
class BareLock {
 public:
  explicit BareLock(BareHarness& harness) : harness_(harness) {}

  struct Guard {
    BareLock* lock = nullptr;
    Guard() = default;
    explicit Guard(BareLock* held) : lock(held) {}
    Guard(Guard&& other) noexcept : lock(std::exchange(other.lock, nullptr)) {}
    Guard& operator=(Guard&& other) noexcept {
      if (lock != nullptr) lock->Release();
      lock = std::exchange(other.lock, nullptr);
      return *this;
    }
    ~Guard() {
      if (lock != nullptr) lock->Release();
    }
  };
  struct Acquirer {
    BareLock& lock;
    bool await_ready() const {
      if (lock.locked_) return false;
      lock.locked_ = true;
      return true;
    }
    void await_suspend(std::coroutine_handle<> self) const {
      lock.harness_.current().resume_point = self;
      lock.waiters_.PushBack(lock.harness_.current_index());
    }
    Guard await_resume() const { return Guard(&lock); }  // handed the lock, or took it free
  };
  Acquirer Acquire() { return Acquirer{*this}; }

  void Release() {
    if (waiters_.empty()) {
      locked_ = false;
      return;
    }
    harness_.Wake(waiters_.PopAt(0));  // stays locked: handed to the oldest waiter
  }

 private:
  BareHarness& harness_;
  bool locked_ = false;
  BareRing<size_t> waiters_;
};

}  // namespace laplace::bench

#endif  // LAPLACE_BENCH_BARE_HARNESS_H_
