// Every row of the route-shape table (calico-bgp.md 5.3) that tern programs, plus the edges:
// a /32 node mask, IPv6, mixed multipath, VXLAN pools and agent-owned tunnel routes.

#include "fib/encap.hpp"

#include <gtest/gtest.h>

namespace tern::fib {
namespace {

IpAddr ip(const char* s) {
  return *IpAddr::parse(s);
}
Prefix pfx(const char* s) {
  return *Prefix::parse(s);
}

// Node 10.192.0.2/16, pool 192.168.0.0/16 in the mode under test.
EncapConfig node(EncapMode ipip, EncapMode vxlan = EncapMode::kNever) {
  EncapConfig c;
  c.pools.push_back(IpPool{pfx("192.168.0.0/16"), ipip, vxlan});
  c.node_network = pfx("10.192.0.0/16");
  return c;
}

WantedRoute remote(const char* prefix, std::vector<const char*> hops) {
  WantedRoute r{pfx(prefix), {}, false};
  for (auto h : hops)
    r.next_hops.push_back(ip(h));
  return r;
}

ShapeHop tunnel(const char* nh) {
  return ShapeHop{ip(nh), HopVia::kTunnel, "tunl0", true};
}
ShapeHop direct(const char* nh) {
  return ShapeHop{ip(nh), HopVia::kDirect, "", false};
}

TEST(Encap, RemoteBlockIpipAlwaysGoesThroughTunnelOnlink) {
  auto s = decide_shape(remote("192.168.221.64/26", {"10.192.0.3"}), node(EncapMode::kAlways));
  EXPECT_EQ(s.kind, ShapeKind::kUnicast);
  EXPECT_EQ(s.hops, std::vector<ShapeHop>{tunnel("10.192.0.3")});
  EXPECT_EQ(to_string(s, pfx("192.168.221.64/26")),
            "192.168.221.64/26 via 10.192.0.3 dev tunl0 onlink");
  EXPECT_NE(s.reason.find("Always"), std::string::npos) << s.reason;
}

TEST(Encap, CrossSubnetPeerInMySubnetIsDirect) {
  auto s = decide_shape(remote("192.168.221.64/26", {"10.192.0.3"}), node(EncapMode::kCrossSubnet));
  EXPECT_EQ(s.kind, ShapeKind::kUnicast);
  EXPECT_EQ(s.hops, std::vector<ShapeHop>{direct("10.192.0.3")});
  EXPECT_NE(s.reason.find("inside 10.192.0.0/16"), std::string::npos) << s.reason;
}

TEST(Encap, CrossSubnetPeerOutsideMySubnetUsesTunnelViaThePeerItself) {
  auto s = decide_shape(remote("192.168.221.64/26", {"10.200.0.9"}), node(EncapMode::kCrossSubnet));
  EXPECT_EQ(s.kind, ShapeKind::kUnicast);
  // The gateway is the peer node, not the L3 router between the subnets.
  EXPECT_EQ(s.hops, std::vector<ShapeHop>{tunnel("10.200.0.9")});
  EXPECT_NE(s.reason.find("outside"), std::string::npos) << s.reason;
}

TEST(Encap, NoEncapsulationOffSubnetIsResolvedThroughTheKernel) {
  auto s = decide_shape(remote("192.168.221.64/26", {"10.200.0.9"}), node(EncapMode::kNever));
  EXPECT_EQ(s.kind, ShapeKind::kUnicast);
  EXPECT_EQ(s.hops, std::vector<ShapeHop>{direct("10.200.0.9")});
  EXPECT_NE(s.reason.find("Never"), std::string::npos) << s.reason;
}

TEST(Encap, RoutesOutsideEveryPoolAreDirect) {
  auto s = decide_shape(remote("10.96.0.10/32", {"10.200.0.9"}), node(EncapMode::kAlways));
  EXPECT_EQ(s.hops, std::vector<ShapeHop>{direct("10.200.0.9")});
  EXPECT_NE(s.reason.find("outside every pool"), std::string::npos) << s.reason;
}

TEST(Encap, EcmpIsOneMultipathRouteWithAHopPerNextHop) {
  auto s = decide_shape(remote("192.168.5.7/32", {"10.192.0.3", "10.192.0.4", "10.192.0.3"}),
                        node(EncapMode::kAlways));
  EXPECT_EQ(s.kind, ShapeKind::kUnicast);
  EXPECT_EQ(s.hops, (std::vector<ShapeHop>{tunnel("10.192.0.3"), tunnel("10.192.0.4")}));
}

TEST(Encap, MultipathHopsEachGetTheirOwnCrossSubnetShape) {
  auto s = decide_shape(remote("192.168.5.7/32", {"10.192.0.3", "10.200.0.9"}),
                        node(EncapMode::kCrossSubnet));
  EXPECT_EQ(s.hops, (std::vector<ShapeHop>{direct("10.192.0.3"), tunnel("10.200.0.9")}));
  EXPECT_NE(s.reason.find("the others via tunl0"), std::string::npos) << s.reason;
}

TEST(Encap, ShapeTextLeavesOutTheDestination) {
  auto cross = node(EncapMode::kCrossSubnet);
  EXPECT_EQ(shape_text(decide_shape(remote("192.168.5.7/32", {"10.200.0.9"}), cross)),
            "via 10.200.0.9 dev tunl0 onlink");
  EXPECT_EQ(shape_text(decide_shape(remote("192.168.5.7/32", {"10.192.0.3", "10.200.0.9"}), cross)),
            "nexthop via 10.192.0.3 nexthop via 10.200.0.9 dev tunl0 onlink");
  EXPECT_EQ(shape_text(decide_shape(WantedRoute{pfx("192.168.9.0/26"), {}, true}, cross)),
            "blackhole");
  EXPECT_EQ(shape_text(decide_shape(remote("192.168.5.7/32", {"10.192.0.3"}),
                                    node(EncapMode::kNever, EncapMode::kAlways))),
            "none");
}

TEST(Encap, LocalBlockIsBlackholed) {
  for (auto mode : {EncapMode::kAlways, EncapMode::kCrossSubnet, EncapMode::kNever}) {
    WantedRoute r{pfx("192.168.221.192/26"), {}, true};
    auto s = decide_shape(r, node(mode));
    EXPECT_EQ(s.kind, ShapeKind::kBlackhole) << to_string(mode);
    EXPECT_TRUE(s.hops.empty());
    EXPECT_EQ(to_string(s, r.prefix), "blackhole 192.168.221.192/26");
  }
}

TEST(Encap, BorrowedSlash32OnAnotherNodeIsLikeAnyRemoteRoute) {
  auto s = decide_shape(remote("192.168.221.70/32", {"10.192.0.6"}), node(EncapMode::kAlways));
  EXPECT_EQ(to_string(s, pfx("192.168.221.70/32")),
            "192.168.221.70/32 via 10.192.0.6 dev tunl0 onlink");
}

TEST(Encap, Slash32NodeMaskSendsEveryCrossSubnetRouteThroughTheTunnel) {
  EncapConfig c = node(EncapMode::kCrossSubnet);
  c.node_network = pfx("10.192.0.2/32");
  auto s = decide_shape(remote("192.168.221.64/26", {"10.192.0.3"}), c);
  EXPECT_EQ(s.hops, std::vector<ShapeHop>{tunnel("10.192.0.3")});
}

TEST(Encap, Ipv6IsNeverTunnelled) {
  EncapConfig c = node(EncapMode::kAlways);
  c.pools.push_back(IpPool{pfx("fd00:10:244::/48"), EncapMode::kAlways, EncapMode::kNever});
  auto s = decide_shape(remote("fd00:10:244:1::/64", {"fd00::3"}), c);
  EXPECT_EQ(s.kind, ShapeKind::kUnicast);
  EXPECT_EQ(s.hops, std::vector<ShapeHop>{direct("fd00::3")});
  EXPECT_NE(s.reason.find("IPv6"), std::string::npos);
}

TEST(Encap, NextHopsOfTheOtherFamilyAreLeftOut) {
  auto s = decide_shape(remote("192.168.1.0/26", {"fd00::3"}), node(EncapMode::kAlways));
  EXPECT_EQ(s.kind, ShapeKind::kNone);
}

TEST(Encap, VxlanPoolsAreNotInstalled) {
  for (auto vx : {EncapMode::kAlways, EncapMode::kCrossSubnet}) {
    auto s = decide_shape(remote("192.168.221.64/26", {"10.192.0.3"}), node(EncapMode::kNever, vx));
    EXPECT_EQ(s.kind, ShapeKind::kNone);
    EXPECT_NE(s.reason.find("VXLAN"), std::string::npos) << s.reason;
    WantedRoute own{pfx("192.168.9.0/26"), {}, true};
    EXPECT_EQ(decide_shape(own, node(EncapMode::kNever, vx)).kind, ShapeKind::kNone);
  }
}

TEST(Encap, AgentOwnedTunnelRoutesLeaveIpipPoolsToTheAgent) {
  for (auto mode : {EncapMode::kAlways, EncapMode::kCrossSubnet}) {
    EncapConfig c = node(mode);
    c.tunnel_routes_owned_by_agent = true;
    // Tunnel-shaped, same-subnet and blackhole routes of the pool: all the agent's.
    EXPECT_EQ(decide_shape(remote("192.168.1.0/26", {"10.200.0.9"}), c).kind, ShapeKind::kNone);
    EXPECT_EQ(decide_shape(remote("192.168.1.0/26", {"10.192.0.3"}), c).kind, ShapeKind::kNone);
    EXPECT_EQ(decide_shape(WantedRoute{pfx("192.168.9.0/26"), {}, true}, c).kind, ShapeKind::kNone);
    // Routes without encapsulation are still ours.
    EXPECT_EQ(decide_shape(remote("10.96.0.10/32", {"10.200.0.9"}), c).hops,
              std::vector<ShapeHop>{direct("10.200.0.9")});
  }
  EncapConfig never = node(EncapMode::kNever);
  never.tunnel_routes_owned_by_agent = true;
  EXPECT_EQ(decide_shape(remote("192.168.1.0/26", {"10.200.0.9"}), never).hops,
            std::vector<ShapeHop>{direct("10.200.0.9")});
}

TEST(Encap, WithoutANodeAddressPoolsAreNotConsulted) {
  EncapConfig c = node(EncapMode::kAlways);
  c.node_network.reset();
  auto s = decide_shape(remote("192.168.1.0/26", {"10.192.0.3"}), c);
  EXPECT_EQ(s.hops, std::vector<ShapeHop>{direct("10.192.0.3")});
}

TEST(Encap, TunnelDeviceNameIsConfigurable) {
  EncapConfig c = node(EncapMode::kAlways);
  c.tunnel_device = "ipip9";
  auto s = decide_shape(remote("192.168.1.0/26", {"10.192.0.3"}), c);
  EXPECT_EQ(s.hops.at(0).device, "ipip9");
}

TEST(Encap, NoNextHopMeansNoRoute) {
  EXPECT_EQ(decide_shape(remote("192.168.1.0/26", {}), node(EncapMode::kAlways)).kind,
            ShapeKind::kNone);
}

TEST(Encap, MostSpecificPoolDecides) {
  EncapConfig c = node(EncapMode::kAlways);
  c.pools.push_back(IpPool{pfx("192.168.128.0/17"), EncapMode::kNever, EncapMode::kNever});
  EXPECT_EQ(decide_shape(remote("192.168.200.0/26", {"10.192.0.3"}), c).hops.at(0).via,
            HopVia::kDirect);
  EXPECT_EQ(decide_shape(remote("192.168.1.0/26", {"10.192.0.3"}), c).hops.at(0).via,
            HopVia::kTunnel);
}

}  // namespace
}  // namespace tern::fib
