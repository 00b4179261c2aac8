// Proves IntrusiveList keeps FIFO order (and can put an element first), unlinks from anywhere in
// O(1) links, and orphans what is left on it when destroyed.
#include "base/intrusive_list.h"

#include <vector>

#include "gtest/gtest.h"

namespace laplace::internal {
namespace {

struct Item : IntrusiveLink<Item> {
  explicit Item(int id) : id(id) {}
  int id;
};

std::vector<int> Drain(IntrusiveList<Item>& list) {
  std::vector<int> ids;
  while (Item* item = list.PopFront()) ids.push_back(item->id);
  return ids;
}

TEST(IntrusiveList, PopsInTheOrderElementsWerePushed) {
  IntrusiveList<Item> list;
  Item a(1), b(2), c(3);
  EXPECT_TRUE(list.empty());
  list.PushBack(&a);
  list.PushBack(&b);
  list.PushBack(&c);
  EXPECT_EQ(list.front(), &a);
  EXPECT_EQ(Drain(list), (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.PopFront(), nullptr);
}

TEST(IntrusiveList, PushFrontMakesAnElementTheOldest) {
  IntrusiveList<Item> list;
  Item a(1), b(2), c(3);
  list.PushFront(&b);  // onto an empty list: head and tail
  list.PushBack(&c);
  list.PushFront(&a);
  EXPECT_EQ(list.front(), &a);
  EXPECT_EQ(Drain(list), (std::vector<int>{1, 2, 3}));
}

TEST(IntrusiveList, RemovesTheHeadTheTailOrAnElementInBetween) {
  IntrusiveList<Item> list;
  Item a(1), b(2), c(3), d(4);
  for (Item* item : {&a, &b, &c, &d}) list.PushBack(item);
  list.Remove(&b);
  EXPECT_FALSE(b.linked());
  list.Remove(&a);
  list.Remove(&d);
  EXPECT_EQ(list.front(), &c);
  EXPECT_EQ(list.next(&c), nullptr);
  list.PushBack(&a);  // a removed element may join again
  EXPECT_EQ(list.next(&c), &a);
  EXPECT_EQ(Drain(list), (std::vector<int>{3, 1}));
}

TEST(IntrusiveList, AnElementKnowsWhichListItIsOn) {
  IntrusiveList<Item> first, second;
  Item a(1);
  EXPECT_FALSE(a.linked());
  EXPECT_EQ(a.list(), nullptr);
  first.PushBack(&a);
  EXPECT_TRUE(a.linked());
  EXPECT_EQ(a.list(), &first);
  first.Remove(&a);
  second.PushBack(&a);
  EXPECT_EQ(a.list(), &second);
  second.Clear();
  EXPECT_FALSE(a.linked());
}

TEST(IntrusiveList, DestroyingAListUnlinksWhatIsLeftOnIt) {
  Item a(1), b(2);
  {
    IntrusiveList<Item> list;
    list.PushBack(&a);
    list.PushBack(&b);
  }
  EXPECT_FALSE(a.linked());
  EXPECT_FALSE(b.linked());
}

TEST(IntrusiveListDeathTest, AnElementOnOneListCannotJoinAnother) {
  IntrusiveList<Item> first, second;
  Item a(1);
  first.PushBack(&a);
  EXPECT_DEATH(second.PushBack(&a), "one list at a time");
  EXPECT_DEATH(second.Remove(&a), "on another list");
  first.Clear();
}

}  // namespace
}  // namespace laplace::internal
