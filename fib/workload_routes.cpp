#include "fib/workload_routes.hpp"

#include <linux/rtnetlink.h>

#include <algorithm>
#include <tuple>

#include "fib/netlink/route_msg.hpp"

namespace tern::fib {
namespace {

bool prefix_less(const Prefix& a, const Prefix& b) {
  return std::tie(a.afi, a.b, a.len) < std::tie(b.afi, b.b, b.len);
}

void sort_routes(std::vector<LearnedRoute>& v) {
  std::sort(v.begin(), v.end(), [](const LearnedRoute& a, const LearnedRoute& b) {
    return prefix_less(a.prefix, b.prefix);
  });
}

bool is_host(const Prefix& p) {
  return p.len == bgp::max_prefix_len(p.afi);
}

}  // namespace

void WorkloadRouteTable::apply(const nlmsghdr* h) {
  switch (h->nlmsg_type) {
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
      apply_route(h);
      return;
    case RTM_NEWLINK:
    case RTM_DELLINK:
      apply_link(h);
      return;
    default:
      return;
  }
}

void WorkloadRouteTable::apply_route(const nlmsghdr* h) {
  auto p = nl::parse_route(h);
  if (!p || p->cloned || p->table != opts_.table || p->protocol == opts_.our_protocol) return;
  if (!is_host(p->route.dst)) return;
  Entry e;
  e.metric = p->metric;
  e.ipv4 = p->route.dst.afi == bgp::Afi::kIpv4;
  // Every route at the prefix is kept, learnable or not: a lower metric elsewhere wins.
  if (p->type == RTN_UNICAST && p->route.hops.size() == 1) e.ifindex = p->route.hops[0].ifindex;

  auto it = routes_.find(p->route.dst);
  if (p->deleted) {
    if (it == routes_.end()) return;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), e), v.end());
    if (v.empty()) routes_.erase(it);
    dirty_ = true;
    return;
  }
  auto& v = it == routes_.end() ? routes_[p->route.dst] : it->second;
  // A replace takes the place of whatever held its key (prefix and metric): the device may
  // have changed, and no delete is sent for the old one.
  if (h->nlmsg_flags & NLM_F_REPLACE)
    std::erase_if(v, [&](const Entry& x) { return x.metric == e.metric; });
  if (std::find(v.begin(), v.end(), e) == v.end()) v.push_back(e);
  dirty_ = true;
}

void WorkloadRouteTable::apply_link(const nlmsghdr* h) {
  auto l = nl::parse_link(h);
  if (!l) return;
  auto it = links_.find(l->ifindex);
  if (l->deleted) {
    drop_routes_of(l->ifindex, false);
    if (it != links_.end()) links_.erase(it);
    dirty_ = true;
    return;
  }
  if (it != links_.end() && it->second.name == l->name && it->second.up == l->up) return;
  if (it != links_.end() && it->second.up && !l->up) drop_routes_of(l->ifindex, true);
  links_[l->ifindex] = Link{l->name, l->up};
  dirty_ = true;
}

void WorkloadRouteTable::drop_routes_of(int ifindex, bool ipv4_only) {
  for (auto it = routes_.begin(); it != routes_.end();) {
    std::erase_if(it->second,
                  [&](const Entry& e) { return e.ifindex == ifindex && (e.ipv4 || !ipv4_only); });
    it = it->second.empty() ? routes_.erase(it) : std::next(it);
  }
}

void WorkloadRouteTable::clear_kernel_state() {
  links_.clear();
  routes_.clear();
  dirty_ = true;
}

std::unordered_map<Prefix, std::string, PrefixHash> WorkloadRouteTable::compute() const {
  std::unordered_map<Prefix, std::string, PrefixHash> out;
  for (const auto& [prefix, entries] : routes_) {
    uint32_t best = UINT32_MAX;
    for (const auto& e : entries)
      best = std::min(best, e.metric);
    // Among the routes the kernel forwards with, the first matching device name (IPv6
    // siblings are all used; IPv4 appends only the first, which a dump cannot tell us).
    const std::string* name = nullptr;
    for (const auto& e : entries) {
      if (e.metric != best || e.ifindex == 0) continue;
      auto l = links_.find(e.ifindex);
      if (l == links_.end() || !l->second.name.starts_with(opts_.ifname_prefix)) continue;
      if (!name || l->second.name < *name) name = &l->second.name;
    }
    if (name) out.emplace(prefix, *name);
  }
  return out;
}

LearnedChanges WorkloadRouteTable::take_changes() {
  LearnedChanges c;
  if (!dirty_) return c;
  dirty_ = false;
  auto now = compute();
  for (const auto& [prefix, name] : reported_) {
    auto it = now.find(prefix);
    if (it == now.end() || it->second != name) c.removed.push_back({prefix, name});
  }
  for (const auto& [prefix, name] : now) {
    auto it = reported_.find(prefix);
    if (it == reported_.end() || it->second != name) c.added.push_back({prefix, name});
  }
  reported_ = std::move(now);
  sort_routes(c.removed);
  sort_routes(c.added);
  return c;
}

std::vector<LearnedRoute> WorkloadRouteTable::learned() const {
  std::vector<LearnedRoute> out;
  for (const auto& [prefix, name] : compute())
    out.push_back({prefix, name});
  sort_routes(out);
  return out;
}

std::vector<Prefix> borrowed(const std::vector<Prefix>& learned, const std::vector<IpPool>& pools,
                             const std::vector<Prefix>& own_blocks) {
  std::vector<Prefix> out;
  for (const auto& p : learned) {
    const bool in_pool = std::any_of(pools.begin(), pools.end(),
                                     [&](const IpPool& pool) { return contains(pool.cidr, p); });
    if (!in_pool) continue;
    const bool own = std::any_of(own_blocks.begin(), own_blocks.end(),
                                 [&](const Prefix& b) { return contains(b, p); });
    if (!own) out.push_back(p);
  }
  return out;
}

}  // namespace tern::fib
