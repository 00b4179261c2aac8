#include "replays/trace_export/layout.h"

#include <algorithm>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"

namespace laplace::replays::trace_export {
namespace {

using LaneKey = std::pair<uint32_t, TaskId>;  // (group, task); task 0 is the node's lane

// Where each task lives: the group its spawn gave it, else the group of its own events.
absl::btree_map<TaskId, uint32_t> HomeGroups(const std::vector<TraceEvent>& events) {
  absl::btree_map<TaskId, uint32_t> home;
  for (const TraceEvent& event : events) {
    if (event.kind == EventKind::kSpawn) {
      home[event.task] = event.links.group;
    } else if (event.kind == EventKind::kResume || event.kind == EventKind::kSuspend) {
      home.try_emplace(event.task, event.links.group);
    }
  }
  return home;
}

// A task's events go on its lane, a cancellation on the cancelled task's, a
// note a task makes about another node on that node's lane; what callbacks,
// the Loop and the code outside tasks record goes on the lane of the node
// it is about.
LaneKey LaneKeyOf(const TraceEvent& event, const absl::btree_map<TaskId, uint32_t>& home) {
  auto home_of = [&](TaskId task) {
    auto it = home.find(task);
    return it == home.end() ? event.links.group : it->second;
  };
  switch (event.kind) {
    case EventKind::kResume:
    case EventKind::kSuspend:
    case EventKind::kFinish:
    case EventKind::kCancel:
      return {home_of(event.task), event.task};
    case EventKind::kTimerFire:
      if (event.task != 0) return {home_of(event.task), event.task};
      return {event.links.group, 0};
    default:
      break;
  }
  const Actor actor = ActorOf(event);
  if (actor.kind != Actor::Kind::kTask || actor.task == 0) return {event.links.group, 0};
  const uint32_t actor_home = home_of(actor.task);
  if (event.kind == EventKind::kNote && event.links.group != actor_home) {
    return {event.links.group, 0};
  }
  return {actor_home, actor.task};
}

// Virtual time, with one instant's events side by side and idle stretches shortened.
std::vector<int64_t> DisplayTimes(const std::vector<TraceEvent>& events) {
  std::vector<int64_t> display(events.size());
  int64_t previous = 0;
  for (size_t p = 0; p < events.size(); ++p) {
    const int64_t now = events[p].time.time_since_epoch().count();
    if (p == 0) {
      display[p] = std::min(now, kIdleGapMaxNs);
    } else {
      const int64_t gap = now - previous;
      display[p] =
          display[p - 1] + std::clamp(gap, kEventGapNs, std::max(kEventGapNs, kIdleGapMaxNs));
    }
    previous = now;
  }
  return display;
}

bool EndsStep(EventKind kind) {
  return kind == EventKind::kSuspend || kind == EventKind::kFinish || kind == EventKind::kCancel;
}

void CutSteps(const TraceRecording& recording, Layout& layout) {
  absl::btree_map<size_t, size_t> open;  // lane -> its step still open
  for (size_t p = 0; p < recording.events.size(); ++p) {
    const TraceEvent& event = recording.events[p];
    const size_t lane = layout.lane_of[p];
    auto it = open.find(lane);
    size_t step;
    if (layout.lanes[lane].task != 0 && event.kind != EventKind::kResume && it != open.end()) {
      step = it->second;
      layout.steps[step].last = event.index;
      if (EndsStep(event.kind)) open.erase(it);
    } else {
      step = layout.steps.size();
      layout.steps.push_back(Step{.lane = lane, .first = event.index, .last = event.index});
      if (layout.lanes[lane].task != 0 && event.kind == EventKind::kResume) open[lane] = step;
    }
    layout.step_of[p] = step;
  }
  const uint64_t first = recording.events.empty() ? 0 : recording.events.front().index;
  for (Step& step : layout.steps) {
    step.begin_ns = std::max<int64_t>(0, layout.display_ns[step.first - first] - kEventGapNs / 4);
    step.end_ns = layout.display_ns[step.last - first] + kEventGapNs / 2;
  }
}

// Puts the tasks of one node and label on as few lanes as their lives
// allow: each task's key becomes that of the first task of its lane.
void ShareLanes(const TraceRecording& recording, std::vector<LaneKey>& keys) {
  absl::btree_map<LaneKey, std::pair<size_t, size_t>> lives;  // first and last position
  for (size_t p = 0; p < keys.size(); ++p) {
    if (keys[p].second == 0) continue;
    auto [it, first] = lives.try_emplace(keys[p], p, p);
    if (!first) it->second.second = p;
  }
  std::vector<std::pair<size_t, LaneKey>> by_start;
  for (const auto& [key, life] : lives) by_start.push_back({life.first, key});
  std::sort(by_start.begin(), by_start.end());
  // (group, label) -> its lanes: the key they go by and where the last life ended.
  absl::btree_map<std::pair<uint32_t, std::string>, std::vector<std::pair<LaneKey, size_t>>> lanes;
  absl::btree_map<LaneKey, LaneKey> shared;
  for (const auto& [begin, key] : by_start) {
    const size_t start = begin;  // clang 14 cannot capture a structured binding
    auto& rows = lanes[{key.first, recording.TaskName(key.second)}];
    auto row =
        std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.second < start; });
    if (row == rows.end()) row = rows.insert(rows.end(), {key, 0});
    row->second = lives[key].second;
    shared[key] = row->first;
  }
  for (LaneKey& key : keys) {
    if (key.second != 0) key = shared.at(key);
  }
}

bool DrawnAsArrow(EdgeKind kind) {
  return kind == EdgeKind::kMessage || kind == EdgeKind::kWake || kind == EdgeKind::kJoin ||
         kind == EdgeKind::kCancel || kind == EdgeKind::kFault;
}

}  // namespace

Layout LayOut(const TraceRecording& recording, const LayoutOptions& options) {
  Layout layout;
  layout.graph = CausalGraph(recording.events);
  const absl::btree_map<TaskId, uint32_t> home = HomeGroups(recording.events);
  std::vector<LaneKey> keys;
  keys.reserve(recording.events.size());
  absl::btree_set<LaneKey> used;
  for (const TraceEvent& event : recording.events) keys.push_back(LaneKeyOf(event, home));
  if (options.share_lanes) ShareLanes(recording, keys);
  for (const LaneKey& key : keys) {
    used.insert(key);
    used.insert({key.first, 0});  // every node with a task gets its own lane too
  }
  absl::btree_map<LaneKey, size_t> lane_index;
  absl::btree_map<std::pair<uint32_t, std::string>, int> named;  // lanes of one name so far
  for (const LaneKey& key : used) {
    lane_index[key] = layout.lanes.size();
    std::string name =
        key.second == 0 ? recording.GroupName(key.first) : recording.TaskName(key.second);
    const int same = ++named[{key.first, name}];
    if (same > 1) name += " " + std::to_string(same);
    layout.lanes.push_back(Lane{.group = key.first, .task = key.second, .name = std::move(name)});
  }
  for (const LaneKey& key : keys) layout.lane_of.push_back(lane_index.at(key));
  layout.display_ns = DisplayTimes(recording.events);
  layout.step_of.resize(recording.events.size());
  CutSteps(recording, layout);
  for (const CausalEdge& edge : layout.graph.edges()) {
    const uint64_t first = recording.events.front().index;
    // A fault's effect or a message may stay on one lane (a crash note and
    // the drop it causes are both the node's); other edges are drawn
    // between lanes only.
    const bool same_lane = layout.lane_of[edge.from - first] == layout.lane_of[edge.to - first];
    if (DrawnAsArrow(edge.kind) &&
        (!same_lane || edge.kind == EdgeKind::kFault || edge.kind == EdgeKind::kMessage)) {
      layout.arrows.push_back(Arrow{edge.from, edge.to, edge.kind});
    }
  }
  layout.failing_event = recording.FailingEvent();
  if (layout.failing_event.has_value()) {
    const uint64_t first = recording.events.front().index;
    const size_t p = *layout.failing_event - first;
    // A failed invariant is checked by the Loop after a step: that step did it.
    const bool after_step = recording.events[p].links.context == EventContext::kLoop && p > 0;
    layout.failing_step = layout.step_of[after_step ? p - 1 : p];
    layout.chain = CausalChain(layout.graph, *layout.failing_event);
  }
  return layout;
}

}  // namespace laplace::replays::trace_export
