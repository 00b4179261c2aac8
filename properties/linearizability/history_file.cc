#include "properties/linearizability/history_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "properties/linearizability/edn.h"
#include "properties/linearizability/internal/datum.h"
#include "properties/linearizability/json.h"

namespace laplace::linearizability {
namespace {

using internal::Datum;
using ::laplace::internal::Cat;

absl::Status At(int line, int column, std::string_view what) {
  if (column <= 0) return absl::InvalidArgumentError(Cat("line ", line, ": ", what));
  return absl::InvalidArgumentError(Cat("line ", line, ", column ", column, ": ", what));
}

std::string_view KindText(Datum::Kind kind) {
  switch (kind) {
    case Datum::Kind::kNil:
      return "nil";
    case Datum::Kind::kBoolean:
      return "a boolean";
    case Datum::Kind::kInteger:
      return "an integer";
    case Datum::Kind::kFloat:
      return "a floating-point number";
    case Datum::Kind::kString:
      return "a string";
    case Datum::Kind::kKeyword:
      return "a keyword";
    case Datum::Kind::kSymbol:
      return "a symbol";
    case Datum::Kind::kList:
      return "a list";
    case Datum::Kind::kVector:
      return "a vector";
    case Datum::Kind::kSet:
      return "a set";
    case Datum::Kind::kMap:
      return "a map";
  }
  return "?";
}

absl::StatusOr<Value> ToValue(const Datum& datum, int line) {
  switch (datum.kind) {
    case Datum::Kind::kNil:
      return Value();
    case Datum::Kind::kBoolean:
      return Value(datum.boolean ? "true" : "false");
    case Datum::Kind::kInteger:
      return Value(datum.integer);
    case Datum::Kind::kString:
    case Datum::Kind::kKeyword:
    case Datum::Kind::kSymbol:
      return Value(datum.text);
    case Datum::Kind::kList:
    case Datum::Kind::kVector:
    case Datum::Kind::kSet: {
      std::vector<Value> items;
      for (const Datum& item : datum.items) {
        absl::StatusOr<Value> value = ToValue(item, line);
        if (!value.ok()) return value;
        items.push_back(*std::move(value));
      }
      if (datum.kind == Datum::Kind::kSet) std::sort(items.begin(), items.end());
      return Value::List(std::move(items));
    }
    case Datum::Kind::kFloat:
    case Datum::Kind::kMap:
      break;
  }
  return At(line, datum.column,
            Cat(KindText(datum.kind),
                " cannot be an operation's value or key (the models take "
                "nil, integers, strings and lists of them)"));
}

// The text of a keyword, symbol or string field.
std::optional<std::string> NameOf(const Datum& datum) {
  if (datum.kind == Datum::Kind::kKeyword || datum.kind == Datum::Kind::kSymbol ||
      datum.kind == Datum::Kind::kString) {
    return datum.text;
  }
  return std::nullopt;
}

std::optional<EventType> TypeNamed(std::string_view name) {
  for (EventType type : {EventType::kInvoke, EventType::kOk, EventType::kFail, EventType::kInfo}) {
    if (EventTypeName(type) == name) return type;
  }
  return std::nullopt;
}

// The event of one line, or nullopt for an event to skip (not a client's).
absl::StatusOr<std::optional<Event>> ToEvent(const Datum& map, int line) {
  if (map.kind != Datum::Kind::kMap) {
    return At(
        line, map.column,
        Cat("an event is a map ({:process 0, :type :invoke, ...}), not ", KindText(map.kind)));
  }
  Event event{.line = line};
  const Datum* process = map.Find("process");
  if (process == nullptr) return At(line, 0, "the event has no :process");
  if (process->kind != Datum::Kind::kInteger) return std::optional<Event>();  // e.g. :nemesis
  event.process = process->integer;
  const Datum* type = map.Find("type");
  std::optional<std::string> type_name = type != nullptr ? NameOf(*type) : std::nullopt;
  std::optional<EventType> event_type = type_name ? TypeNamed(*type_name) : std::nullopt;
  if (!event_type.has_value()) {
    return At(line, type != nullptr ? type->column : 0,
              ":type must be one of :invoke :ok :fail :info");
  }
  event.type = *event_type;
  const Datum* f = map.Find("f");
  std::optional<std::string> f_name = f != nullptr ? NameOf(*f) : std::nullopt;
  if (!f_name.has_value()) {
    return At(line, f != nullptr ? f->column : 0,
              "the event needs an :f naming its function (:read, :write, ...)");
  }
  event.f = *f_name;
  for (auto [field, target] : {std::pair{"value", &event.value}, std::pair{"key", &event.key}}) {
    const Datum* datum = map.Find(field);
    if (datum == nullptr) continue;
    absl::StatusOr<Value> value = ToValue(*datum, line);
    if (!value.ok()) return value.status();
    *target = *std::move(value);
  }
  const Datum* time = map.Find("time");
  if (time != nullptr) {
    if (time->kind != Datum::Kind::kInteger) {
      return At(line, time->column, ":time must be an integer (nanoseconds)");
    }
    event.time = Time(Duration(time->integer));
  }
  return std::optional<Event>(std::move(event));
}

bool LooksLikeJson(std::string_view line) {
  size_t brace = line.find_first_not_of(" \t");
  if (brace == std::string_view::npos || line[brace] != '{') return false;
  size_t key = line.find_first_not_of(" \t", brace + 1);
  return key != std::string_view::npos && (line[key] == '"' || line[key] == '}');
}

// Prefixes a status's message with "line N, column C: " unless it has a line.
absl::Status OnLine(const absl::Status& status, int line) {
  return absl::InvalidArgumentError(Cat("line ", line, ", ", status.message()));
}

}  // namespace

absl::StatusOr<History> ParseHistory(std::string_view text) {
  History history;
  int line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    size_t first = line.find_first_not_of(" \t\r,");
    if (first == std::string_view::npos || line[first] == ';') continue;
    absl::StatusOr<Datum> datum = LooksLikeJson(line) ? ParseJson(line) : ParseEdn(line);
    if (!datum.ok()) return OnLine(datum.status(), line_number);
    absl::StatusOr<std::optional<Event>> event = ToEvent(*datum, line_number);
    if (!event.ok()) return event.status();
    if (event->has_value()) history.Append(**std::move(event));
  }
  return history;
}

absl::StatusOr<History> ReadHistoryFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(Cat(path, ": cannot read it: ", std::strerror(errno)));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return absl::InvalidArgumentError(Cat(path, ": cannot read it: ", std::strerror(errno)));
  }
  absl::StatusOr<History> history = ParseHistory(text);
  if (!history.ok()) return absl::InvalidArgumentError(Cat(path, ": ", history.status().message()));
  return history;
}

}  // namespace laplace::linearizability
