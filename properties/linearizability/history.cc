#include "properties/linearizability/history.h"

#include <algorithm>
#include <utility>

#include "absl/container/btree_map.h"
#include "base/check.h"
#include "base/strings.h"

namespace laplace::linearizability {

using ::laplace::internal::Append;
using ::laplace::internal::Cat;

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::kInvoke:
      return "invoke";
    case EventType::kOk:
      return "ok";
    case EventType::kFail:
      return "fail";
    case EventType::kInfo:
      return "info";
  }
  return "?";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kFail:
      return "fail";
    case Outcome::kInfo:
      return "info";
  }
  return "?";
}

std::string Operation::ToString() const {
  std::string out = f;
  if (!key.is_nil()) Append(out, " ", key.ToString());
  if (!input.is_nil()) Append(out, " ", input.ToString());
  switch (outcome) {
    case Outcome::kOk:
      if (input.is_nil() || (!output.is_nil() && output != input)) {
        Append(out, " -> ", output.ToString());
      }
      break;
    case Outcome::kFail:
      out.append(" fail");
      break;
    case Outcome::kInfo:
      out.append(" ?");
      break;
  }
  return out;
}

OpId History::Invoke(Invocation invocation) {
  for (OpId id : pending_) {
    LAPLACE_CHECK(events_[id].process != invocation.process)
        << "process " << invocation.process << " invokes " << invocation.f << " while its "
        << events_[id].f << " (event #" << id << ") is pending; complete it first (Ok, Fail "
        << "or Info)";
  }
  OpId id = events_.size();
  events_.push_back(
      Event{.type = EventType::kInvoke,
            .process = invocation.process,
            .f = std::move(invocation.f),
            .key = std::move(invocation.key),
            .value = std::move(invocation.input),
            .time = loop_ != nullptr ? std::optional<Time>(loop_->Now()) : std::nullopt});
  pending_.push_back(id);
  return id;
}

bool History::pending(OpId id) const {
  return std::find(pending_.begin(), pending_.end(), id) != pending_.end();
}

void History::Complete(OpId id, EventType type, Value output) {
  auto it = std::find(pending_.begin(), pending_.end(), id);
  LAPLACE_CHECK(it != pending_.end()) << "operation #" << id << " is not pending (never invoked, "
                                      << "or completed already)";
  pending_.erase(it);
  const Event& invoke = events_[id];
  events_.push_back(
      Event{.type = type,
            .process = invoke.process,
            .f = invoke.f,
            .key = invoke.key,
            .value = std::move(output),
            .time = loop_ != nullptr ? std::optional<Time>(loop_->Now()) : std::nullopt});
}

void History::Ok(OpId id, Value output) { Complete(id, EventType::kOk, std::move(output)); }
void History::Fail(OpId id) { Complete(id, EventType::kFail, {}); }
void History::Info(OpId id) { Complete(id, EventType::kInfo, {}); }

namespace {

std::string Where(const Event& event, size_t index) {
  if (event.line > 0) return Cat("line ", event.line);
  return Cat("event #", index);
}

Outcome OutcomeOf(EventType type) {
  switch (type) {
    case EventType::kOk:
      return Outcome::kOk;
    case EventType::kFail:
      return Outcome::kFail;
    default:
      return Outcome::kInfo;
  }
}

}  // namespace

absl::StatusOr<std::vector<Operation>> History::Operations() const {
  std::vector<Operation> operations;
  absl::btree_map<Process, size_t> pending;  // process -> index in `operations`
  for (size_t i = 0; i < events_.size(); ++i) {
    const Event& event = events_[i];
    auto it = pending.find(event.process);
    if (event.type == EventType::kInvoke) {
      if (it != pending.end()) {
        const Operation& open = operations[it->second];
        return absl::InvalidArgumentError(Cat(
            Where(event, i), ": process ", event.process, " invokes ", event.f, " while its ",
            open.f, " (", Where(events_[open.invoked], open.invoked),
            ") is still pending; a process completes one operation before it invokes the next"));
      }
      pending.emplace(event.process, operations.size());
      operations.push_back(Operation{.id = operations.size(),
                                     .process = event.process,
                                     .f = event.f,
                                     .key = event.key,
                                     .input = event.value,
                                     .invoked = i,
                                     .invoke_time = event.time,
                                     .invoke_line = event.line});
      continue;
    }
    if (it == pending.end()) {
      return absl::InvalidArgumentError(
          Cat(Where(event, i), ": process ", event.process, " ", EventTypeName(event.type), "s ",
              event.f, " but has no operation pending (no :invoke before it)"));
    }
    Operation& op = operations[it->second];
    if (op.f != event.f) {
      return absl::InvalidArgumentError(Cat(Where(event, i), ": process ", event.process,
                                            " completes ", event.f,
                                            " but its pending operation is ", op.f, " (",
                                            Where(events_[op.invoked], op.invoked), ")"));
    }
    op.outcome = OutcomeOf(event.type);
    if (event.type == EventType::kOk) op.output = event.value;
    op.completed = i;
    op.complete_time = event.time;
    op.complete_line = event.line;
    pending.erase(it);
  }
  return operations;
}

namespace {

bool IsKeywordText(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '?' || c == '!' || c == '*' || c == '.';
    if (!ok) return false;
  }
  return !(text[0] >= '0' && text[0] <= '9');
}

}  // namespace

std::string History::ToEdn() const {
  std::string out;
  for (const Event& event : events_) {
    ::laplace::internal::Append(out, "{:process ", event.process,
                                ", :type :", EventTypeName(event.type), ", :f ");
    if (IsKeywordText(event.f)) {
      ::laplace::internal::Append(out, ":", event.f);
    } else {
      out.append(Value(event.f).ToString());
    }
    if (!event.key.is_nil()) ::laplace::internal::Append(out, ", :key ", event.key.ToString());
    ::laplace::internal::Append(out, ", :value ", event.value.ToString());
    if (event.time.has_value()) {
      ::laplace::internal::Append(out, ", :time ", event.time->time_since_epoch().count());
    }
    out.append("}\n");
  }
  return out;
}

}  // namespace laplace::linearizability
