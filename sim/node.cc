#include "sim/node.h"

#include <utility>

#include "base/check.h"

namespace laplace::sim {

using ::laplace::internal::Cat;

std::string_view NodeStateName(NodeState state) {
  switch (state) {
    case NodeState::kUp:
      return "up";
    case NodeState::kPaused:
      return "paused";
    case NodeState::kCrashed:
      return "crashed";
  }
  return "unknown";
}

Node::Node(Loop& loop, Network& network, Buggify& buggify, NodeId id, std::string name,
           StartRoutine start, const DiskOptions& disk_options, const ClockOptions& clock_options)
    : loop_(&loop),
      network_(&network),
      buggify_(&buggify),
      id_(id),
      name_(std::move(name)),
      start_(std::move(start)),
      disk_(loop, name_, disk_options),
      clock_(NodeClock::Draw(loop, clock_options, Stream::Named(Cat("clock ", name_)))) {
  LAPLACE_CHECK(id >= 1) << "node ids start at 1 (group 0 is 'no node')";
  LAPLACE_CHECK(start_ != nullptr) << "node " << name_ << " needs a start routine";
  network_->AddHost(id_, name_);
  if (clock_.offset() != Duration(0) || clock_.drift_ppm() != 0) {
    loop_->Note(Cat(name_, " clock: ", clock_.Describe()));
  }
}

void Node::Start() {
  LAPLACE_CHECK(!started_) << name_ << " started twice; use Restart after a crash";
  started_ = true;
  Spawn(start_(*this), "main", /*daemon=*/true);
}

void Node::Crash() {
  LAPLACE_CHECK(state_ != NodeState::kCrashed) << name_ << " crashed while already down";
  const bool was_paused = state_ == NodeState::kPaused;
  state_ = NodeState::kCrashed;
  loop_->Note(Cat(name_, " crashed (incarnation ", incarnation_, ")"));
  // Network first, so the note counts what was still queued in mailboxes.
  network_->CrashHost(id_);
  loop_->CancelGroup(id_, absl::UnavailableError(Cat(name_, " crashed")));
  if (was_paused) loop_->ResumeGroup(id_);  // the group is empty; unpause it for the restart
  disk_.Crash();
}

void Node::Restart() {
  LAPLACE_CHECK(state_ == NodeState::kCrashed)
      << name_ << " restarted while " << NodeStateName(state_);
  state_ = NodeState::kUp;
  ++incarnation_;
  network_->RestartHost(id_);
  loop_->Note(Cat(name_, " restarted (incarnation ", incarnation_, ")"));
  Spawn(start_(*this), "main", /*daemon=*/true);
}

void Node::Pause() {
  LAPLACE_CHECK(state_ == NodeState::kUp) << name_ << " paused while " << NodeStateName(state_);
  state_ = NodeState::kPaused;
  loop_->PauseGroup(id_);
  loop_->Note(Cat(name_, " paused"));
}

void Node::Resume() {
  LAPLACE_CHECK(state_ == NodeState::kPaused)
      << name_ << " resumed while " << NodeStateName(state_);
  state_ = NodeState::kUp;
  loop_->ResumeGroup(id_);
  loop_->Note(Cat(name_, " resumed"));
}

}  // namespace laplace::sim
