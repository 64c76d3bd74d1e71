// libFuzzer target: Calico label selectors (nodeSelector, peerSelector), parsed and matched
// against fixed label sets. Besides "never crash", the canonical text must parse back to a
// selector with the same text that matches the same sets.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "daemon/intent/selector.hpp"

using namespace tern::intent;

namespace {

const std::array<Labels, 4>& label_sets() {
  static const std::array<Labels, 4> sets = {{
      {},
      {{"rack", "rack-1"}, {"role", "worker"}, {"zone", "eu-1a"}},
      {{"kubernetes.io/hostname", "node-a"}, {"route-reflector", "true"}, {"has", "in"}},
      {{"a", ""}, {"b", "x"}, {"in", "in"}, {"all", "y"}},
  }};
  return sets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = Selector::parse(text);
  if (auto* error = std::get_if<SelectorError>(&parsed)) {
    if (error->position > size) std::abort();
    (void)error->to_string();
    return 0;
  }
  const auto& first = std::get<Selector>(parsed);
  const std::string canonical = first.to_string();
  auto reparsed = Selector::parse(canonical);
  const auto* second = std::get_if<Selector>(&reparsed);
  if (second == nullptr || second->to_string() != canonical) std::abort();
  for (const auto& labels : label_sets()) {
    if (first.matches(labels) != second->matches(labels)) std::abort();
  }
  return 0;
}
