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
