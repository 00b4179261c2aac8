#include "examples/bank/bank_property.h"

#include <string>

#include "base/strings.h"

namespace laplace::examples {
namespace {

Task<> Client(Loop& loop, Bank& bank, int transfers) {
  for (int i = 0; i < transfers; ++i) {
    int from = static_cast<int>(loop.Choose(bank.accounts()));
    int to = static_cast<int>(loop.Choose(bank.accounts()));
    int64_t amount = 1 + static_cast<int64_t>(loop.Choose(50));
    (void)co_await bank.Transfer(from, to, amount);
  }
}

}  // namespace

void CheckTransfers(properties::Simulation& sim, const BankScenario& scenario) {
  Loop& loop = sim.loop();
  Bank bank(loop, scenario.bank);
  const int64_t expected = bank.total();
  sim.AddInvariantStatus("money-conserved", [&bank, expected] {
    int64_t held = bank.total() + bank.in_flight();
    if (held == expected) return absl::OkStatus();
    return absl::InternalError(internal::Cat("the bank holds ", held, " (balances ", bank.total(),
                                             " + in flight ", bank.in_flight(), "), expected ",
                                             expected));
  });
  for (int c = 0; c < scenario.clients; ++c) {
    loop.Spawn(Client(loop, bank, scenario.transfers_per_client), internal::Cat("client-", c));
  }
  sim.Run();
}

}  // namespace laplace::examples
