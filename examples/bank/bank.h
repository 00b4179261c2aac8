// A bank with an atomicity violation across an await, and its fixed twin.
//
// Transfer() reads a balance from simulated storage, then writes the new
// balance back, each a round trip that suspends the task. Two concurrent
// transfers touching the same account can both read the old balance, and the
// later write erases the earlier one: money is created or destroyed. The
// fixed bank holds a per-account Lock (taken in account order, so two
// transfers cannot deadlock) across the whole read-await-write. The
// invariant: money is conserved, i.e. the balances plus the money in flight
// (debited, not yet credited) always add up to what the bank started with.
//
//   laplace::Loop loop({.seed = 3});
//   laplace::examples::Bank bank(loop, {.fixed = false});
//   loop.Spawn(bank.Transfer(0, 1, 10), "alice");
//   loop.Spawn(bank.Transfer(0, 2, 20), "bob");
//   loop.Run();
//   // Both read account 0 before either wrote it back, so one debit is lost:
//   // bank.total() is 310 or 320, not 300. The fixed bank ({.fixed = true}) keeps 300.
//
// bank_property.h checks random transfers (a BankScenario) as a Laplace property.
#ifndef LAPLACE_EXAMPLES_BANK_BANK_H_
#define LAPLACE_EXAMPLES_BANK_BANK_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace laplace::examples {

struct BankOptions {
  int accounts = 3;
  int64_t initial_balance = 100;
  // false: the buggy read-await-write; true: locked.
  bool fixed = false;
};

class Bank {
 public:
  Bank(Loop& loop, BankOptions options);

  // Moves `amount` from one account to another; kFailedPrecondition if the
  // source lacks the funds. Suspends for simulated storage round trips.
  Task<absl::Status> Transfer(int from, int to, int64_t amount);

  int64_t balance(int account) const { return balances_.at(account); }
  // The sum of the balances.
  int64_t total() const;
  // Money debited from one account and not yet credited to another.
  int64_t in_flight() const { return in_flight_; }
  int accounts() const { return static_cast<int>(balances_.size()); }

 private:
  Task<> StorageRoundTrip();
  // The balance as of the request, after a round trip.
  Task<int64_t> Read(int account);
  // Sets the balance after a round trip.
  Task<> Write(int account, int64_t value);

  Loop& loop_;
  BankOptions options_;
  std::vector<int64_t> balances_;
  int64_t in_flight_ = 0;
  std::vector<std::unique_ptr<Lock>> locks_;  // one per account (fixed bank)
};

// What bank_property.h's CheckTransfers runs: `clients` tasks, each making
// `transfers_per_client` random transfers on a bank made with `bank`.
struct BankScenario {
  BankOptions bank;
  int clients = 2;
  int transfers_per_client = 3;
};

}  // namespace laplace::examples

#endif  // LAPLACE_EXAMPLES_BANK_BANK_H_
