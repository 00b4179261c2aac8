// IntrusiveList<T>: a doubly linked FIFO list whose elements carry their own links, so linking
// and unlinking never allocate and an element leaves the list in O(1) from anywhere in it.
//
// Laplace keeps three kinds of things on such lists: waiters, which live in coroutine frames
// and must leave their wait list when a frame is destroyed; the objects bound to a Loop, which
// the Loop detaches if it dies first; and the network's messages in flight. An element derives
// from IntrusiveLink<T> and is on at most one list at a time; the list does not own it.
// Destroying a list unlinks whatever is still on it (front first) and touches nothing else.
//
//   struct Waiter : laplace::internal::IntrusiveLink<Waiter> {
//     int id = 0;
//   };
//   laplace::internal::IntrusiveList<Waiter> waiters;
//   Waiter a, b;
//   waiters.PushBack(&a);
//   waiters.PushBack(&b);
//   waiters.Remove(&a);                  // O(1), wherever `a` is
//   Waiter* first = waiters.PopFront();  // &b, and the list is empty again
#ifndef LAPLACE_BASE_INTRUSIVE_LIST_H_
#define LAPLACE_BASE_INTRUSIVE_LIST_H_

#include "base/check.h"

namespace laplace::internal {

template <typename T>
class IntrusiveList;

// The links an element of an IntrusiveList<T> carries. T derives from it (privately, with
// IntrusiveList<T> as a friend, where the links must stay out of T's interface).
template <typename T>
class IntrusiveLink {
 public:
  IntrusiveLink() = default;
  IntrusiveLink(const IntrusiveLink&) = delete;
  IntrusiveLink& operator=(const IntrusiveLink&) = delete;

  // Whether the element is on a list, and which one (null when it is on none).
  bool linked() const { return list_ != nullptr; }
  IntrusiveList<T>* list() const { return list_; }

 protected:
  // An element that may die while linked unlinks itself in its own destructor; the list never
  // destroys elements, hence no virtual destructor here.
  ~IntrusiveLink() = default;

 private:
  friend class IntrusiveList<T>;
  T* prev_ = nullptr;
  T* next_ = nullptr;
  IntrusiveList<T>* list_ = nullptr;
};

template <typename T>
class IntrusiveList {
 public:
  IntrusiveList() = default;
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;
  ~IntrusiveList() { Clear(); }

  bool empty() const { return head_ == nullptr; }
  // The oldest element, or null.
  T* front() const { return head_; }
  // The element after `element` (one on this list), or null after the newest.
  T* next(const T* element) const {
    const IntrusiveLink<T>& link = *element;
    LAPLACE_CHECK(link.list_ == this) << "the element is on another list, or on none";
    return link.next_;
  }

  // Appends `element`. Requires it to be on no list.
  void PushBack(T* element) {
    IntrusiveLink<T>& link = Link(element);
    LAPLACE_CHECK(!link.linked()) << "an element can be on one list at a time";
    link.list_ = this;
    link.prev_ = tail_;
    link.next_ = nullptr;
    if (tail_ != nullptr) {
      Link(tail_).next_ = element;
    } else {
      head_ = element;
    }
    tail_ = element;
  }

  // Prepends `element` (it becomes the oldest). Requires it to be on no list.
  void PushFront(T* element) {
    IntrusiveLink<T>& link = Link(element);
    LAPLACE_CHECK(!link.linked()) << "an element can be on one list at a time";
    link.list_ = this;
    link.prev_ = nullptr;
    link.next_ = head_;
    if (head_ != nullptr) {
      Link(head_).prev_ = element;
    } else {
      tail_ = element;
    }
    head_ = element;
  }

  // Unlinks `element`. Requires it to be on this list.
  void Remove(T* element) {
    IntrusiveLink<T>& link = Link(element);
    LAPLACE_CHECK(link.list_ == this) << "the element is on another list, or on none";
    (link.prev_ != nullptr ? Link(link.prev_).next_ : head_) = link.next_;
    (link.next_ != nullptr ? Link(link.next_).prev_ : tail_) = link.prev_;
    link.prev_ = link.next_ = nullptr;
    link.list_ = nullptr;
  }

  // Unlinks and returns the oldest element, or returns null when the list is empty.
  T* PopFront() {
    T* element = head_;
    if (element != nullptr) Remove(element);
    return element;
  }

  // Unlinks every element, oldest first.
  void Clear() {
    while (PopFront() != nullptr) {
    }
  }

 private:
  static IntrusiveLink<T>& Link(T* element) { return *element; }

  T* head_ = nullptr;
  T* tail_ = nullptr;
};

}  // namespace laplace::internal

#endif  // LAPLACE_BASE_INTRUSIVE_LIST_H_
