#pragma once
// A route as the kernel holds it (devices by index, gateways resolved), and the step that turns
// a shape into one. The step asks a HostView about devices and next hops, so it is testable
// without netlink.

#include <optional>
#include <string>
#include <vector>

#include "fib/encap.hpp"

namespace tern::fib {

struct KernelHop {
  IpAddr gateway;
  int ifindex = 0;
  bool onlink = false;
  bool operator==(const KernelHop&) const = default;
};

struct KernelRoute {
  Prefix dst;
  bool blackhole = false;
  std::vector<KernelHop> hops;  // one: a plain route; several: RTA_MULTIPATH
  bool operator==(const KernelRoute&) const = default;
};

// What a route does with its packets, without its destination: every route to one node shares
// it, so the writer keeps one per distinct value (see interner.hpp).
struct KernelForwarding {
  bool blackhole = false;
  std::vector<KernelHop> hops;
  bool operator==(const KernelForwarding&) const = default;
};

struct KernelForwardingHash {
  size_t operator()(const KernelForwarding& f) const noexcept {
    size_t h = f.blackhole;
    for (const auto& hop : f.hops)
      h = (h * 1099511628211ull ^ IpAddrHash()(hop.gateway)) * 31 +
          static_cast<size_t>(hop.ifindex) * 2 + hop.onlink;
    return h;
  }
};

// How a direct hop reaches its next hop, per the kernel's own routes.
struct Resolution {
  bool reachable = false;
  KernelHop hop;
  std::string why;  // when unreachable
};

class HostView {
 public:
  virtual ~HostView() = default;
  // The device's index when it exists and is up.
  virtual std::optional<int> usable_link(const std::string& name) = 0;
  virtual Resolution resolve(const IpAddr& next_hop) = 0;
};

// Either a route to write, nothing to write (shape none), or parked with the reason.
struct Realized {
  std::optional<KernelRoute> route;
  std::string parked;  // non-empty: the route is wanted but cannot be installed now
};

Realized realize(const Prefix& prefix, const RouteShape& shape, HostView& host);

}  // namespace tern::fib
