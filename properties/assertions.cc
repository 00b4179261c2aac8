#include "properties/assertions.h"

#include <cstdio>
#include <utility>

#include "base/strings.h"
#include "properties/simulation.h"

namespace laplace::properties::internal {

AssertionFailure::AssertionFailure(const char* file, int line, std::string condition)
    : file_(file), line_(line), condition_(std::move(condition)) {}

AssertionFailure::~AssertionFailure() noexcept(false) {
  std::string message = condition_;
  std::string details = details_.str();
  if (!details.empty()) laplace::internal::Append(message, ": ", details);
  std::string site = laplace::internal::Cat(file_, ":", line_);
  if (Simulation* sim = Simulation::Current()) {
    sim->Fail(kAssertion, site, message);
  } else {
    std::fprintf(stderr, "%s: %s (outside any Laplace simulation)\n", site.c_str(),
                 message.c_str());
  }
  throw AssertionFailed(site + ": " + message);
}

}  // namespace laplace::properties::internal
