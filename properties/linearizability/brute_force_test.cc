// Proves the checker's verdicts equal a brute-force search's (every order of every subset of the
// info operations, respecting real time) on thousands of random small histories of each model.
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loop/prng.h"
#include "properties/linearizability/checker.h"
#include "properties/linearizability/history.h"
#include "properties/linearizability/models.h"

namespace laplace::linearizability {
namespace {

// The definition, searched naively: place any operation whose real-time
// predecessors (ok operations that completed before it was invoked) are all
// placed and that the model accepts; info operations may also never be
// placed; succeed when every ok operation is.
template <typename M>
bool BruteForce(const M& model, const std::vector<Operation>& ops, std::vector<bool>& placed,
                const typename M::State& state, size_t ok_left) {
  if (ok_left == 0) return true;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (placed[i] || ops[i].outcome == Outcome::kFail) continue;
    bool ready = true;
    for (size_t j = 0; j < ops.size() && ready; ++j) {
      ready = placed[j] || !ops[j].known() || ops[j].completed > ops[i].invoked;
    }
    if (!ready) continue;
    std::optional<typename M::State> next = model.Step(state, ops[i]);
    if (!next.has_value()) continue;
    placed[i] = true;
    bool found = BruteForce(model, ops, placed, *next, ok_left - (ops[i].known() ? 1 : 0));
    placed[i] = false;
    if (found) return true;
  }
  return false;
}

template <typename M>
bool BruteForceLinearizable(const M& model, const std::vector<Operation>& ops) {
  std::vector<bool> placed(ops.size(), false);
  size_t ok = 0;
  for (const Operation& op : ops) ok += op.known() ? 1 : 0;
  return BruteForce(model, ops, placed, model.Init(), ok);
}

// An operation drawn for a model: function, argument and a plausible result.
struct Draw {
  std::string f;
  Value input;
  Value output;
  Value key;
};

Value Small(Prng& prng) { return Value(static_cast<int64_t>(prng.Below(3))); }
Value MaybeNil(Prng& prng) { return prng.Below(4) == 0 ? Value() : Small(prng); }

Draw DrawRegister(Prng& prng, bool cas) {
  switch (prng.Below(cas ? 3 : 2)) {
    case 0:
      return {"read", {}, MaybeNil(prng), {}};
    case 1: {
      Value v = Small(prng);
      return {"write", v, v, {}};
    }
    default: {
      Value from_to = Value::List({Small(prng), Small(prng)});
      return {"cas", from_to, from_to, {}};
    }
  }
}

Draw DrawKv(Prng& prng) {
  Value key = static_cast<int64_t>(prng.Below(2));
  switch (prng.Below(3)) {
    case 0: {
      Value read = prng.Below(3) == 0 ? Value::List({Small(prng)}) : MaybeNil(prng);
      return {"get", {}, read, key};
    }
    case 1: {
      Value v = Small(prng);
      return {"put", v, v, key};
    }
    default: {
      Value v = Small(prng);
      return {"append", v, v, key};
    }
  }
}

Draw DrawSet(Prng& prng) {
  switch (prng.Below(3)) {
    case 0: {
      std::vector<Value> read;
      for (int64_t v = 0; v < 3; ++v) {
        if (prng.Below(2) == 0) read.push_back(v);
      }
      return {"read", {}, Value::List(read), {}};
    }
    case 1: {
      Value v = Small(prng);
      return {"add", v, v, {}};
    }
    default: {
      Value v = Small(prng);
      return {"remove", v, v, {}};
    }
  }
}

Draw DrawQueue(Prng& prng) {
  if (prng.Below(2) == 0) return {"dequeue", {}, MaybeNil(prng), {}};
  Value v = Small(prng).integer() + 1;
  return {"enqueue", v, v, {}};
}

// A random well-formed history of up to `ops_max` operations by up to three
// processes, with ok, fail and info completions and a few never completed.
template <typename DrawOp>
History RandomHistory(Prng& prng, size_t ops_max, DrawOp draw) {
  History history;
  size_t ops = 1 + prng.Below(ops_max);
  std::vector<std::optional<std::pair<OpId, Draw>>> pending(3);
  size_t invoked = 0;
  while (true) {
    size_t p = prng.Below(3);
    if (!pending[p].has_value()) {
      if (invoked == ops) {
        bool any = false;
        for (const auto& open : pending) any = any || open.has_value();
        if (!any || prng.Below(8) == 0) break;  // the rest never complete
        continue;
      }
      Draw d = draw(prng);
      OpId id = history.Invoke({static_cast<Process>(p), d.f, d.input, d.key});
      pending[p] = std::pair{id, d};
      ++invoked;
      continue;
    }
    auto [id, d] = *pending[p];
    uint64_t outcome = prng.Below(8);
    if (outcome == 0) {
      history.Info(id);
    } else if (outcome == 1) {
      history.Fail(id);
    } else {
      history.Ok(id, d.output);
    }
    pending[p].reset();
  }
  return history;
}

// Compares Check(model) with the brute force over `reference` (the same
// model, or an equivalent one).
template <typename M, typename DrawOp, typename R = M>
void CompareOnRandomHistories(const M& model, DrawOp draw, uint64_t seed, const R& reference = {}) {
  Prng prng(seed);
  int linearizable = 0;
  int not_linearizable = 0;
  for (int i = 0; i < 3000; ++i) {
    History history = RandomHistory(prng, 7, draw);
    absl::StatusOr<std::vector<Operation>> ops = history.Operations();
    ASSERT_TRUE(ops.ok()) << ops.status();
    ASSERT_TRUE(ValidateOperations(*ops, model).ok());
    bool expected = BruteForceLinearizable(reference, *ops);
    CheckResult result = Check(*ops, model);
    ASSERT_NE(result.verdict, Verdict::kUnknown);
    ASSERT_EQ(result.verdict == Verdict::kLinearizable, expected) << "history " << i << ":\n"
                                                                  << history.ToEdn();
    (expected ? linearizable : not_linearizable)++;
  }
  // Both verdicts are well represented, so the comparison means something.
  EXPECT_GT(linearizable, 300);
  EXPECT_GT(not_linearizable, 300);
}

TEST(BruteForce, RegisterVerdictsAgreeOnThousandsOfRandomHistories) {
  CompareOnRandomHistories(
      RegisterModel{}, [](Prng& p) { return DrawRegister(p, false); }, 1);
}

TEST(BruteForce, CasRegisterVerdictsAgreeOnThousandsOfRandomHistories) {
  CompareOnRandomHistories(
      CasRegisterModel{}, [](Prng& p) { return DrawRegister(p, true); }, 2);
}

TEST(BruteForce, KvVerdictsAgreeOnThousandsOfRandomHistories) {
  // The brute force checks the whole map at once (KvModel's state is one
  // key's, so it runs per key), which also checks P-compositionality.
  struct WholeMap {
    using State = std::vector<std::pair<Value, Value>>;  // sorted by key
    State Init() const { return {}; }
    std::optional<State> Step(const State& state, const Operation& op) const {
      State next = state;
      auto it = next.begin();
      while (it != next.end() && it->first < op.key) ++it;
      if (it == next.end() || it->first != op.key) it = next.insert(it, {op.key, Value()});
      std::optional<Value> value = KvModel{}.Step(it->second, op);
      if (!value.has_value()) return std::nullopt;
      it->second = *value;
      if (it->second.is_nil()) next.erase(it);
      return next;
    }
  };
  CompareOnRandomHistories(KvModel{}, DrawKv, 3, WholeMap{});
}

TEST(BruteForce, SetVerdictsAgreeOnThousandsOfRandomHistories) {
  CompareOnRandomHistories(SetModel{}, DrawSet, 5);
}

TEST(BruteForce, QueueVerdictsAgreeOnThousandsOfRandomHistories) {
  CompareOnRandomHistories(QueueModel{}, DrawQueue, 6);
}

}  // namespace
}  // namespace laplace::linearizability
