#include "fib/encap.hpp"

#include <algorithm>

namespace tern::fib {

// Calico pools do not overlap, but a most-specific match keeps a nested pool meaningful if an
// operator ever configures one.
const IpPool* pool_of(const Prefix& prefix, const std::vector<IpPool>& pools) {
  const IpPool* best = nullptr;
  for (const auto& pool : pools) {
    if (contains(pool.cidr, prefix) && (!best || pool.cidr.len > best->cidr.len)) best = &pool;
  }
  return best;
}

namespace {

ShapeHop tunnel_hop(const IpAddr& nh, const EncapConfig& config) {
  return ShapeHop{nh, HopVia::kTunnel, config.tunnel_device, true};
}

ShapeHop direct_hop(const IpAddr& nh) {
  return ShapeHop{nh, HopVia::kDirect, "", false};
}

std::vector<IpAddr> usable_hops(const WantedRoute& route) {
  std::vector<IpAddr> out;
  for (const auto& nh : route.next_hops) {
    // A next hop of the other family (RFC 8950) has no IPIP meaning; such hops are left out
    // rather than guessed at.
    if (nh.afi != route.prefix.afi) continue;
    if (std::find(out.begin(), out.end(), nh) == out.end()) out.push_back(nh);
  }
  return out;
}

RouteShape none(std::string reason) {
  return RouteShape{ShapeKind::kNone, {}, std::move(reason)};
}

}  // namespace

RouteShape decide_shape(const WantedRoute& route, const EncapConfig& config) {
  const bool v4 = route.prefix.afi == bgp::Afi::kIpv4;
  const IpPool* pool = pool_of(route.prefix, config.pools);
  const std::string pool_name = pool ? "pool " + bgp::to_string(pool->cidr) : std::string();

  // Felix owns VXLAN routes whoever programs IPIP, and blackholes included (5.1 step 3).
  if (pool && pool->vxlan != EncapMode::kNever)
    return none(pool_name + " uses VXLAN (" + to_string(pool->vxlan) + "): the node agent owns it");

  const bool pools_apply = v4 && config.node_network.has_value() && pool != nullptr;
  if (pools_apply && config.tunnel_routes_owned_by_agent && pool->ipip != EncapMode::kNever) {
    // Felix then installs the tunnel, same-subnet and blackhole routes of the pool itself, with
    // its own protocol number; a route of ours with the same key would fight it.
    return none(pool_name + " ipipMode " + to_string(pool->ipip) +
                ": the node agent owns this pool's routes");
  }

  if (route.local_block) {
    return RouteShape{ShapeKind::kBlackhole,
                      {},
                      "own block: blackholed so unused addresses are "
                      "not sent back out"};
  }

  const auto hops = usable_hops(route);
  if (hops.empty()) return none("no next hop of the prefix's family");

  RouteShape shape{ShapeKind::kUnicast, {}, {}};
  auto all_direct = [&](std::string why) {
    for (const auto& nh : hops)
      shape.hops.push_back(direct_hop(nh));
    shape.reason = std::move(why);
    return shape;
  };
  if (!v4) return all_direct("IPv6: never tunnelled, direct via the next hop");
  if (!config.node_network)
    return all_direct(
        "this node has no IPv4 address: pools not consulted, direct via the next hop");
  if (!pool) return all_direct("outside every pool: direct via the next hop");

  switch (pool->ipip) {
    case EncapMode::kNever:
      return all_direct(pool_name + " ipipMode Never: direct via the next hop");
    case EncapMode::kAlways:
      for (const auto& nh : hops)
        shape.hops.push_back(tunnel_hop(nh, config));
      shape.reason = pool_name + " ipipMode Always: via " + config.tunnel_device + " onlink";
      break;
    case EncapMode::kCrossSubnet: {
      const std::string subnet = bgp::to_string(*config.node_network);
      int same = 0;
      for (const auto& nh : hops) {
        const bool in_subnet = contains(*config.node_network, nh);
        same += in_subnet;
        shape.hops.push_back(in_subnet ? direct_hop(nh) : tunnel_hop(nh, config));
      }
      shape.reason = pool_name + " ipipMode CrossSubnet: ";
      if (same == static_cast<int>(hops.size())) {
        shape.reason += "next hop inside " + subnet + ", direct";
      } else if (same == 0) {
        shape.reason += "next hop outside " + subnet + ", via " + config.tunnel_device + " onlink";
      } else {
        shape.reason +=
            "hops inside " + subnet + " direct, the others via " + config.tunnel_device + " onlink";
      }
      break;
    }
  }
  return shape;
}

std::string to_string(const RouteShape& shape, const Prefix& prefix) {
  const std::string dst = bgp::to_string(prefix);
  switch (shape.kind) {
    case ShapeKind::kNone:
      return "none " + dst;
    case ShapeKind::kBlackhole:
      return "blackhole " + dst;
    case ShapeKind::kUnicast:
      break;
  }
  std::string out = dst;
  const bool multi = shape.hops.size() > 1;
  for (const auto& hop : shape.hops) {
    out += multi ? " nexthop via " : " via ";
    out += bgp::to_string(hop.gateway);
    out += hop.device.empty() ? " (resolved)" : " dev " + hop.device;
    if (hop.onlink) out += " onlink";
  }
  return out;
}

std::string shape_text(const RouteShape& shape) {
  switch (shape.kind) {
    case ShapeKind::kNone:
      return "none";
    case ShapeKind::kBlackhole:
      return "blackhole";
    case ShapeKind::kUnicast:
      break;
  }
  std::string out;
  const bool multi = shape.hops.size() > 1;
  for (const auto& hop : shape.hops) {
    if (!out.empty()) out += ' ';
    out += multi ? "nexthop via " : "via ";
    out += bgp::to_string(hop.gateway);
    if (!hop.device.empty()) out += " dev " + hop.device;
    if (hop.onlink) out += " onlink";
  }
  return out;
}

}  // namespace tern::fib
