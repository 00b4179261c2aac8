#include "properties/linearizability/witness.h"

#include <algorithm>
#include <limits>

#include "base/strings.h"
#include "loop/time.h"

namespace laplace::linearizability {

using ::laplace::internal::Append;
using ::laplace::internal::Cat;

namespace internal {

Operation Forget(Operation op) {
  op.outcome = Outcome::kInfo;
  op.output.Clear();
  op.completed = Operation::kNever;
  op.complete_time.reset();
  op.complete_line = 0;
  return op;
}

std::vector<size_t> EventPositions(const std::vector<Operation>& ops) {
  std::vector<size_t> positions;
  for (const Operation& op : ops) {
    positions.push_back(op.invoked);
    if (op.known()) positions.push_back(op.completed);
  }
  std::sort(positions.begin(), positions.end());
  return positions;
}

std::vector<Operation> Prefix(const std::vector<Operation>& ops,
                              const std::vector<size_t>& positions, size_t events) {
  std::vector<Operation> prefix;
  if (events == 0) return prefix;
  size_t last = positions[events - 1];
  for (const Operation& op : ops) {
    if (op.invoked > last) continue;
    prefix.push_back(op);
    if (op.known() && op.completed > last) {
      prefix.back().outcome = Outcome::kInfo;  // still pending at the cut
      prefix.back().completed = Operation::kNever;
    }
  }
  return prefix;
}

}  // namespace internal

namespace {

constexpr size_t kOpen = std::numeric_limits<size_t>::max();

std::string Label(const Operation& op, bool marked) {
  std::string label = op.ToString();
  if (marked) label.append(" !");
  return label;
}

std::string ProcessName(Process process) { return Cat("process ", process); }

}  // namespace

std::string FormatTimeline(const std::vector<Operation>& ops, std::optional<size_t> marked) {
  // Columns: one per event, far enough apart for each operation's label.
  std::vector<size_t> positions = internal::EventPositions(ops);
  std::vector<size_t> column(positions.size(), 0);
  auto column_of = [&](size_t position) {
    return column[std::lower_bound(positions.begin(), positions.end(), position) -
                  positions.begin()];
  };
  size_t width = 0;
  for (size_t e = 0; e < positions.size(); ++e) {
    column[e] = e == 0 ? 0 : column[e - 1] + 2;
    for (size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].known() && ops[i].completed == positions[e]) {
        column[e] =
            std::max(column[e], column_of(ops[i].invoked) + Label(ops[i], marked == i).size() + 1);
      }
    }
    width = column[e] + 1;
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    if (!ops[i].known()) {
      width = std::max(width, column_of(ops[i].invoked) + Label(ops[i], marked == i).size() + 5);
    }
  }
  // Rows: a process's operations share a row unless an open one overlaps.
  std::vector<size_t> order(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return ops[a].process != ops[b].process ? ops[a].process < ops[b].process
                                            : ops[a].invoked < ops[b].invoked;
  });
  struct Row {
    Process process;
    std::string canvas;
    size_t end;  // the column after its last bar; kOpen after an open one
  };
  std::vector<Row> rows;
  for (size_t i : order) {
    const Operation& op = ops[i];
    size_t from = column_of(op.invoked);
    Row* row = nullptr;
    for (Row& candidate : rows) {
      if (candidate.process == op.process && candidate.end != kOpen && candidate.end <= from) {
        row = &candidate;
      }
    }
    if (row == nullptr) {
      rows.push_back(Row{op.process, std::string(width, ' '), 0});
      row = &rows.back();
    }
    std::string label = Label(op, marked == i);
    size_t to = op.known() ? column_of(op.completed) : width - 1;
    row->canvas[from] = '[';
    for (size_t x = from + 1; x <= to; ++x) row->canvas[x] = op.known() ? ' ' : '.';
    row->canvas.replace(from + 1, label.size(), label);
    if (op.known()) row->canvas[to] = ']';
    row->end = op.known() ? to + 1 : kOpen;
  }
  size_t name_width = 0;
  for (const Row& row : rows) name_width = std::max(name_width, ProcessName(row.process).size());
  std::string out;
  for (const Row& row : rows) {
    std::string name = ProcessName(row.process);
    std::string canvas = row.canvas;
    canvas.erase(canvas.find_last_not_of(' ') + 1);
    Append(out, "  ", name, std::string(name_width - name.size() + 2, ' '), canvas, "\n");
  }
  return out;
}

namespace {

// "t=1ms..t=3ms", "line 4..line 9", or "event #3..#8".
std::string Span(const Operation& op) {
  auto end = [&](const std::optional<Time>& time, int line, size_t index) {
    if (index == Operation::kNever) return std::string("(never completed)");
    if (time.has_value()) return FormatTime(*time);
    if (line > 0) return Cat("line ", line);
    return Cat("event #", index);
  };
  std::string out = end(op.invoke_time, op.invoke_line, op.invoked);
  Append(out, " .. ", end(op.complete_time, op.complete_line, op.completed));
  return out;
}

}  // namespace

std::string Witness::ToString() const {
  std::string out =
      Cat(operations.size(), " of ", history_operations, " operations are not linearizable");
  if (partitioned) {
    Append(out, " (", partition.ToString(), ", one of the parts checked on its own, has ",
           part_operations, ")");
  }
  Append(out, minimal ? ":\n" : " (a budget stopped the shrinking; it may not be minimal):\n");
  out.append(FormatTimeline(operations, unplaceable));
  for (size_t i = 0; i < operations.size(); ++i) {
    const Operation& op = operations[i];
    Append(out, "  ", ProcessName(op.process), ": ", op.ToString(), ", ", Span(originals[i]));
    if (forgotten[i]) Append(out, " (it was ", originals[i].ToString(), "; not needed)");
    out.append("\n");
  }
  Append(out, "the longest linearizable prefix: ", initial_state);
  for (const auto& [index, state] : prefix) {
    const Operation& op = operations[index];
    Append(out, " -> ", op.ToString(), " (", ProcessName(op.process), ") -> ", state);
  }
  const Operation& stuck = operations[unplaceable];
  Append(out, "\ncannot be placed after it: ", stuck.ToString(), " (", ProcessName(stuck.process),
         ", ", Span(stuck), ")\n");
  return out;
}

}  // namespace laplace::linearizability
