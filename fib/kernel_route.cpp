#include "fib/kernel_route.hpp"

#include <algorithm>

namespace tern::fib {

Realized realize(const Prefix& prefix, const RouteShape& shape, HostView& host) {
  Realized out;
  switch (shape.kind) {
    case ShapeKind::kNone:
      return out;
    case ShapeKind::kBlackhole:
      out.route = KernelRoute{prefix, true, {}};
      return out;
    case ShapeKind::kUnicast:
      break;
  }
  KernelRoute route{prefix, false, {}};
  std::string missing;
  for (const auto& hop : shape.hops) {
    std::optional<KernelHop> kh;
    if (hop.via == HopVia::kTunnel) {
      if (auto ifindex = host.usable_link(hop.device)) {
        kh = KernelHop{hop.gateway, *ifindex, hop.onlink};
      } else {
        missing += (missing.empty() ? "" : "; ") + hop.device + " is missing or down";
      }
    } else {
      auto r = host.resolve(hop.gateway);
      if (r.reachable) {
        kh = r.hop;
      } else {
        missing += (missing.empty() ? "" : "; ") + bgp::to_string(hop.gateway) + ": " + r.why;
      }
    }
    // Two BGP next hops behind one router resolve to one kernel hop; the kernel wants it once.
    if (kh && std::find(route.hops.begin(), route.hops.end(), *kh) == route.hops.end())
      route.hops.push_back(*kh);
  }
  // A multipath route loses only its unusable hops; it is parked when none is left.
  if (route.hops.empty()) {
    out.parked = missing.empty() ? "no usable hop" : missing;
    return out;
  }
  out.route = std::move(route);
  return out;
}

}  // namespace tern::fib
