// Queue<T>: a bounded FIFO channel between tasks, like asyncio.Queue with
// Go-style closing.
//
// Put() suspends while the queue is full; Get() suspends while it is empty.
// Both serve waiters first come, first served, and hand items over directly:
// an item put while a getter waits goes straight to the oldest getter, and a
// slot freed while a putter waits is filled straight from the oldest putter.
// The Loop resumes the woken task at a later scheduling point.
//
// Closing: after Close(), Put() fails with kFailedPrecondition (and putters
// that were waiting wake with it, their items dropped); Get() still drains
// what is queued, then fails with kOutOfRange ("end of stream").
//
// Cancellation: a cancelled waiting putter's item is never enqueued; a getter
// cancelled after being handed an item, before it ran, gives the item back to
// the front of the queue (or to the next getter), so nothing is lost.
//
//   laplace::Queue<std::string> inbox(loop, /*capacity=*/8, "inbox");
//   absl::Status sent = co_await inbox.Put("hello");       // in a producer
//   absl::StatusOr<std::string> got = co_await inbox.Get();  // in a consumer
//   inbox.Close();  // consumers drain, then see kOutOfRange
#ifndef LAPLACE_LOOP_QUEUE_H_
#define LAPLACE_LOOP_QUEUE_H_

#include <coroutine>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/strings.h"
#include "loop/internal/loop_access.h"
#include "loop/internal/loop_object.h"
#include "loop/internal/wait_list.h"
#include "loop/loop.h"

namespace laplace {

template <typename T>
class Queue final : public internal::LoopObject {
 public:
  class PutAwaiter;
  class GetAwaiter;

  // Requires capacity >= 1.
  Queue(Loop& loop, size_t capacity, std::string_view label = {})
      : LoopObject(loop, WaitKind::kQueueGet, label), capacity_(capacity) {
    LAPLACE_CHECK(capacity >= 1) << "a Queue needs room for at least one item";
  }

  // Tasks still waiting stay blocked. A getter handed an item that has not run
  // yet keeps the item (it is destroyed with the getter's frame). A task
  // handed an item that runs after the queue was destroyed fails a check.
  ~Queue() override = default;

  // Suspends while the queue is full. Gives OK once the item is queued (or
  // handed to a getter), kFailedPrecondition if the queue is or gets closed.
  [[nodiscard]] PutAwaiter Put(T item) { return PutAwaiter(*this, std::move(item)); }
  // Suspends while the queue is empty. Gives the oldest item, or
  // kOutOfRange once the queue is closed and drained.
  [[nodiscard]] GetAwaiter Get() { return GetAwaiter(*this); }

  // Without suspending: kResourceExhausted if full, kFailedPrecondition if
  // closed.
  absl::Status TryPut(T item);
  // Without suspending: kUnavailable if empty, kOutOfRange if closed and
  // drained.
  absl::StatusOr<T> TryGet();

  // Closes the queue (idempotent) and wakes every waiter; see above.
  void Close();

  bool closed() const { return closed_; }
  size_t size() const { return items_.size(); }
  size_t capacity() const { return capacity_; }

  // "queue #4 'inbox' (3/8 items, closed)". Not LoopObject's text, which would
  // name the queue after its wait kind ("queue get") even to a blocked putter.
  std::string Describe() const override {
    std::string text = internal::Cat("queue #", object_id());
    if (!label().empty()) internal::Append(text, " '", label(), "'");
    internal::Append(text, " (", items_.size(), "/", capacity_, " items", closed_ ? ", closed" : "",
                     ")");
    return text;
  }

 private:
  struct PutWaiter : internal::Waiter {
    std::optional<T> item;
    absl::Status status;  // set when woken
    bool woken = false;
  };
  struct GetWaiter : internal::HandedWaiter {
    std::optional<T> item;
    absl::Status status;
    bool woken = false;
  };

  // TryPut, moving from `item` only when it is taken.
  absl::Status TryPutFrom(T& item);

  // Moves the oldest waiting putter's item into the queue, if there is one.
  void RefillFromPutter() {
    auto* putter = static_cast<PutWaiter*>(putters_.PopFront());
    if (putter == nullptr) return;
    items_.push_back(std::move(*putter->item));
    putter->item.reset();
    putter->woken = true;
    internal::LoopAccess::Wake(loop(), *putter->task);
  }
  // Gives `item` to the oldest waiting getter; returns false if none waits.
  bool HandToGetter(T& item) {
    auto* getter = static_cast<GetWaiter*>(getters_.PopFront());
    if (getter == nullptr) return false;
    getter->item.emplace(std::move(item));
    getter->woken = true;
    internal::Hand(handed_, *getter, loop());  // until it runs, or gives the item back
    return true;
  }
  // An item handed to a getter that died before running comes back. With no getter waiting it
  // goes to the front, which may leave the queue one item over its capacity for a while: the
  // item was already taken out, and losing it would be worse.
  void Restore(T item) {
    if (HandToGetter(item)) return;
    items_.push_front(std::move(item));
  }

  size_t capacity_;
  bool closed_ = false;
  std::deque<T> items_;
  internal::WaitList putters_;  // waiting for room, oldest first
  internal::WaitList getters_;  // waiting for an item, oldest first
  internal::WaitList handed_;   // getters handed an item, not yet resumed
};

template <typename T>
class Queue<T>::PutAwaiter {
 public:
  PutAwaiter(Queue& queue, T item) : queue_(&queue) { waiter_.item.emplace(std::move(item)); }
  // Movable until awaited (so WaitFor can take it).
  PutAwaiter(PutAwaiter&& other) noexcept : queue_(other.queue_) {
    LAPLACE_CHECK(!other.waiter_.linked() && !other.waiter_.woken) << "moving a waiting awaiter";
    waiter_.item = std::move(other.waiter_.item);
  }
  PutAwaiter& operator=(PutAwaiter&&) = delete;

  bool await_ready() {
    if (!queue_->closed_ && queue_->getters_.empty() &&
        queue_->items_.size() >= queue_->capacity_) {
      return false;  // full: wait for a slot
    }
    status_ = queue_->TryPutFrom(*waiter_.item);
    waiter_.item.reset();
    return true;
  }
  void await_suspend(std::coroutine_handle<> resume_point) {
    internal::LinkAndBlock(queue_->putters_, waiter_, *queue_, resume_point, WaitKind::kQueuePut,
                           queue_->object_id());
  }
  absl::Status await_resume() {
    if (waiter_.woken) return waiter_.status;
    return status_;
  }

 private:
  Queue* queue_;
  absl::Status status_;
  PutWaiter waiter_;
};

template <typename T>
class Queue<T>::GetAwaiter {
 public:
  explicit GetAwaiter(Queue& queue) : queue_(&queue) {}
  // Movable until awaited (so WaitFor can take it).
  GetAwaiter(GetAwaiter&& other) noexcept : queue_(other.queue_) {
    LAPLACE_CHECK(!other.waiter_.linked() && !other.waiter_.woken) << "moving a waiting awaiter";
  }
  GetAwaiter& operator=(GetAwaiter&&) = delete;
  ~GetAwaiter() {
    // Handed an item, then destroyed before running (cancelled): give it back. If the queue
    // was destroyed first, the item dies with this awaiter.
    if (internal::LeaveUnresumed(queue_->handed_, waiter_)) {
      queue_->Restore(std::move(*waiter_.item));
    }
  }

  bool await_ready() {
    if (queue_->items_.empty() && !queue_->closed_) return false;
    ready_result_ = queue_->TryGet();
    return true;
  }
  void await_suspend(std::coroutine_handle<> resume_point) {
    internal::LinkAndBlock(queue_->getters_, waiter_, *queue_, resume_point, WaitKind::kQueueGet,
                           queue_->object_id());
  }
  absl::StatusOr<T> await_resume() {
    if (!waiter_.woken) return std::move(ready_result_);
    if (internal::TakeHanded(
            queue_->handed_, waiter_,
            "a task was handed an item of a queue destroyed before the task could run")) {
      absl::StatusOr<T> item(std::move(*waiter_.item));
      waiter_.item.reset();
      return item;
    }
    return waiter_.status;
  }

 private:
  Queue* queue_;
  absl::StatusOr<T> ready_result_ = absl::UnavailableError("not ready");
  GetWaiter waiter_;
};

// Implementation details follow.

template <typename T>
absl::Status Queue<T>::TryPut(T item) {
  return TryPutFrom(item);
}

template <typename T>
absl::Status Queue<T>::TryPutFrom(T& item) {
  if (closed_) return absl::FailedPreconditionError(Describe() + ": put after close");
  if (HandToGetter(item)) return absl::OkStatus();
  if (items_.size() >= capacity_) return absl::ResourceExhaustedError(Describe() + " is full");
  items_.push_back(std::move(item));
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<T> Queue<T>::TryGet() {
  if (items_.empty()) {
    if (closed_) return absl::OutOfRangeError(Describe() + ": closed and drained");
    return absl::UnavailableError(Describe() + " is empty");
  }
  T item = std::move(items_.front());
  items_.pop_front();
  // Not past the capacity: a restored item (see Restore) may have left the queue over it.
  if (items_.size() < capacity_) RefillFromPutter();
  return item;
}

template <typename T>
void Queue<T>::Close() {
  if (closed_) return;
  closed_ = true;
  while (auto* getter = static_cast<GetWaiter*>(getters_.PopFront())) {
    getter->status = absl::OutOfRangeError(Describe() + ": closed and drained");
    getter->woken = true;
    internal::LoopAccess::Wake(loop(), *getter->task);
  }
  while (auto* putter = static_cast<PutWaiter*>(putters_.PopFront())) {
    putter->status = absl::FailedPreconditionError(Describe() + ": closed while putting");
    putter->item.reset();
    putter->woken = true;
    internal::LoopAccess::Wake(loop(), *putter->task);
  }
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_QUEUE_H_
