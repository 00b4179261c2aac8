// Counted: a value type that counts its constructions, copies, moves and
// destructions, for lifetime tests (after cppcoro's `counted`).
//
//   laplace::testing::Counted::Reset();
//   { laplace::testing::Counted a; laplace::testing::Counted b = a; }
//   EXPECT_EQ(laplace::testing::Counted::alive(), 0);
//   EXPECT_EQ(laplace::testing::Counted::copies, 1);
#ifndef LAPLACE_LOOP_TESTING_COUNTED_H_
#define LAPLACE_LOOP_TESTING_COUNTED_H_

namespace laplace::testing {

struct Counted {
  static inline int default_constructions = 0;
  static inline int copies = 0;
  static inline int moves = 0;
  static inline int destructions = 0;

  static void Reset() { default_constructions = copies = moves = destructions = 0; }
  static int constructions() { return default_constructions + copies + moves; }
  // Objects constructed and not yet destroyed.
  static int alive() { return constructions() - destructions; }

  Counted() { ++default_constructions; }
  Counted(const Counted&) { ++copies; }
  Counted(Counted&& other) noexcept {
    ++moves;
    other.moved_from = true;
  }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) = default;
  ~Counted() { ++destructions; }

  bool moved_from = false;
};

}  // namespace laplace::testing

#endif  // LAPLACE_LOOP_TESTING_COUNTED_H_
