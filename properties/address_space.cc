#include "properties/address_space.h"

#include <sys/resource.h>

#include <atomic>

namespace laplace::properties {
namespace {

std::atomic<uint64_t> applied_mib{0};

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

}  // namespace

bool AddressSpaceLimitSupported() { return !kSanitized; }

void ApplyAddressSpaceLimit(uint64_t mib) {
  if (!AddressSpaceLimitSupported()) return;
  struct rlimit limit {};
  if (getrlimit(RLIMIT_AS, &limit) != 0) return;
  const rlim_t wanted = mib == 0 ? limit.rlim_max : static_cast<rlim_t>(mib) << 20;
  limit.rlim_cur =
      limit.rlim_max != RLIM_INFINITY && wanted > limit.rlim_max ? limit.rlim_max : wanted;
  if (setrlimit(RLIMIT_AS, &limit) == 0) applied_mib.store(mib);
}

uint64_t AddressSpaceLimitMib() { return applied_mib.load(); }

}  // namespace laplace::properties
