#include "sim/world.h"

#include <utility>

#include "base/check.h"
#include "base/strings.h"
#include "loop/ratio.h"

namespace laplace::sim {

World::World(Loop& loop, WorldOptions options)
    : loop_(&loop),
      options_(options),
      network_(loop, options.network),
      buggify_(loop, options.buggify) {}

World::~World() {
  // Node tasks hold sockets and disk references: end them while both exist.
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
    loop_->CancelGroup((*it)->id(), absl::CancelledError("the World was destroyed"));
  }
}

Node& World::AddNode(std::string name, StartRoutine start) {
  const auto id = static_cast<NodeId>(nodes_.size() + 1);
  LAPLACE_CHECK(ids_by_name_.emplace(name, id).second) << "two nodes named '" << name << "'";
  nodes_.push_back(std::make_unique<Node>(*loop_, network_, buggify_, id, std::move(name),
                                          std::move(start), options_.disk, options_.clock));
  Node& added = *nodes_.back();
  added.Start();
  return added;
}

Node& World::node(NodeId id) const {
  LAPLACE_CHECK(id >= 1 && id <= nodes_.size()) << "no node " << id;
  return *nodes_[id - 1];
}

Node* World::FindNode(std::string_view name) const {
  auto it = ids_by_name_.find(name);
  return it == ids_by_name_.end() ? nullptr : nodes_[it->second - 1].get();
}

std::vector<NodeId> World::node_ids() const {
  std::vector<NodeId> ids;
  for (const std::unique_ptr<Node>& node : nodes_) ids.push_back(node->id());
  return ids;
}

void World::Quiesce() {
  if (!quiesced_) loop_->Note("world quiesced: faults off, partitions healed, nodes back up");
  quiesced_ = true;
  NetworkOptions network = network_.options();
  network.drop_ratio = Ratio{};
  network.duplicate_ratio = Ratio{};
  network_.set_options(network);
  network_.HealAll();
  buggify_.set_enabled(false);
  for (const std::unique_ptr<Node>& node : nodes_) {
    DiskOptions disk = node->disk().options();
    disk.read_error_ratio = Ratio{};
    disk.torn_write_ratio = Ratio{};
    disk.corruption_ratio = Ratio{};
    node->disk().set_options(disk);
    if (node->state() == NodeState::kCrashed) node->Restart();
    if (node->state() == NodeState::kPaused) node->Resume();
  }
}

}  // namespace laplace::sim
