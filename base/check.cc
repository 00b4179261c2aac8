#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace laplace::internal {

CheckFailure::CheckFailure(const char* file, int line, const char* condition)
    : file_(file), line_(line), condition_(condition) {}

namespace {

thread_local const std::string* check_context = nullptr;

}  // namespace

ScopedCheckContext::ScopedCheckContext(const std::string* context) : previous_(check_context) {
  check_context = context;
}

ScopedCheckContext::~ScopedCheckContext() { check_context = previous_; }

CheckFailure::~CheckFailure() {
  std::string message = message_.str();
  std::fprintf(stderr, "%s:%d: Laplace check failed: %s%s%s\n", file_, line_, condition_,
               message.empty() ? "" : ": ", message.c_str());
  if (check_context != nullptr && !check_context->empty()) {
    std::fprintf(stderr, "  while running a simulation: %s\n", check_context->c_str());
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace laplace::internal
