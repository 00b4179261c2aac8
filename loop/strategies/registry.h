// The strategies by name: parsing "pct:depth=3" and building the strategy it names.
//
// This is how a setting (`--laplace_strategy=pct:depth=2`), a property's options
// (PropertyOptions::strategy) and a replay file's StrategyConfig name a strategy. The names:
//   random-walk                       every candidate equally likely (strategy.h)
//   pct[:depth=D][,steps=K]           PCT (pct.h); D in [1, 10], default 3; K = 0 estimates
//   pos                               partial order sampling (pos.h)
//   surw                              selectively uniform random walk (surw.h)
//   portfolio                         the default rotation of the above (portfolio.h)
//   bounded[:preemptions=B][,schedules=N]
//                                     bounded exhaustive search (bounded_search.h); B in
//                                     [0, 10], default 2. Not a Strategy to give a Loop: it
//                                     drives runs of its own (MakeBoundedSearch).
//
//   absl::StatusOr<laplace::StrategyConfig> config =
//   laplace::strategies::ParseStrategy("pct:depth=2"); std::unique_ptr<laplace::Strategy> pct =
//   laplace::strategies::MakeStrategy(*config).value();
#ifndef LAPLACE_LOOP_STRATEGIES_REGISTRY_H_
#define LAPLACE_LOOP_STRATEGIES_REGISTRY_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "loop/strategies/bounded_search.h"
#include "loop/strategy.h"

namespace laplace::strategies {

// Parses "name[:parameter=value[,parameter=value]...]". kInvalidArgument names what is wrong
// (an unknown strategy or parameter, a value out of range) and what is accepted.
absl::StatusOr<StrategyConfig> ParseStrategy(std::string_view text);
// Checks a config made in code (or read from a file) the same way.
absl::Status ValidateStrategy(const StrategyConfig& config);

// Builds the strategy `config` names. kInvalidArgument for an invalid config, or for
// "bounded", which is not a Strategy (see IsBoundedSearch).
absl::StatusOr<std::unique_ptr<Strategy>> MakeStrategy(const StrategyConfig& config);

// Whether `config` names the bounded search, and its options when it does.
bool IsBoundedSearch(const StrategyConfig& config);
BoundedSearchOptions BoundedSearchOptionsOf(const StrategyConfig& config);

// What ParseStrategy accepts, in one line, for help texts and errors.
std::string StrategySyntax();

}  // namespace laplace::strategies

#endif  // LAPLACE_LOOP_STRATEGIES_REGISTRY_H_
