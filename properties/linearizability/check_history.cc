#include "properties/linearizability/check_history.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "properties/linearizability/checker.h"
#include "properties/linearizability/history_file.h"
#include "properties/linearizability/models.h"
#include "properties/linearizability/witness.h"

namespace laplace::linearizability {

const char kCheckHistoryUsage[] =
    R"(  check-history --model=MODEL [--states-max=N] [--time-limit-ms=N] [--witness] FILE...
                     Check history files (Jepsen's EDN, or JSON lines) for
                     linearizability, one line per file:
                       FILE: linearizable|not linearizable|unknown (MS ms)
                     MODEL: register, cas-register, kv, set, queue.
                     --states-max     search states per file (default 4000000)
                     --time-limit-ms  wall time per file (default 60000)
                     --witness        after a violation, print its smallest
                                      witness as a timeline
                     Exits 0 if all are linearizable, 1 if any is not or is
                     unknown, 2 if any cannot be read.
)";

namespace {

constexpr int kExitLinearizable = 0;
constexpr int kExitViolation = 1;
constexpr int kExitBadInput = 2;

struct Settings {
  std::string model;
  CheckOptions options{.wall_time_max = std::chrono::milliseconds(60'000)};
  bool witness = false;
  std::vector<std::string> files;
};

// Calls `f` with the model named `name`; false if there is none.
template <typename F>
bool WithModel(std::string_view name, F&& f) {
  if (name == "register") return f(RegisterModel{}), true;
  if (name == "cas-register") return f(CasRegisterModel{}), true;
  if (name == "kv") return f(KvModel{}), true;
  if (name == "set") return f(SetModel{}), true;
  if (name == "queue") return f(QueueModel{}), true;
  return false;
}

std::optional<uint64_t> PositiveNumber(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

// Parses the arguments; an error message, or nothing.
std::optional<std::string> Parse(const std::vector<std::string>& args, Settings& settings) {
  bool flags_done = false;
  for (const std::string& arg : args) {
    std::string_view view(arg);
    if (flags_done || view.empty() || view[0] != '-' || view == "-") {
      settings.files.push_back(arg);
    } else if (view == "--") {
      flags_done = true;
    } else if (view.starts_with("--model=")) {
      settings.model = arg.substr(8);
    } else if (view == "--witness") {
      settings.witness = true;
    } else if (view.starts_with("--states-max=") || view.starts_with("--time-limit-ms=")) {
      size_t equals = view.find('=');
      std::optional<uint64_t> number = PositiveNumber(view.substr(equals + 1));
      if (!number.has_value() || *number == 0) {
        return std::string(view.substr(0, equals)) + " takes a positive integer, not '" +
               std::string(view.substr(equals + 1)) + "'";
      }
      if (view.starts_with("--states-max=")) {
        settings.options.states_max = *number;
      } else {
        settings.options.wall_time_max = std::chrono::milliseconds(*number);
      }
    } else {
      return "unknown flag '" + arg + "' for 'check-history'";
    }
  }
  if (settings.model.empty()) return std::string("'check-history' needs --model=MODEL");
  if (!WithModel(settings.model, [](const auto&) {})) {
    return "unknown model '" + settings.model +
           "' (the models are register, cas-register, kv, set, queue)";
  }
  if (settings.files.empty()) return std::string("'check-history' needs at least one FILE");
  return std::nullopt;
}

template <typename M>
int CheckFile(const std::string& file, const std::string& path, const M& model,
              const Settings& settings, std::ostream& out, std::ostream& err) {
  auto start = std::chrono::steady_clock::now();  // allowed: the command reports wall time
  absl::StatusOr<History> history = ReadHistoryFile(path);
  absl::StatusOr<std::vector<Operation>> ops =
      history.ok() ? history->Operations()
                   : absl::StatusOr<std::vector<Operation>>(history.status());
  absl::Status valid = ops.ok() ? ValidateOperations(*ops, model) : ops.status();
  if (!valid.ok()) {
    std::string message(valid.message());
    // ReadHistoryFile names the path already; the later stages do not.
    if (history.ok()) message = file + ": " + message;
    out << std::flush;
    err << "laplace: " << message << "\n";
    return kExitBadInput;
  }
  CheckResult result = Check(*ops, model, settings.options);
  auto elapsed = std::chrono::steady_clock::now() - start;  // allowed: as above
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  out << file << ": " << VerdictName(result.verdict) << " (" << ms << " ms)\n";
  if (result.verdict == Verdict::kLinearizable) return kExitLinearizable;
  if (settings.witness && result.verdict == Verdict::kNotLinearizable) {
    out << FindWitness(*ops, model, result, settings.options).ToString();
  } else if (settings.witness) {
    out << "  (" << result.reason << "; raise --states-max or --time-limit-ms)\n";
  }
  return kExitViolation;
}

}  // namespace

int CheckHistoryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                        const std::function<std::string(const std::string&)>& resolve) {
  Settings settings;
  std::optional<std::string> problem = Parse(args, settings);
  if (problem.has_value()) {
    err << "laplace: " << *problem << "\n\nusage:\n" << kCheckHistoryUsage;
    return kExitBadInput;
  }
  int exit_code = kExitLinearizable;
  for (const std::string& file : settings.files) {
    int code = kExitLinearizable;
    WithModel(settings.model, [&](const auto& model) {
      code = CheckFile(file, resolve(file), model, settings, out, err);
    });
    exit_code = std::max(exit_code, code);
  }
  return exit_code;
}

}  // namespace laplace::linearizability
