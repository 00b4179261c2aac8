// The vault and its typists (see rare_bug.h).
#include "tests/rare_bug.h"

#include <array>
#include <utility>

#include "loop/task.h"

namespace laplace::tests {
namespace {

constexpr std::array<int, kCodeLength> kCode = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1,
                                                1, 0, 0, 1, 0, 1, 1, 0, 1, 0};

// Whether `digit` is digit K of the code. One function per position, never
// inlined, so that each digit typed right reaches code of its own: a switch of
// look-alike comparisons would be folded into one table lookup by the
// optimizer, and coverage would see no progress.
template <int K>
[[gnu::noinline]] bool IsDigit(int digit) {
  return digit == kCode[K];
}

template <int... K>
constexpr std::array<bool (*)(int), kCodeLength> StageChecks(std::integer_sequence<int, K...>) {
  return {&IsDigit<K>...};
}

class Vault {
 public:
  // One digit on the keypad. A wrong digit jams the vault for the run.
  void Type(int digit) {
    if (matched_ < 0 || matched_ >= kCodeLength) return;
    static constexpr std::array<bool (*)(int), kCodeLength> kStages =
        StageChecks(std::make_integer_sequence<int, kCodeLength>());
    matched_ = kStages[matched_](digit) ? matched_ + 1 : -1;
  }
  bool open() const { return matched_ == kCodeLength; }

 private:
  int matched_ = 0;  // digits of the code typed so far; -1 once jammed
};

Task<> Typist(Loop& loop, Vault& vault, int digit) {
  for (int i = 0; i < kCodeLength; ++i) {
    vault.Type(digit);
    co_await loop.Yield();
  }
}

}  // namespace

void TypeAtTheVault(properties::Simulation& sim) {
  Vault vault;
  sim.AddInvariant("vault-stays-locked", [&vault] { return !vault.open(); });
  sim.loop().Spawn(Typist(sim.loop(), vault, 0), "zero");
  sim.loop().Spawn(Typist(sim.loop(), vault, 1), "one");
  sim.Run();
}

Tape TheVaultsCode() {
  // The first choice picks who starts ("zero" is first in the ready queue);
  // each later one keeps the typist that just yielded (0) or switches (1).
  Tape tape = {{ChoiceKind::kSchedule, 2, static_cast<uint64_t>(kCode[0])}};
  for (int i = 1; i < kCodeLength; ++i) {
    tape.push_back({ChoiceKind::kSchedule, 2, kCode[i] != kCode[i - 1] ? 1u : 0u});
  }
  return tape;
}

}  // namespace laplace::tests
