#include "loop/causality.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/btree_map.h"
#include "base/check.h"

namespace laplace {
namespace {

constexpr std::string_view kEdgeKindNames[kEdgeKindCount] = {
    "program order", "spawn", "wake", "join", "timer", "message", "cancel", "fault"};

// A note that is itself a fault or a change of the world's shape: what
// later drops, refusals and losses follow from.
bool IsFaultSource(const TraceEvent& event) {
  if (event.kind != EventKind::kNote) return false;
  switch (event.links.note) {
    case NoteKind::kCrash:
    case NoteKind::kRestart:
    case NoteKind::kPause:
    case NoteKind::kUnpause:
    case NoteKind::kPartition:
    case NoteKind::kHeal:
    case NoteKind::kFault:
      return true;
    default:
      return false;
  }
}

bool IsMessageNote(const TraceEvent& event) {
  if (event.kind != EventKind::kNote) return false;
  const NoteKind note = event.links.note;
  return note == NoteKind::kMessageSent || note == NoteKind::kMessageDelivered ||
         note == NoteKind::kMessageDropped || note == NoteKind::kMessageRefused ||
         (note == NoteKind::kFault && event.links.flow != 0);
}

// The kind of the edge from `cause` (named by `event`'s links) to `event`.
EdgeKind CauseKind(const TraceEvent& event, const TraceEvent& cause) {
  switch (event.kind) {
    case EventKind::kResume:
      switch (static_cast<WaitKind>(event.a)) {
        case WaitKind::kStart:
          return EdgeKind::kSpawn;
        case WaitKind::kJoin:
          return EdgeKind::kJoin;
        case WaitKind::kSleep:
          return EdgeKind::kTimer;
        default:
          return EdgeKind::kWake;
      }
    case EventKind::kTimerFire:
      return EdgeKind::kTimer;
    case EventKind::kCancel:
      return EdgeKind::kCancel;
    default:
      break;
  }
  if (IsFaultSource(cause)) return EdgeKind::kFault;
  if (IsMessageNote(event)) return EdgeKind::kMessage;
  return EdgeKind::kWake;
}

// Walks the events once, remembering what each edge needs: the last event
// of every thread of control, every task's end, every message's send.
class EdgeBuilder {
 public:
  explicit EdgeBuilder(const std::vector<TraceEvent>& events) : events_(events) {}

  // The edges into events_[p], each `from` once, ordered by `from`.
  std::vector<CausalEdge> Into(size_t p) {
    const TraceEvent& event = events_[p];
    std::vector<CausalEdge> in;
    AddProgramOrder(p, in);
    AddCause(p, in);
    if (IsMessageNote(event) && event.links.note != NoteKind::kMessageSent) {
      auto sent = sent_of_flow_.find(event.links.flow);
      if (sent != sent_of_flow_.end())
        in.push_back({sent->second, event.index, EdgeKind::kMessage});
    }
    Remember(event);
    return Tidy(std::move(in));
  }

 private:
  void AddProgramOrder(size_t p, std::vector<CausalEdge>& in) {
    const TraceEvent& event = events_[p];
    const Actor actor = ActorOf(event);
    auto after = [&](uint64_t from) { in.push_back({from, event.index, EdgeKind::kProgramOrder}); };
    switch (actor.kind) {
      case Actor::Kind::kTask: {
        auto [it, first] = last_of_task_.try_emplace(actor.task, event.index);
        if (!first) after(std::exchange(it->second, event.index));
        break;
      }
      case Actor::Kind::kCallback:
        // A callback's firing starts it; what it records follows in order.
        if (event.kind != EventKind::kTimerFire && callback_last_.has_value())
          after(*callback_last_);
        callback_last_ = event.index;
        break;
      case Actor::Kind::kLoop:
        // Step hooks (invariant checks) look at what the step just did.
        if (event.kind != EventKind::kTimerFire && p > 0) after(event.index - 1);
        break;
      case Actor::Kind::kOutside:
        if (outside_last_.has_value()) after(*outside_last_);
        // The code after a Run call follows everything that call ran.
        if (p > 0 && ActorOf(events_[p - 1]).kind != Actor::Kind::kOutside) {
          after(event.index - 1);
        }
        outside_last_ = event.index;
        break;
    }
  }

  void AddCause(size_t p, std::vector<CausalEdge>& in) {
    const TraceEvent& event = events_[p];
    const uint64_t first = events_.front().index;
    if (event.links.cause == 0) return;
    uint64_t from = event.links.cause - 1;
    if (from < first || from >= event.index) return;  // before the kept tail, or bogus
    if (event.kind == EventKind::kResume && static_cast<WaitKind>(event.a) == WaitKind::kJoin) {
      // The joiner is woken just before its target's finish is recorded.
      auto end = task_end_.find(event.b);
      if (end != task_end_.end()) from = end->second;
    }
    in.push_back({from, event.index, CauseKind(event, events_[from - first])});
  }

  void Remember(const TraceEvent& event) {
    if (event.kind == EventKind::kFinish || event.kind == EventKind::kCancel) {
      task_end_[event.task] = event.index;
    }
    if (event.kind == EventKind::kNote && event.links.flow != 0 &&
        event.links.note == NoteKind::kMessageSent) {
      sent_of_flow_[event.links.flow] = event.index;
    }
  }

  // One edge per `from`: a specific kind wins over program order.
  static std::vector<CausalEdge> Tidy(std::vector<CausalEdge> in) {
    std::stable_sort(in.begin(), in.end(), [](const CausalEdge& x, const CausalEdge& y) {
      if (x.from != y.from) return x.from < y.from;
      return (x.kind != EdgeKind::kProgramOrder) > (y.kind != EdgeKind::kProgramOrder);
    });
    in.erase(std::unique(in.begin(), in.end(),
                         [](const CausalEdge& x, const CausalEdge& y) { return x.from == y.from; }),
             in.end());
    return in;
  }

  const std::vector<TraceEvent>& events_;
  absl::btree_map<TaskId, uint64_t> last_of_task_;
  std::optional<uint64_t> callback_last_;
  std::optional<uint64_t> outside_last_;
  absl::btree_map<TaskId, uint64_t> task_end_;
  absl::btree_map<uint64_t, uint64_t> sent_of_flow_;
};

// Worth telling in a story: what a task did or learned, not the suspensions
// and resumes it makes on its own.
bool IsSalient(const CausalGraph& graph, const TraceEvent& event) {
  switch (event.kind) {
    case EventKind::kSuspend:
    case EventKind::kTimerFire:
      return false;
    case EventKind::kResume:
      for (const CausalEdge& edge : graph.causes(event.index)) {
        if (edge.kind == EdgeKind::kWake || edge.kind == EdgeKind::kJoin) return true;
      }
      return false;
    default:
      return true;
  }
}

// The last `count_max` elements of `all` that satisfy `keep`.
template <typename Keep>
std::vector<uint64_t> LastOf(const std::vector<uint64_t>& all, size_t count_max, Keep keep) {
  std::vector<uint64_t> kept;
  for (auto it = all.rbegin(); it != all.rend() && kept.size() < count_max; ++it) {
    if (keep(*it)) kept.push_back(*it);
  }
  return kept;
}

// What a fault did: its direct fault and cancel effects, and for a dropped
// message the send it dropped.
void AddFaultEffects(const CausalGraph& graph, uint64_t fault, std::vector<uint64_t>& members) {
  constexpr size_t kEffectsMax = 16;  // a crash of a busy node cancels many tasks
  size_t added = 0;
  for (const CausalEdge& edge : graph.effects(fault)) {
    if (edge.kind != EdgeKind::kFault && edge.kind != EdgeKind::kCancel) continue;
    if (added++ == kEffectsMax) break;
    members.push_back(edge.to);
    for (const CausalEdge& cause : graph.causes(edge.to)) {
      if (cause.kind == EdgeKind::kMessage) members.push_back(cause.from);
    }
  }
}

// How telling each event is in a story cut short (ChainOptions::events_max): lower is kept
// first.
class Telling {
 public:
  Telling(const CausalGraph& graph, uint64_t target, const std::vector<uint64_t>& members,
          size_t messages_recent)
      : graph_(graph), target_(target) {
    recent_messages_ = LastOf(members, messages_recent,
                              [&](uint64_t i) { return IsMessageNote(graph.event(i)); });
  }

  int Rank(uint64_t index) const {
    const TraceEvent& event = graph_.event(index);
    if (index == target_) return 0;
    if (IsFaultSource(event)) return 1;
    if (IsMessageNote(event) && !IsFaultEvent(event)) {
      const bool recent = std::find(recent_messages_.begin(), recent_messages_.end(), index) !=
                          recent_messages_.end();
      return recent ? 2 : 3;
    }
    if (IsFaultEvent(event) || event.kind == EventKind::kNote) return 2;
    return 4;
  }

 private:
  const CausalGraph& graph_;
  uint64_t target_;
  std::vector<uint64_t> recent_messages_;
};

// The `options.events_max` most telling of `members` and the notes among `ancestors` (both
// ascending), ascending.
std::vector<uint64_t> MostTelling(const CausalGraph& graph, uint64_t target,
                                  std::vector<uint64_t> members,
                                  const std::vector<uint64_t>& ancestors,
                                  const ChainOptions& options) {
  for (uint64_t index : ancestors) {
    if (graph.event(index).kind == EventKind::kNote) members.push_back(index);
  }
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  if (members.size() <= options.events_max) return members;
  const Telling telling(graph, target, members, options.messages_recent);
  std::stable_sort(members.begin(), members.end(), [&](uint64_t x, uint64_t y) {
    const int rank_x = telling.Rank(x), rank_y = telling.Rank(y);
    if (rank_x != rank_y) return rank_x < rank_y;
    return x > y;
  });
  members.resize(options.events_max);
  std::sort(members.begin(), members.end());
  return members;
}

}  // namespace

bool Chain::contains(uint64_t index) const {
  return std::binary_search(events.begin(), events.end(), index);
}

Chain CausalChain(const CausalGraph& graph, uint64_t target, const ChainOptions& options) {
  const std::vector<uint64_t> ancestors = graph.Ancestors(target);
  Chain chain;
  chain.target = target;
  chain.ancestors = ancestors.size();
  std::vector<uint64_t> members = {target};
  for (uint64_t index : LastOf(ancestors, options.recent_max,
                               [&](uint64_t i) { return IsSalient(graph, graph.event(i)); })) {
    members.push_back(index);
  }
  const std::vector<uint64_t> faults = LastOf(
      ancestors, options.faults_max, [&](uint64_t i) { return IsFaultEvent(graph.event(i)); });
  for (uint64_t fault : faults) {
    members.push_back(fault);
    if (options.fault_effects && IsFaultSource(graph.event(fault))) {
      AddFaultEffects(graph, fault, members);
    }
  }
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  chain.events = options.events_max == 0
                     ? std::move(members)
                     : MostTelling(graph, target, std::move(members), ancestors, options);
  for (uint64_t index : chain.events) {
    for (const CausalEdge& edge : graph.causes(index)) {
      if (chain.contains(edge.from)) chain.edges.push_back(edge);
    }
  }
  return chain;
}

std::string_view EdgeKindName(EdgeKind kind) {
  auto index = static_cast<size_t>(kind);
  LAPLACE_CHECK(index < kEdgeKindCount) << "unknown EdgeKind " << index;
  return kEdgeKindNames[index];
}

Actor ActorOf(const TraceEvent& event) {
  switch (event.links.context) {
    case EventContext::kTask: {
      const bool by_another = event.kind == EventKind::kSpawn || event.kind == EventKind::kCancel;
      return Actor{Actor::Kind::kTask, by_another ? event.a : event.task};
    }
    case EventContext::kCallback:
      return Actor{Actor::Kind::kCallback, 0};
    case EventContext::kLoop:
      return Actor{Actor::Kind::kLoop, 0};
    case EventContext::kOutside:
      return Actor{Actor::Kind::kOutside, 0};
  }
  return Actor{};
}

bool IsFaultEvent(const TraceEvent& event) {
  if (event.kind == EventKind::kCancel) return true;
  if (event.kind != EventKind::kNote) return false;
  return IsFaultSource(event) || event.links.note == NoteKind::kMessageDropped ||
         event.links.note == NoteKind::kMessageRefused;
}

CausalGraph::CausalGraph(std::vector<TraceEvent> events) : events_(std::move(events)) {
  first_ = events_.empty() ? 0 : events_.front().index;
  for (size_t p = 0; p < events_.size(); ++p) {
    LAPLACE_CHECK(events_[p].index == first_ + p)
        << "CausalGraph needs consecutive events: event " << p << " has index " << events_[p].index
        << ", expected " << first_ + p;
  }
  EdgeBuilder builder(events_);
  causes_begin_.reserve(events_.size() + 1);
  for (size_t p = 0; p < events_.size(); ++p) {
    causes_begin_.push_back(edges_.size());
    for (const CausalEdge& edge : builder.Into(p)) edges_.push_back(edge);
  }
  causes_begin_.push_back(edges_.size());
  effects_order_.resize(edges_.size());
  for (size_t e = 0; e < edges_.size(); ++e) effects_order_[e] = e;
  std::stable_sort(effects_order_.begin(), effects_order_.end(),
                   [this](size_t x, size_t y) { return edges_[x].from < edges_[y].from; });
}

size_t CausalGraph::position(uint64_t index) const {
  LAPLACE_CHECK(contains(index)) << "event " << index << " is not in this graph (events " << first_
                                 << ".." << first_ + events_.size() << ")";
  return static_cast<size_t>(index - first_);
}

const TraceEvent& CausalGraph::event(uint64_t index) const { return events_[position(index)]; }

std::span<const CausalEdge> CausalGraph::causes(uint64_t index) const {
  const size_t p = position(index);
  return std::span<const CausalEdge>(edges_).subspan(causes_begin_[p],
                                                     causes_begin_[p + 1] - causes_begin_[p]);
}

std::vector<CausalEdge> CausalGraph::effects(uint64_t index) const {
  position(index);
  auto begin = std::lower_bound(effects_order_.begin(), effects_order_.end(), index,
                                [this](size_t e, uint64_t from) { return edges_[e].from < from; });
  std::vector<CausalEdge> out;
  for (auto it = begin; it != effects_order_.end() && edges_[*it].from == index; ++it) {
    out.push_back(edges_[*it]);
  }
  return out;
}

std::vector<uint64_t> CausalGraph::Ancestors(uint64_t index) const {
  std::vector<bool> seen(position(index) + 1, false);
  std::vector<uint64_t> stack = {index};
  while (!stack.empty()) {
    const uint64_t at = stack.back();
    stack.pop_back();
    for (const CausalEdge& edge : causes(at)) {
      const size_t p = position(edge.from);
      if (seen[p]) continue;
      seen[p] = true;
      stack.push_back(edge.from);
    }
  }
  std::vector<uint64_t> ancestors;
  for (size_t p = 0; p < seen.size(); ++p) {
    if (seen[p]) ancestors.push_back(first_ + p);
  }
  return ancestors;
}

}  // namespace laplace
