// Counted: a value that records its constructions, copies, moves and destructions in a Counts
// the test owns, for lifetime tests (after cppcoro's `counted`). A Counted parameter or local
// lives in its coroutine frame, so `alive()` says how many frames (or queued items) are left;
// the counts are per test, with no global state to reset.
//
//   laplace::testing::Counts counts;  // declared before the Loop, so it outlives every frame
//   {
//     laplace::testing::Counted a(counts);
//     laplace::testing::Counted b = a;
//     EXPECT_EQ(counts.alive(), 2);
//   }
//   EXPECT_EQ(counts.alive(), 0);
//   EXPECT_EQ(counts.copied, 1);
#ifndef LAPLACE_LOOP_TESTING_COUNTED_H_
#define LAPLACE_LOOP_TESTING_COUNTED_H_

namespace laplace::testing {

// What every Counted made from it went through. Must outlive them all.
struct Counts {
  int constructed = 0;  // every construction: from a Counts, copies and moves included
  int copied = 0;
  int moved = 0;
  int destroyed = 0;

  // Constructed and not yet destroyed.
  int alive() const { return constructed - destroyed; }
};

// Counts itself in the Counts it was made from; copies and moves count in the same one.
// Assignable, because Queue<Counted> assigns its items through absl::StatusOr; an assignment
// neither constructs nor destroys, so it changes no count.
class Counted {
 public:
  explicit Counted(Counts& counts) : counts_(&counts) { ++counts_->constructed; }
  Counted(const Counted& other) : counts_(other.counts_) {
    ++counts_->constructed;
    ++counts_->copied;
  }
  Counted(Counted&& other) noexcept : counts_(other.counts_) {
    ++counts_->constructed;
    ++counts_->moved;
  }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) noexcept = default;
  ~Counted() { ++counts_->destroyed; }

 private:
  Counts* counts_;
};

}  // namespace laplace::testing

#endif  // LAPLACE_LOOP_TESTING_COUNTED_H_
