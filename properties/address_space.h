// The harness's own address-space limit: an allocation runaway ends as a failure, not the OOM
// killer.
//
// A program that allocates without bound (a task keeping 1 MiB per step) would otherwise run
// until the system's OOM killer ends the process with no report. The pipeline sets the
// process's soft RLIMIT_AS to the limit of its settings (LAPLACE_ADDRESS_SPACE_MIB, default
// kDefaultAddressSpaceMib); past it `new` throws std::bad_alloc, which a run reports as
// `budget:address space` (failure.h). Replay files record the limit the run had, and a replay
// applies it again. Sanitizer builds reserve terabytes of shadow memory, so there the limit is
// never applied (AddressSpaceLimitSupported()).
//
//   ApplyAddressSpaceLimit(4096);         // 4 GiB from now on (0: no limit of Laplace's)
//   uint64_t mib = AddressSpaceLimitMib();  // 4096
#ifndef LAPLACE_PROPERTIES_ADDRESS_SPACE_H_
#define LAPLACE_PROPERTIES_ADDRESS_SPACE_H_

#include <cstdint>

namespace laplace::properties {

// The default limit: far above what Laplace's own tests use, well below a machine's memory.
inline constexpr uint64_t kDefaultAddressSpaceMib = 8192;

// False in ASan/MSan/TSan builds, where a limit on the address space breaks the sanitizer.
bool AddressSpaceLimitSupported();

// Sets the soft RLIMIT_AS to `mib` MiB (0: back to the hard limit) and remembers it. A no-op
// where unsupported. Never above the hard limit (it is clamped there).
void ApplyAddressSpaceLimit(uint64_t mib);

// The limit last applied by Laplace in this process, in MiB; 0 if none is in force.
uint64_t AddressSpaceLimitMib();

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_ADDRESS_SPACE_H_
