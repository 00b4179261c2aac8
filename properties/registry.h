// The property registry: every LAPLACE_PROPERTY in a binary, by name.
//
// LAPLACE_PROPERTY (property.h) registers its property here when the binary
// starts, as GoogleTest registers its tests, so code other than its
// GoogleTest test can run it: the libFuzzer main of laplace_fuzz_test
// (fuzz_main.cc) finds the property it fuzzes by name.
//
//   std::optional<RegisteredProperty> found = FindProperty("Bank.UnlockedTransfersLoseMoney");
//   if (found) RunProperty(found->property, found->options);
#ifndef LAPLACE_PROPERTIES_REGISTRY_H_
#define LAPLACE_PROPERTIES_REGISTRY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "properties/pipeline.h"

namespace laplace::properties {

// A property and the options it was written with.
struct RegisteredProperty {
  Property property;
  PropertyOptions options;
};

// Makes a registered property (called on lookup, so the options expression
// is evaluated then, not at start-up).
using PropertyFactory = RegisteredProperty (*)();

// Registers `factory` under `name` ("Suite.Test"); returns true, for use as
// a static initializer. Registering one name twice is a programmer error.
bool RegisterProperty(const char* name, PropertyFactory factory);

// The property registered as `name`, made now; nullopt if there is none.
std::optional<RegisteredProperty> FindProperty(std::string_view name);

// Every registered name, sorted.
std::vector<std::string> RegisteredPropertyNames();

}  // namespace laplace::properties

#endif  // LAPLACE_PROPERTIES_REGISTRY_H_
