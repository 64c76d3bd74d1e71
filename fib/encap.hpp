#pragma once
// The encapsulation decision: which kernel route shape a wanted route gets, and why. Pure, so
// every row of Calico's route-shape table (calico-bgp.md 5.3) is a unit test.

#include <string>
#include <vector>

#include "fib/types.hpp"

namespace tern::fib {

enum class ShapeKind {
  kNone,       // not ours to install (VXLAN pool, agent-owned tunnel routes, no usable hop)
  kBlackhole,  // one of our own blocks
  kUnicast,    // one hop or a multipath route
};

enum class HopVia {
  kTunnel,  // via the BGP next hop itself, out of the tunnel device, onlink
  kDirect,  // via the next hop, resolved recursively through the kernel's routes
};

struct ShapeHop {
  IpAddr gateway;  // the BGP next hop
  HopVia via = HopVia::kDirect;
  std::string device;  // the tunnel device for kTunnel; empty: the kernel's route decides
  bool onlink = false;
  bool operator==(const ShapeHop&) const = default;
};

struct RouteShape {
  ShapeKind kind = ShapeKind::kNone;
  std::vector<ShapeHop> hops;  // one per usable next hop, in the RIB's order
  std::string reason;          // for the API and logs: which rule decided
  bool operator==(const RouteShape&) const = default;
};

RouteShape decide_shape(const WantedRoute& route, const EncapConfig& config);

// The pool that decides for prefix (the most specific containing it), or nullptr. A shape
// depends on the prefix only through this pool and its family, which lets the writer decide
// once per (pool, family, own block, next hops) instead of once per prefix.
const IpPool* pool_of(const Prefix& prefix, const std::vector<IpPool>& pools);

// `ip route`-like text of a shape, for logs and the tool.
std::string to_string(const RouteShape& shape, const Prefix& prefix);
// The same without the destination, as views show it: "none", "blackhole", "via NH dev tunl0
// onlink", "nexthop via NH nexthop via ..." (a direct hop names no device: the kernel's
// routes decide it).
std::string shape_text(const RouteShape& shape);

}  // namespace tern::fib
