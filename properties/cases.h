// PropertyCases: the typed half of a property, what the pipeline asks of it.
//
// A property is a body run on a Simulation, possibly with arguments that
// RapidCheck generates. The pipeline (pipeline.h) is ordinary code that only
// needs three things from the property, whatever its argument types: the
// body for a seed, the body for a replay file's argument data, and a
// RapidCheck search. `TypedCases<P>` provides them for a class P with a
// `void operator()(Args...)` and a constructor from `Simulation&`, which is
// what LAPLACE_PROPERTY declares; `BodyCases` for a plain Body without
// arguments.
//
//   struct Transfers : laplace::properties::PropertyBase {
//     using PropertyBase::PropertyBase;
//     void operator()(int clients) { ... sim.Run(); }
//   };
//   auto cases = std::make_shared<TypedCases<Transfers>>("(int clients)");
//   Property property{.name = "Bank.Transfers", .cases = cases};
#ifndef LAPLACE_PROPERTIES_CASES_H_
#define LAPLACE_PROPERTIES_CASES_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "properties/found_case.h"
#include "properties/internal/rapidcheck_case.h"
#include "properties/rapidcheck_search.h"
#include "properties/runner.h"
#include "properties/simulation.h"
#include "rapidcheck.h"

namespace laplace::properties {

// The base class of a property class (what LAPLACE_PROPERTY declares): gives the body `sim`.
class PropertyBase {
 public:
  explicit PropertyBase(Simulation& simulation) : sim(simulation) {}

 protected:
  Simulation& sim;
};

class PropertyCases {
 public:
  virtual ~PropertyCases() = default;
  // The body with arguments generated from rc::Random(seed) at `size`.
  virtual Body ForSeed(uint64_t seed, int size, CaseArgs& args) = 0;
  // The body with arguments regenerated from reproduce data ("" for none).
  virtual absl::StatusOr<Body> ForReproduce(const std::string& reproduce, CaseArgs& args) = 0;
  // Runs RapidCheck over the property, shrinking a failure.
  virtual RapidCheckOutcome Check(const RapidCheckSettings& settings) = 0;
};

// The parameter declarations of a parameter list: "(int a, std::pair<int, int> b)"
// gives {"int a", "std::pair<int, int> b"}.
std::vector<std::string> SplitParameters(const std::string& parameters);

// A property without arguments: `body` for every case.
class BodyCases final : public PropertyCases {
 public:
  explicit BodyCases(Body body) : body_(std::move(body)) {}
  Body ForSeed(uint64_t, int, CaseArgs& args) override;
  absl::StatusOr<Body> ForReproduce(const std::string& reproduce, CaseArgs& args) override;
  RapidCheckOutcome Check(const RapidCheckSettings& settings) override;

 private:
  Body body_;
};

namespace internal {
template <typename T>
struct MemberArguments;
template <typename Class, typename... Ts>
struct MemberArguments<void (Class::*)(Ts...)> {
  using type = std::tuple<std::decay_t<Ts>...>;
};
}  // namespace internal

// The cases of a property class P (see the banner).
template <typename P>
class TypedCases final : public PropertyCases {
 public:
  using Args = typename internal::MemberArguments<decltype(&P::operator())>::type;

  // `parameters`: the parameter list as written, "(int a, int b)", which
  // names the arguments in reports.
  explicit TypedCases(const std::string& parameters) : names_(SplitParameters(parameters)) {}

  Body ForSeed(uint64_t seed, int size, CaseArgs& args) override {
    internal::ArgsOrigin origin{rc::Random(seed), size, {}};
    return Bind(internal::ArgumentsGenerator<Args>()(origin.random, origin.size).value(), origin,
                args);
  }

  absl::StatusOr<Body> ForReproduce(const std::string& reproduce, CaseArgs& args) override {
    if (reproduce.empty()) {
      if constexpr (std::tuple_size_v<Args> == 0) return Bind(Args(), {}, args);
      return absl::InvalidArgumentError(
          "the replay has no argument data, but the property takes arguments");
    }
    absl::StatusOr<internal::ArgsOrigin> origin = internal::DecodeArgsOrigin(reproduce);
    if (!origin.ok()) return origin.status();
    std::optional<rc::Shrinkable<Args>> node = internal::ArgumentsAt<Args>(*origin);
    if (!node.has_value()) {
      return absl::InvalidArgumentError(
          "the replay's argument shrink path no longer exists: the property's arguments or "
          "their generators changed since it was recorded");
    }
    return Bind(node->value(), *origin, args);
  }

  RapidCheckOutcome Check(const RapidCheckSettings& settings) override {
    return CheckCases<Args>(
        settings, [this](const Args& values, const internal::ArgsOrigin& origin, CaseArgs& args) {
          return Bind(values, origin, args);
        });
  }

 private:
  Body Bind(Args values, const internal::ArgsOrigin& origin, CaseArgs& args) {
    args.reproduce = std::tuple_size_v<Args> == 0 ? "" : internal::EncodeArgsOrigin(origin);
    args.rendering = Render(values);
    return [values](Simulation& sim) {
      P property(sim);
      std::apply([&property](const auto&... value) { property(value...); }, values);
    };
  }

  std::vector<std::string> Render(const Args& values) const {
    std::vector<std::string> lines;
    std::apply(
        [&](const auto&... value) {
          ((lines.push_back((lines.size() < names_.size() ? names_[lines.size()] : "arg") + " = " +
                            rc::toString(value))),
           ...);
        },
        values);
    return lines;
  }

  std::vector<std::string> names_;
};

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_CASES_H_
