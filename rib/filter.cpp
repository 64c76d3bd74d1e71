#include "rib/filter.hpp"

#include <algorithm>

namespace tern::rib {

bool within(const bgp::Prefix& p, const bgp::Prefix& cidr) {
  if (p.afi != cidr.afi || p.len < cidr.len) return false;
  const int whole = cidr.len / 8;
  if (!std::equal(cidr.b.begin(), cidr.b.begin() + whole, p.b.begin())) return false;
  const int rest = cidr.len % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (p.b[whole] & mask) == cidr.b[whole];
}

bool RouteFilter::accepts(const bgp::Prefix& p) const {
  for (const auto& r : rules)
    if (r.matches(p)) return r.accept;
  return default_accept;
}

bgp::PathAttributes RouteFilter::apply(bgp::PathAttributes a) const {
  if (add_communities.empty()) return a;
  auto& c = a.communities ? *a.communities : a.communities.emplace();
  c.insert(c.end(), add_communities.begin(), add_communities.end());
  std::sort(c.begin(), c.end());
  c.erase(std::unique(c.begin(), c.end()), c.end());
  return a;
}

}  // namespace tern::rib
