// The trace: every event of a run, folded (with every choice) into a 64-bit
// digest.
//
// The Loop records an event for every spawn, resume, suspension (and on
// what), timer firing, promise resolution, cancellation and deadlock; higher
// layers add notes (a message sent, a node crashed). All events, and every
// choice drawn, feed a Digest (see digest.h), so two runs with equal digests
// made the same choices and saw the same events (barring a 64-bit collision). The last
// `tail_capacity` events are kept for a readable report, or all of them when `keep_all` is set.
//
//   laplace::Loop loop({.seed = 7, .trace = {.keep_all = true}});
//   ... run ...
//   uint64_t digest = loop.trace().digest();
//   for (const auto& event : loop.trace().events()) {
//     std::cout << loop.FormatEvent(event) << "\n";
//   }
#ifndef LAPLACE_LOOP_TRACE_H_
#define LAPLACE_LOOP_TRACE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "loop/choice.h"
#include "loop/digest.h"
#include "loop/ids.h"
#include "loop/time.h"

namespace laplace {

enum class EventKind : uint8_t {
  kSpawn = 0,  // task spawned; a = spawning task (0 = none), b = label hash
  kResume,     // task resumed; a = WaitKind it resumes after, b = object
  kSuspend,    // task suspended; a = WaitKind, b = object id (0 = none)
  kFinish,     // task returned; a = 0 normally, 1 when it threw
  kCancel,     // task cancelled; a = the cancelling task (0 = none)
  kTimerFire,  // timer fired; task = the sleeper (0 for a callback), a = timer
  kResolve,    // promise resolved; a = object id, b = 0 value, 1 error, 2 broken
  kDeadlock,   // the run deadlocked; a = number of blocked tasks
  kNote,       // free text from a higher layer (network, node, fault)
  kFailure,    // the run stopped with a failure; text says why
};
inline constexpr int kEventKindCount = 10;

std::string_view EventKindName(EventKind kind);

// Where an event was recorded.
enum class EventContext : uint8_t {
  kTask = 0,  // inside a task's step (or about that task: its finish)
  kCallback,  // inside a callback timer (CallAt/CallLater), from its firing on
  kLoop,      // the Loop's own work between steps: a sleeper's timer, a
              // deadlock, step hooks such as invariant checks
  kOutside,   // outside any Run call: the code that builds and inspects a run
};
inline constexpr int kEventContextCount = 4;

// What a note is about, so that tools can draw messages, crashes and faults
// without parsing its text. Higher layers (sim/) set it.
enum class NoteKind : uint8_t {
  kPlain = 0,
  kMessageSent,       // flow = the message id
  kMessageDelivered,  // flow = the message id; cause = its send
  kMessageDropped,    // flow = the message id; cause = what dropped it, if an event
  kMessageRefused,    // flow = the message id (never sent)
  kCrash,             // group = the node that crashed
  kRestart,           // group = the node
  kPause,             // group = the node
  kUnpause,           // group = the node
  kPartition,         // a link or a set of links cut
  kHeal,              // links restored
  kFault,             // another injected fault: a disk error, a BUGGIFY point
};
inline constexpr int kNoteKindCount = 12;

// "plain", "message sent", "crash", ...
std::string_view NoteKindName(NoteKind kind);

// How an event links to others, beyond its kind and numbers: what caused it,
// which message it is about, which node it belongs to. Links are NOT folded
// into the digest (see Trace::Record), so they can be refined without
// changing any recorded run; loop/causality.h builds happens-before edges
// from them.
struct EventLinks {
  // The event that made this one happen, besides the previous event of the
  // same task (program order):
  //   kResume:    what made the task ready: the promise resolved, the task
  //               finished, the lock or semaphore released, the event set,
  //               the queue item put or taken, the timer fired, its spawn;
  //               0 after a yield.
  //   kTimerFire: the event at which the timer was armed.
  //   kCancel:    the event that asked for it (a crash note, a Cancel call).
  //   kNote:      whatever its layer says (a delivery's send, a drop's crash).
  EventRef cause = 0;
  uint64_t flow = 0;   // the message a note is about (NoteKind), 0 for none
  uint32_t group = 0;  // the task group (a simulated node) it belongs to
  NoteKind note = NoteKind::kPlain;
  EventContext context = EventContext::kTask;
};

struct TraceEvent {
  uint64_t index = 0;  // position in the run, from 0 (not in the digest)
  uint64_t step = 0;   // scheduling steps taken before this event
  Time time;
  EventKind kind = EventKind::kNote;
  TaskId task = 0;
  uint64_t a = 0;
  uint64_t b = 0;
  std::string text;  // kNote and kFailure only
  EventLinks links;  // not in the digest
};

struct TraceOptions {
  // How many of the most recent events to keep for reports.
  size_t tail_capacity = 64;
  // Keep every event (for printing a whole run). Costs memory per event.
  bool keep_all = false;
};

// The digest of every event, and the events kept for reading.
class Trace {
 public:
  explicit Trace(TraceOptions options = {});

  // Records one event. The digest covers kind, task, time, a, b and text;
  // not `step`, which is implied by the order, nor `links`, which describe
  // structure that the events already determine. Specification: each event is
  // one Digest::Add(x, y) with x = kind | task << 8 and
  // y = time_ns + a * 0x9e3779b97f4a7c15 + b * 0xc2b2ae3d27d4eb4f
  //     (+ HashString(text) * 0x165667b19e3779f9 when there is text), mod 2^64.
  void Record(uint64_t step, Time time, EventKind kind, TaskId task, uint64_t a, uint64_t b,
              std::string_view text = {}, const EventLinks& links = {});

  // Folds a choice into the digest (not an event): two runs that differ only
  // in a value drawn, with no event to show it, still differ. Specification:
  // Digest::Add(0xc401ce00 | kind, value * 0x9e3779b97f4a7c15 + bound).
  void RecordChoice(ChoiceKind kind, uint64_t bound, uint64_t value) {
    digest_.Add(0xc401ce00ULL | static_cast<uint64_t>(kind), value * 0x9e3779b97f4a7c15ULL + bound);
  }

  // The digest of every event and choice recorded so far.
  uint64_t digest() const { return digest_.value(); }
  // How many events have been recorded.
  uint64_t event_count() const { return event_count_; }
  // The latest event recorded (0 before the first).
  EventRef last_event() const { return event_count_; }

  // The kept events, oldest first: every event with keep_all, else the tail.
  std::vector<TraceEvent> events() const;

  const TraceOptions& options() const { return options_; }

  // Forgets every event and choice, as a new Trace(options) would start, keeping the memory of
  // the kept events when the options are the same (Loop::Reset).
  void Reset(TraceOptions options);

 private:
  // An event as kept: fixed size, so the hot path writes no strings. Texts
  // (notes and failures only) live in `texts_`, at the same slot.
  // 64 bytes: one cache line per event.
  struct Kept {
    uint64_t step;
    Time time;
    TaskId task;
    uint64_t a;
    uint64_t b;
    EventRef cause;
    uint64_t flow;
    uint32_t group;
    EventKind kind;
    bool has_text;
    NoteKind note;
    EventContext context;
  };
  static_assert(sizeof(Kept) == 64, "a kept event should fill one cache line");

  void KeepText(size_t slot, std::string_view text);

  TraceOptions options_;
  Digest digest_;
  uint64_t event_count_ = 0;
  // Every event (keep_all), or a ring whose size is a power of two at least
  // tail_capacity: event i lives in slot i & ring_mask_.
  std::vector<Kept> kept_;
  std::vector<std::string> texts_;  // parallel to kept_, filled on demand
  uint64_t ring_mask_ = 0;
};

// Implementation details follow.

LAPLACE_HOT_INLINE void Trace::Record(uint64_t step, Time time, EventKind kind, TaskId task,
                                      uint64_t a, uint64_t b, std::string_view text,
                                      const EventLinks& links) {
  // One multiply-fold per event: the second word folds time, a, b and the
  // text with odd multipliers, which cannot cancel for the small values
  // events carry, and is computed off the digest's dependency chain.
  uint64_t detail = static_cast<uint64_t>(time.time_since_epoch().count()) +
                    a * 0x9e3779b97f4a7c15ULL + b * 0xc2b2ae3d27d4eb4fULL;
  if (!text.empty()) detail += HashString(text) * 0x165667b19e3779f9ULL;
  digest_.Add(static_cast<uint64_t>(kind) | (task << 8), detail);
  const uint64_t index = event_count_++;
  size_t slot;
  if (options_.keep_all) [[unlikely]] {
    slot = kept_.size();
    kept_.push_back(Kept{});
  } else {
    slot = static_cast<size_t>(index & ring_mask_);
  }
  kept_[slot] = Kept{step, time,          task,       a,
                     b,    links.cause,   links.flow, links.group,
                     kind, !text.empty(), links.note, links.context};
  if (!text.empty()) KeepText(slot, text);
}

}  // namespace laplace

#endif  // LAPLACE_LOOP_TRACE_H_
