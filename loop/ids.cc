#include "loop/ids.h"

#include <cstddef>

#include "base/check.h"

namespace laplace {
namespace {

constexpr std::string_view kWaitKindNames[kWaitKindCount] = {
    "nothing",   "start", "yield",     "sleep",     "join",      "future", "lock",
    "semaphore", "event", "queue put", "queue get", "condition", "barrier"};

}  // namespace

std::string_view WaitKindName(WaitKind kind) {
  auto index = static_cast<size_t>(kind);
  LAPLACE_CHECK(index < kWaitKindCount) << "unknown WaitKind " << index;
  return kWaitKindNames[index];
}

}  // namespace laplace
