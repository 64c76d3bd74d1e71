#include "fib/netlink/host.hpp"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

#include "fib/netlink/route_msg.hpp"

namespace tern::fib::nl {

bool NetlinkHost::set_link(int ifindex, const std::string& name, bool up) {
  auto it = links_.find(ifindex);
  if (it != links_.end() && it->second.name == name && it->second.up == up) return false;
  if (it != links_.end() && it->second.name != name) by_name_.erase(it->second.name);
  links_[ifindex] = Link{name, up};
  by_name_[name] = ifindex;
  return true;
}

bool NetlinkHost::apply_link(const nlmsghdr* h) {
  auto l = parse_link(h);
  if (!l) return false;
  if (l->deleted) {
    auto it = links_.find(l->ifindex);
    if (it == links_.end()) return false;
    by_name_.erase(it->second.name);
    links_.erase(it);
    return true;
  }
  return set_link(l->ifindex, l->name, l->up);
}

int NetlinkHost::load_links() {
  const uint32_t seq = sock_.next_seq();
  links_.clear();
  by_name_.clear();
  return sock_.dump(link_dump_request(seq), seq, [this](const nlmsghdr* m) { apply_link(m); });
}

std::optional<int> NetlinkHost::usable_link(const std::string& name) {
  auto it = by_name_.find(name);
  if (it == by_name_.end() || !links_[it->second].up) return std::nullopt;
  return it->second;
}

std::string NetlinkHost::link_name(int ifindex) const {
  auto it = links_.find(ifindex);
  return it != links_.end() ? it->second.name : "if" + std::to_string(ifindex);
}

Resolution NetlinkHost::resolve(const IpAddr& next_hop) {
  if (auto it = resolved_.find(next_hop); it != resolved_.end()) return it->second;
  Resolution r;
  const uint32_t seq = sock_.next_seq();
  std::optional<ParsedRoute> match;
  std::string reason;
  const int err = sock_.request(
      lookup_request(seq, next_hop), seq, [&](const nlmsghdr* h) { match = parse_route(h); },
      &reason);
  if (err != 0) {
    r.why = "no route to the next hop (" + reason + ")";
  } else if (!match || match->route.hops.empty()) {
    r.why = "the kernel's answer has no next hop";
  } else if (match->type != RTN_UNICAST) {
    r.why = match->type == RTN_LOCAL
                ? "the next hop is an address of this host"
                : "the next hop is unreachable (route type " + std::to_string(match->type) + ")";
  } else if (match->protocol == our_protocol_) {
    // Resolving through a route of our own would make it depend on itself.
    r.why = "the next hop is only reachable through a BGP route";
  } else {
    // The first hop of the covering route: on-link (no gateway) means the next hop itself is
    // the neighbour; otherwise the covering route's router is.
    const KernelHop& via = match->route.hops.front();
    r.reachable = true;
    r.hop.ifindex = via.ifindex;
    const bool has_gateway = via.gateway != IpAddr{via.gateway.afi, {}};
    r.hop.gateway = has_gateway ? via.gateway : next_hop;
    r.hop.onlink = has_gateway && via.onlink;
  }
  resolved_.emplace(next_hop, r);
  return r;
}

}  // namespace tern::fib::nl
