// Causality: the happens-before edges between the events of a run, and the
// causal chain of one event (what it depends on, cut to what matters).
//
// A trace is a sequence of events; the links each event carries (trace.h's
// EventLinks, not in the digest) say what made it happen. CausalGraph turns
// them into edges: program order within a task (and within a callback, and
// within the code outside Run calls), a spawn to the task's start, a promise
// set or a task's end to the await it resumes, a lock, semaphore, event or
// queue handing over to the task it wakes, a timer armed to its firing, a
// message sent to its delivery (or drop), a crash to what it cancelled, a
// fault to its effect. CausalChain walks them backwards from one event (a
// failure, say) and keeps a story a person can read.
//
//   Loop loop({.trace = {.keep_all = true}});
//   ... spawn tasks, loop.Run() ...
//   CausalGraph graph(loop.trace().events());
//   Chain chain = CausalChain(graph, graph.events().back().index);
//   for (uint64_t index : chain.events) {
//     std::cout << loop.FormatEvent(graph.event(index)) << "\n";
//   }
//
// What it cannot see: tasks that communicate through plain shared memory
// (a variable one task writes and another reads) leave no event linking
// them, so that influence is not an edge. Laplace's own primitives (futures,
// locks, semaphores, events, queues, the simulated network) all are.
#ifndef LAPLACE_LOOP_CAUSALITY_H_
#define LAPLACE_LOOP_CAUSALITY_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "loop/trace.h"

namespace laplace {

// Why one event happens before another.
enum class EdgeKind : uint8_t {
  kProgramOrder = 0,  // the previous event of the same task (callback, outside code)
  kSpawn,             // a spawn -> the new task's start
  kWake,              // a promise set, lock or semaphore released, event set, queue
                      // item put or taken -> the resume it made ready
  kJoin,              // a task's finish or cancellation -> its awaiter's resume
  kTimer,             // a timer armed -> its firing -> the sleeper's resume
  kMessage,           // a message sent -> its delivery or drop
  kCancel,            // what asked for a cancellation (a crash) -> the cancellation
  kFault,             // a fault (a crash, a partition, ...) -> its effect (a drop, a lost write)
};
inline constexpr int kEdgeKindCount = 8;

// "program order", "spawn", "wake", ...
std::string_view EdgeKindName(EdgeKind kind);

// `from` happens before `to` (event indices, from < to).
struct CausalEdge {
  uint64_t from = 0;
  uint64_t to = 0;
  EdgeKind kind = EdgeKind::kProgramOrder;

  friend bool operator==(const CausalEdge&, const CausalEdge&) = default;
};

// The thread of control an event was recorded in: a task's steps, a
// callback timer, the Loop between steps, or the code outside Run calls.
struct Actor {
  enum class Kind : uint8_t { kTask, kCallback, kLoop, kOutside };
  Kind kind = Kind::kOutside;
  TaskId task = 0;  // kTask: the running task

  friend bool operator==(const Actor&, const Actor&) = default;
};

// Who recorded `event` (a spawn is recorded by its spawner, a cancellation
// by its canceller, a sleeper's timer by the Loop).
Actor ActorOf(const TraceEvent& event);

// Whether `event` is a fault or a direct consequence of one: a crash,
// restart, pause, partition, injected fault, dropped or refused message
// (notes by kind), or a cancellation.
bool IsFaultEvent(const TraceEvent& event);

// The happens-before graph of a run's events.
class CausalGraph {
 public:
  // `events` as Trace::events() returns them: consecutive indices, oldest
  // first. With keep_all that is the whole run; a tail works too (links to
  // events before it are left out).
  explicit CausalGraph(std::vector<TraceEvent> events);

  const std::vector<TraceEvent>& events() const { return events_; }
  // Whether the event with this index is in the graph.
  bool contains(uint64_t index) const { return index >= first_ && index - first_ < events_.size(); }
  // Requires contains(index).
  const TraceEvent& event(uint64_t index) const;

  // Every edge, ordered by `to`, then `from`. At most one edge joins two events.
  const std::vector<CausalEdge>& edges() const { return edges_; }
  // The edges into `index` (its direct causes) and out of it (its direct
  // effects). Requires contains(index).
  std::span<const CausalEdge> causes(uint64_t index) const;
  std::vector<CausalEdge> effects(uint64_t index) const;

  // Every event that happens before `index` (its transitive causes),
  // ascending; not `index` itself. Requires contains(index).
  std::vector<uint64_t> Ancestors(uint64_t index) const;

 private:
  size_t position(uint64_t index) const;

  std::vector<TraceEvent> events_;
  uint64_t first_ = 0;  // the index of events_[0]
  std::vector<CausalEdge> edges_;
  std::vector<size_t> causes_begin_;   // edges_ into events_[p]: [begin[p], begin[p + 1])
  std::vector<size_t> effects_order_;  // edges_ positions ordered by `from`
};

struct ChainOptions {
  // The most recent salient causes kept (see CausalChain).
  size_t recent_max = 40;
  // The most recent faults among the causes kept, however old.
  size_t faults_max = 24;
  // With each kept crash, partition or fault, its direct effects (and a
  // dropped message's send), although they are not causes of the event.
  bool fault_effects = true;
  // When non-zero, the most events the chain keeps (the target included),
  // for a story a person reads at a glance: past it, what goes first is
  // the least telling (see CausalChain), the most recent kept first.
  size_t events_max = 0;
  // With events_max: how many of the latest messages sent or delivered
  // rank with the notes (the exchange that showed the failure); older ones
  // rank after them.
  size_t messages_recent = 4;
};

// The causal chain of one event.
struct Chain {
  uint64_t target = 0;
  std::vector<uint64_t> events;   // ascending, `target` included
  std::vector<CausalEdge> edges;  // the graph's edges between two of `events`
  size_t ancestors = 0;           // how many events `target` depends on in all

  bool contains(uint64_t index) const;
};

// The events `target` depends on, transitively, cut to what matters: the
// `recent_max` most recent *salient* ones (notes, promise resolutions,
// spawns, finishes, cancellations, failures, and resumes woken by another
// task or a message; not the suspensions and resumes a task makes on its
// own), the `faults_max` most recent faults however far back they are, and
// with `fault_effects` what those faults did (a crash's cancellations, the
// messages it dropped). With `events_max`, every note the target depends
// on joins them (the system's own words, however old: a fault decision at
// t=0, say), and the chain is then cut to that many, kept in this order:
// the target; the faults themselves (crashes, restarts, partitions,
// injected faults); what faults did (cancellations, drops, refusals), the
// system's notes and the `messages_recent` latest messages; older
// messages; the rest. Within each, later events are kept first. Requires
// graph.contains(target).
Chain CausalChain(const CausalGraph& graph, uint64_t target, const ChainOptions& options = {});

}  // namespace laplace

#endif  // LAPLACE_LOOP_CAUSALITY_H_
