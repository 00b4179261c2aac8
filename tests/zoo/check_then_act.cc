// Check-then-act on a shared map: a session is opened for a user if the map has none, but the
// profile is fetched (an await) between the check and the insert, so two requests for the same
// user both open one. Fixed: claim the entry (try_emplace) before the await.
#include <map>
#include <string>

#include "properties/assertions.h"
#include "tests/zoo/zoo.h"

namespace laplace::zoo {
namespace {

struct Sessions {
  std::map<std::string, int> by_user;
  int opened = 0;
};

Task<> Open(Loop& loop, Sessions& sessions, std::string user, bool fixed) {
  if (fixed) {
    auto [entry, claimed] = sessions.by_user.try_emplace(user, 0);
    if (!claimed) co_return;
    co_await loop.Yield();  // fetching the profile
    entry->second = 1;
    ++sessions.opened;
    co_return;
  }
  if (sessions.by_user.contains(user)) co_return;
  co_await loop.Yield();  // fetching the profile
  sessions.by_user[user] = 1;
  ++sessions.opened;
}

void Run(properties::Simulation& sim, bool fixed) {
  Loop& loop = sim.loop();
  Sessions sessions;
  TaskSet tasks(loop);
  tasks.Spawn(Open(loop, sessions, "ada", fixed), "request-1");
  tasks.Spawn(Open(loop, sessions, "ada", fixed), "request-2");
  sim.Run();
  LAPLACE_ASSERT_EQ(sessions.opened, 1) << "one user, one session";
}

}  // namespace

ZooProgram CheckThenAct() {
  return {"check_then_act", "a map is checked, then (after an await) written on the check's word",
          1, [](properties::Simulation& sim) { Run(sim, false); },
          [](properties::Simulation& sim) { Run(sim, true); }};
}

}  // namespace laplace::zoo
