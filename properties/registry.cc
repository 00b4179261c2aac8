// The property registry (see registry.h).
#include "properties/registry.h"

#include <map>

#include "base/check.h"

namespace laplace::properties {
namespace {

// Filled by static initializers before main, read after: like GoogleTest's
// own test registry, the one global of this kind. Ordered by name.
std::map<std::string, PropertyFactory, std::less<>>& Registry() {
  static auto* registry = new std::map<std::string, PropertyFactory, std::less<>>();
  return *registry;
}

}  // namespace

bool RegisterProperty(const char* name, PropertyFactory factory) {
  LAPLACE_CHECK(factory != nullptr) << "no factory for " << name;
  const bool inserted = Registry().emplace(name, factory).second;
  LAPLACE_CHECK(inserted) << "two properties are named " << name;
  return true;
}

std::optional<RegisteredProperty> FindProperty(std::string_view name) {
  auto it = Registry().find(name);
  if (it == Registry().end()) return std::nullopt;
  return it->second();
}

std::vector<std::string> RegisteredPropertyNames() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : Registry()) names.push_back(name);
  return names;
}

}  // namespace laplace::properties
