// The base of every object bound to a Loop (promises, locks, queues...).
// Private to loop/.
#ifndef LAPLACE_LOOP_INTERNAL_LOOP_OBJECT_H_
#define LAPLACE_LOOP_INTERNAL_LOOP_OBJECT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "base/intrusive_list.h"
#include "loop/ids.h"

namespace laplace {
class Loop;
}  // namespace laplace

namespace laplace::internal {

// Gives an object a per-Loop sequential id (so traces name it the same way in
// every run) and an optional label. The Loop keeps a list of live objects and
// detaches them when it is destroyed first, so an object that outlives its
// Loop fails a check when used instead of touching freed memory.
class LoopObject : private IntrusiveLink<LoopObject> {
 public:
  LoopObject(Loop& loop, WaitKind kind, std::string_view label);
  LoopObject(const LoopObject&) = delete;
  LoopObject& operator=(const LoopObject&) = delete;
  virtual ~LoopObject();

  // The Loop this object belongs to. Fails a check if the Loop is gone.
  Loop& loop() const {
    LAPLACE_CHECK(loop_ != nullptr)
        << WaitKindName(kind_) << " #" << id_ << " used after its Loop was destroyed";
    return *loop_;
  }
  bool has_loop() const { return loop_ != nullptr; }
  uint64_t object_id() const { return id_; }
  WaitKind kind() const { return kind_; }
  const std::string& label() const { return label_; }

  // One line for deadlock reports, e.g. "lock #4 'accounts' held by #2 alice".
  virtual std::string Describe() const;

 private:
  friend class ::laplace::Loop;
  friend class IntrusiveList<LoopObject>;  // the Loop's list of live objects
  Loop* loop_;
  uint64_t id_;
  WaitKind kind_;
  std::string label_;
};

}  // namespace laplace::internal

#endif  // LAPLACE_LOOP_INTERNAL_LOOP_OBJECT_H_
