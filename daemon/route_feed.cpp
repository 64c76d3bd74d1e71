#include "daemon/route_feed.hpp"

#include <algorithm>

#include "rib/filter.hpp"

namespace tern {

namespace {
bool inside_any(const bgp::Prefix& p, const std::vector<bgp::Prefix>& nets) {
  return std::any_of(nets.begin(), nets.end(), [&](const auto& n) { return rib::within(p, n); });
}
}  // namespace

FeedRules feed_rules(const plan::Plan& p) {
  FeedRules r;
  for (const auto& o : p.originate)
    if (o.kind != plan::Origination::Kind::kBorrowed) r.blackholed.push_back(o.prefix);
  r.no_install = p.no_install;
  return r;
}

std::optional<fib::WantedRoute> wanted_route(const bgp::Prefix& prefix,
                                             std::span<const rib::Path> paths,
                                             const FeedRules& rules) {
  if (paths.empty()) return std::nullopt;
  fib::WantedRoute w;
  w.prefix = prefix;
  if (paths.front().peer == rib::kLocalPeer) {
    if (std::find(rules.blackholed.begin(), rules.blackholed.end(), prefix) ==
        rules.blackholed.end())
      return std::nullopt;
    w.local_block = true;
    return w;
  }
  if (inside_any(prefix, rules.no_install)) return std::nullopt;
  for (const auto& path : paths) {
    if (path.peer == rib::kLocalPeer) continue;
    const auto& nh = path.attrs->attrs().next_hop;
    if (!nh) continue;
    if (std::find(w.next_hops.begin(), w.next_hops.end(), *nh) == w.next_hops.end())
      w.next_hops.push_back(*nh);
  }
  if (w.next_hops.empty()) return std::nullopt;
  return w;
}

bool RouteFeed::set_rules(FeedRules rules) {
  std::sort(rules.blackholed.begin(), rules.blackholed.end());
  if (rules == rules_) return false;
  rules_ = std::move(rules);
  return true;
}

void RouteFeed::on_change(const bgp::Prefix& prefix, std::span<const rib::Path> after) {
  if (auto w = wanted_route(prefix, after, rules_)) {
    writer_.update(std::move(*w));
  } else {
    writer_.withdraw(prefix);
  }
}

}  // namespace tern
