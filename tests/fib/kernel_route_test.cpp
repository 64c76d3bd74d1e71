// From shape to kernel route: tunnel hops need their device up, direct hops take what the
// kernel's routes say, and a route with no usable hop is parked with the reason.

#include "fib/kernel_route.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tern::fib {
namespace {

IpAddr ip(const char* s) {
  return *IpAddr::parse(s);
}
Prefix pfx(const char* s) {
  return *Prefix::parse(s);
}

struct FakeHost : HostView {
  std::map<std::string, int> up;  // usable devices
  std::map<std::string, Resolution> routes;
  std::optional<int> usable_link(const std::string& name) override {
    auto it = up.find(name);
    return it == up.end() ? std::nullopt : std::optional<int>(it->second);
  }
  Resolution resolve(const IpAddr& nh) override {
    auto it = routes.find(bgp::to_string(nh));
    if (it == routes.end()) return Resolution{false, {}, "no route"};
    return it->second;
  }
};

const ShapeHop kTunnelHop{ip("10.200.0.9"), HopVia::kTunnel, "tunl0", true};
const ShapeHop kDirectHop{ip("10.200.0.9"), HopVia::kDirect, "", false};

TEST(Realize, TunnelHopUsesTheDeviceIndexOnlink) {
  FakeHost host;
  host.up["tunl0"] = 7;
  auto r = realize(pfx("192.168.1.0/26"), RouteShape{ShapeKind::kUnicast, {kTunnelHop}, ""}, host);
  ASSERT_TRUE(r.route);
  EXPECT_EQ(r.route->hops, std::vector<KernelHop>{(KernelHop{ip("10.200.0.9"), 7, true})});
}

TEST(Realize, MissingTunnelParksTheRoute) {
  FakeHost host;
  auto r = realize(pfx("192.168.1.0/26"), RouteShape{ShapeKind::kUnicast, {kTunnelHop}, ""}, host);
  EXPECT_FALSE(r.route);
  EXPECT_EQ(r.parked, "tunl0 is missing or down");
}

TEST(Realize, DirectHopFollowsTheKernelsRouteToTheNextHop) {
  FakeHost host;
  host.routes["10.200.0.9"] = Resolution{true, KernelHop{ip("10.192.0.1"), 2, false}, ""};
  auto r = realize(pfx("192.168.1.0/26"), RouteShape{ShapeKind::kUnicast, {kDirectHop}, ""}, host);
  ASSERT_TRUE(r.route);
  EXPECT_EQ(r.route->hops, std::vector<KernelHop>{(KernelHop{ip("10.192.0.1"), 2, false})});
}

TEST(Realize, MultipathKeepsUsableHopsAndDropsDuplicates) {
  FakeHost host;
  host.routes["10.200.0.9"] = Resolution{true, KernelHop{ip("10.192.0.1"), 2, false}, ""};
  host.routes["10.200.0.10"] = Resolution{true, KernelHop{ip("10.192.0.1"), 2, false}, ""};
  ShapeHop other{ip("10.200.0.10"), HopVia::kDirect, "", false};
  ShapeHop gone{ip("10.201.0.1"), HopVia::kDirect, "", false};
  auto r =
      realize(pfx("192.168.1.0/26"),
              RouteShape{ShapeKind::kUnicast, {kDirectHop, other, gone, kTunnelHop}, ""}, host);
  ASSERT_TRUE(r.route);
  // Both direct hops resolve to the same gateway: one hop, that one.
  EXPECT_EQ(r.route->hops, (std::vector<KernelHop>{KernelHop{ip("10.192.0.1"), 2, false}}));
}

TEST(Realize, BlackholeAndNone) {
  FakeHost host;
  auto b = realize(pfx("192.168.9.0/26"), RouteShape{ShapeKind::kBlackhole, {}, ""}, host);
  ASSERT_TRUE(b.route);
  EXPECT_TRUE(b.route->blackhole);
  auto n = realize(pfx("192.168.9.0/26"), RouteShape{ShapeKind::kNone, {}, ""}, host);
  EXPECT_FALSE(n.route);
  EXPECT_TRUE(n.parked.empty());
}

}  // namespace
}  // namespace tern::fib
