#include "sim/buggify.h"

#include "base/strings.h"

namespace laplace::sim {

using ::laplace::internal::Cat;

Buggify::Buggify(Loop& loop, BuggifyOptions options) : loop_(&loop), options_(options) {}

bool Buggify::Fire(SourceLocation where) {
  if (!options_.enabled) return false;
  auto [it, first] = sites_.try_emplace({std::string_view(where.file_name()), where.line()});
  Site& site = it->second;
  if (first) {
    site.stream = Cat("buggify ", where.file_name(), ":", where.line());
    site.stream_id = Stream::Named(site.stream).id;
  }
  const Stream stream{site.stream_id, site.stream, 0};
  if (first) {
    site.on = Roll(*loop_, options_.site_on_ratio, ChoiceKind::kFault, stream);
    loop_->Note(Cat("buggify ", where.file_name(), ":", where.line(), " switched ",
                    site.on ? "on" : "off", " for this run"));
  }
  ++site.reached;
  if (!site.on || !Roll(*loop_, options_.fire_ratio, ChoiceKind::kFault, stream)) return false;
  ++site.fired;
  loop_->CountFault("buggify");
  loop_->Note(Cat("buggify ", where.file_name(), ":", where.line(), " fires"));
  return true;
}

void Buggify::set_enabled(bool enabled) {
  if (options_.enabled == enabled) return;
  options_.enabled = enabled;
  loop_->Note(enabled ? "buggify enabled" : "buggify disabled");
}

std::vector<BuggifySite> Buggify::sites() const {
  std::vector<BuggifySite> result;
  for (const auto& [key, site] : sites_) {
    result.push_back(BuggifySite{.file = std::string(key.first),
                                 .line = key.second,
                                 .on = site.on,
                                 .reached = site.reached,
                                 .fired = site.fired});
  }
  return result;
}

}  // namespace laplace::sim
