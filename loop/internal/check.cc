#include "loop/internal/check.h"

#include <cstdio>
#include <cstdlib>

namespace laplace::internal {

CheckFailure::CheckFailure(const char* file, int line, const char* condition)
    : file_(file), line_(line), condition_(condition) {}

CheckFailure::~CheckFailure() {
  std::string message = message_.str();
  std::fprintf(stderr, "%s:%d: Laplace check failed: %s%s%s\n", file_, line_, condition_,
               message.empty() ? "" : ": ", message.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace laplace::internal
