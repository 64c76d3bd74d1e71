#include "rib/filter.hpp"

#include <algorithm>
#include <tuple>

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

bool PrefixRule::matches(const bgp::Prefix& p, bool local) const {
  if (p.afi != cidr.afi) return false;
  if (p.len < min_len || p.len > max_len) return false;
  if (source == Source::kRemotePeers && local) return false;
  if (source == Source::kLocal && !local) return false;
  switch (match) {
    case Match::kExact:
      return p == cidr;
    case Match::kOrLonger:
      return within(p, cidr);
    case Match::kNotExact:
      return p != cidr;
    case Match::kNotOrLonger:
      return !within(p, cidr);
  }
  return false;
}

RouteFilter::Verdict RouteFilter::decide(const bgp::Prefix& p, bool local) const {
  Verdict v{default_accept, 0};
  for (const auto& r : rules)
    if (r.matches(p, local)) {
      v.accept = r.accept;
      break;
    }
  if (!v.accept) return v;
  const size_t n = std::min(community_rules.size(), kMaxCommunityRules);
  for (size_t i = 0; i < n; ++i)
    if (within(p, community_rules[i].cidr)) v.communities |= uint64_t{1} << i;
  return v;
}

bgp::PathAttributes RouteFilter::apply(bgp::PathAttributes a, uint64_t which) const {
  std::vector<uint32_t> add = add_communities;
  std::vector<bgp::LargeCommunity> large;
  for (size_t i = 0; i < std::min(community_rules.size(), kMaxCommunityRules); ++i) {
    if (!(which & (uint64_t{1} << i))) continue;
    const auto& r = community_rules[i];
    add.insert(add.end(), r.communities.begin(), r.communities.end());
    large.insert(large.end(), r.large.begin(), r.large.end());
  }
  if (!add.empty()) {
    auto& c = a.communities ? *a.communities : a.communities.emplace();
    c.insert(c.end(), add.begin(), add.end());
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
  }
  if (!large.empty()) {
    auto& c = a.large_communities ? *a.large_communities : a.large_communities.emplace();
    c.insert(c.end(), large.begin(), large.end());
    auto key = [](const bgp::LargeCommunity& x) {
      return std::tuple(x.global, x.local1, x.local2);
    };
    std::sort(c.begin(), c.end(), [&](auto& x, auto& y) { return key(x) < key(y); });
    c.erase(std::unique(c.begin(), c.end()), c.end());
  }
  return a;
}

}  // namespace tern::rib
