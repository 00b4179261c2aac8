// History: the operations clients performed, as invocations and completions.
//
// A history is a sequence of events in real-time order (the order they
// happened, which is also the order they were recorded). A client invokes an
// operation (process, function, argument, and a key for key-value stores),
// and later the operation completes with one of three outcomes:
//   ok    it happened, with this result;
//   fail  it certainly did not happen (it is left out of every check);
//   info  unknown: a timeout or a crash. It may have happened, at any time
//         after its invocation, or not at all.
// An invocation that never completes (the client's node crashed, the run
// ended first) counts as info. Each process has at most one operation
// pending; after an info it may invoke again, and its earlier operation
// stays pending for the checker, as a request still in flight would.
//
//   laplace::linearizability::History history(loop);  // events stamped with loop.Now()
//   OpId write = history.Invoke({/*process=*/0, "write", /*input=*/3});
//   OpId read = history.Invoke({1, "read"});
//   history.Ok(write);
//   history.Ok(read, 3);
//   absl::StatusOr<std::vector<Operation>> ops = history.Operations();
//
// record.h wraps a client call (a Task or a Future) so that both ends are
// recorded without writing Invoke/Ok by hand.
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_HISTORY_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "loop/loop.h"
#include "loop/time.h"
#include "properties/linearizability/value.h"

namespace laplace::linearizability {

// A client's id. Jepsen's process numbers.
using Process = int64_t;

enum class EventType : uint8_t { kInvoke, kOk, kFail, kInfo };

// "invoke", "ok", "fail" or "info".
std::string_view EventTypeName(EventType type);

// What an invocation says: Invocation(process, f, input, key).
//
// A class with a constructor rather than an aggregate: g++ 12 miscompiles a
// designated-initializer temporary inside a co_await expression (its strings
// end up pointing into the awaiting frame), and `co_await Record(history,
// {0, "write", 3}, call)` is exactly where an Invocation is written.
struct Invocation {
  Invocation(Process process, std::string f, Value input = {}, Value key = {})
      : process(process), f(std::move(f)), input(std::move(input)), key(std::move(key)) {}

  Process process = 0;
  std::string f;  // the function: "read", "write", "cas", "put", ...
  Value input;    // its argument (nil for a read)
  Value key;      // for key-value models; nil otherwise
};

// One entry of a history.
struct Event {
  EventType type = EventType::kInvoke;
  Process process = 0;
  std::string f;
  Value key;
  // An invocation's argument, or an ok completion's result (ignored for
  // fail and info).
  Value value;
  // When it happened, if known (virtual time in a simulation; a Jepsen
  // file's :time, read as nanoseconds).
  std::optional<Time> time;
  // The line of the file it was read from, from 1; 0 when recorded.
  int line = 0;
};

// An operation's index in History::events() of its invocation.
using OpId = size_t;

enum class Outcome : uint8_t { kOk, kFail, kInfo };

// "ok", "fail" or "info".
std::string_view OutcomeName(Outcome outcome);

// One operation: an invocation paired with its completion.
struct Operation {
  static constexpr size_t kNever = std::numeric_limits<size_t>::max();

  // Its index in the list History::Operations() returns (invocation order).
  size_t id = 0;
  Process process = 0;
  std::string f;
  Value key;
  Value input;
  Value output;  // the ok completion's value; nil for fail and info
  Outcome outcome = Outcome::kInfo;
  // Indices in History::events(); `completed` is kNever when it never completed.
  size_t invoked = 0;
  size_t completed = kNever;
  std::optional<Time> invoke_time;
  std::optional<Time> complete_time;
  int invoke_line = 0;  // 0 when recorded
  int complete_line = 0;

  // Whether the result is known: false for info (the model then accepts
  // any result, see model.h).
  bool known() const { return outcome == Outcome::kOk; }
  // "write 3", "read -> 3", "cas [1 2] ?" (info), "put "k" 3 fail".
  std::string ToString() const;
};

// A history: see the banner. Copyable; not thread-safe (a simulation has
// one thread).
class History {
 public:
  // Events carry no time.
  History() = default;
  // Every recorded event is stamped with loop.Now(); `loop` must outlive
  // the recording.
  explicit History(const Loop& loop) : loop_(&loop) {}

  // Records an invocation and returns the id to complete it with. Requires
  // the process to have no operation pending (a programmer error else; an
  // info completion ends the pending one).
  OpId Invoke(Invocation invocation);
  // Complete `id`, which must be pending, with its outcome.
  void Ok(OpId id, Value output = {});
  void Fail(OpId id);
  void Info(OpId id);
  // Whether `id` was invoked and has not completed.
  bool pending(OpId id) const;

  // Appends an event as it is, unchecked: for readers of history files,
  // whose mistakes Operations() reports with their lines.
  void Append(Event event) { events_.push_back(std::move(event)); }

  const std::vector<Event>& events() const { return events_; }
  size_t size() const { return events_.size(); }
  bool empty() const { return events_.empty(); }

  // Pairs every invocation with its completion. kInvalidArgument, naming
  // the event's line (or its index, for recorded events), for a completion
  // with nothing pending on its process, a completion whose function is not
  // the pending one's, or an invocation while the process has one pending.
  absl::StatusOr<std::vector<Operation>> Operations() const;

  // The history in Jepsen's EDN form, one event per line (with :time in
  // nanoseconds where known): what `laplace check-history` reads.
  std::string ToEdn() const;

 private:
  void Complete(OpId id, EventType type, Value output);

  const Loop* loop_ = nullptr;
  std::vector<Event> events_;
  // Operations still pending, by invocation; kept small (one per process).
  std::vector<OpId> pending_;
};

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_HISTORY_H_
