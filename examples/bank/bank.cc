#include "examples/bank/bank.h"

#include <string>
#include <utility>

#include "base/strings.h"

namespace laplace::examples {

using namespace std::chrono_literals;

Bank::Bank(Loop& loop, BankOptions options)
    : loop_(loop), options_(options), balances_(options.accounts, options.initial_balance) {
  for (int i = 0; i < options.accounts; ++i) {
    locks_.push_back(std::make_unique<Lock>(loop, internal::Cat("account-", i)));
  }
}

int64_t Bank::total() const {
  int64_t sum = 0;
  for (int64_t balance : balances_) sum += balance;
  return sum;
}

Task<> Bank::StorageRoundTrip() {
  // 1 to 3 ms, a delay choice (0 = the fastest).
  co_await loop_.Sleep(1ms + 1ms * static_cast<int64_t>(loop_.Choose(3, ChoiceKind::kDelay)));
}

Task<int64_t> Bank::Read(int account) {
  int64_t value = balances_[account];  // the value as of the request
  loop_.Note(internal::Cat("read account ", account, " = ", value));
  co_await StorageRoundTrip();
  co_return value;
}

Task<> Bank::Write(int account, int64_t value) {
  co_await StorageRoundTrip();
  balances_[account] = value;
  loop_.Note(internal::Cat("wrote account ", account, " = ", value));
}

Task<absl::Status> Bank::Transfer(int from, int to, int64_t amount) {
  if (from == to) co_return absl::OkStatus();
  LockGuard first, second;
  if (options_.fixed) {
    // Lock in account order so two transfers never wait on each other.
    first = co_await locks_[std::min(from, to)]->Acquire();
    second = co_await locks_[std::max(from, to)]->Acquire();
  }
  // The bug: another transfer can change an account between our Read and
  // our Write, and our Write then erases its update.
  int64_t from_balance = co_await Read(from);
  if (from_balance < amount) {
    co_return absl::FailedPreconditionError(internal::Cat("account ", from, " has ", from_balance));
  }
  co_await Write(from, from_balance - amount);
  in_flight_ += amount;
  int64_t to_balance = co_await Read(to);
  co_await Write(to, to_balance + amount);
  in_flight_ -= amount;
  co_return absl::OkStatus();
}

}  // namespace laplace::examples
