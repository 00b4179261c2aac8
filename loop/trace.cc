#include "loop/trace.h"

#include <algorithm>

#include "base/check.h"

namespace laplace {
namespace {

constexpr std::string_view kEventKindNames[kEventKindCount] = {
    "spawn", "resume",  "suspend",  "finish", "cancel",
    "timer", "resolve", "deadlock", "note",   "failure"};

constexpr std::string_view kNoteKindNames[kNoteKindCount] = {"plain",
                                                             "message sent",
                                                             "message delivered",
                                                             "message dropped",
                                                             "message refused",
                                                             "crash",
                                                             "restart",
                                                             "pause",
                                                             "unpause",
                                                             "partition",
                                                             "heal",
                                                             "fault"};

}  // namespace

std::string_view NoteKindName(NoteKind kind) {
  auto index = static_cast<size_t>(kind);
  LAPLACE_CHECK(index < kNoteKindCount) << "unknown NoteKind " << index;
  return kNoteKindNames[index];
}

std::string_view EventKindName(EventKind kind) {
  auto index = static_cast<size_t>(kind);
  LAPLACE_CHECK(index < kEventKindCount) << "unknown EventKind " << index;
  return kEventKindNames[index];
}

Trace::Trace(TraceOptions options) : options_(options) {
  if (options_.keep_all) return;
  // With no tail wanted, one scratch slot that events() never reads keeps
  // Record() free of a branch.
  size_t size = 1;
  while (size < options_.tail_capacity) size *= 2;
  kept_.resize(size);
  ring_mask_ = size - 1;
}

void Trace::Reset(TraceOptions options) {
  if (options.keep_all != options_.keep_all || options.tail_capacity != options_.tail_capacity) {
    *this = Trace(options);
    return;
  }
  digest_ = Digest();
  event_count_ = 0;
  if (options_.keep_all) kept_.clear();  // a ring's stale slots are never read past event_count_
}

void Trace::KeepText(size_t slot, std::string_view text) {
  if (texts_.size() <= slot) texts_.resize(options_.keep_all ? slot + 1 : kept_.size());
  texts_[slot].assign(text);
}

std::vector<TraceEvent> Trace::events() const {
  size_t count;
  uint64_t first;
  if (options_.keep_all) {
    count = kept_.size();
    first = 0;
  } else {
    count = static_cast<size_t>(std::min<uint64_t>(event_count_, options_.tail_capacity));
    first = event_count_ - count;
  }
  std::vector<TraceEvent> ordered;
  ordered.reserve(count);
  for (uint64_t i = first; i < first + count; ++i) {
    size_t slot = options_.keep_all ? static_cast<size_t>(i) : static_cast<size_t>(i & ring_mask_);
    const Kept& kept = kept_[slot];
    TraceEvent& event = ordered.emplace_back();
    event.index = i;
    event.step = kept.step;
    event.time = kept.time;
    event.kind = kept.kind;
    event.task = kept.task;
    event.a = kept.a;
    event.b = kept.b;
    if (kept.has_text) event.text = texts_[slot];
    event.links = EventLinks{.cause = kept.cause,
                             .flow = kept.flow,
                             .group = kept.group,
                             .note = kept.note,
                             .context = kept.context};
  }
  return ordered;
}

}  // namespace laplace
