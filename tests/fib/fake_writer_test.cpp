// The fake writer answers what the real one would install, for tests of the FIB's feeders.

#include "fib/fake_writer.hpp"

#include <gtest/gtest.h>

namespace tern::fib {
namespace {

Prefix pfx(const char* s) {
  return *Prefix::parse(s);
}
IpAddr ip(const char* s) {
  return *IpAddr::parse(s);
}

TEST(FakeWriter, ShapesFollowConfigAndRoutes) {
  FakeWriter w;
  FibWriter& fib = w;  // used through the interface, as callers would
  EncapConfig c;
  c.node_network = pfx("10.0.0.0/24");
  c.pools.push_back(IpPool{pfx("192.168.0.0/16"), EncapMode::kAlways, EncapMode::kNever});
  fib.set_config(c);
  fib.update(WantedRoute{pfx("192.168.1.0/26"), {ip("10.0.0.2")}, false});
  fib.update(WantedRoute{pfx("192.168.9.0/26"), {}, true});
  fib.flush().wait();
  EXPECT_EQ(w.shape(pfx("192.168.1.0/26"))->hops.at(0).via, HopVia::kTunnel);
  EXPECT_EQ(w.shape(pfx("192.168.9.0/26"))->kind, ShapeKind::kBlackhole);
  c.pools[0].ipip = EncapMode::kCrossSubnet;
  fib.set_config(c);
  EXPECT_EQ(w.shape(pfx("192.168.1.0/26"))->hops.at(0).via, HopVia::kDirect);
  fib.withdraw(pfx("192.168.1.0/26"));
  EXPECT_FALSE(w.shape(pfx("192.168.1.0/26")));
  EXPECT_EQ(fib.status()->installed, 1u);
  EXPECT_FALSE(w.synced());
  fib.initial_sync_done();
  fib.reconcile();
  EXPECT_TRUE(w.synced());
  EXPECT_EQ(w.reconciles(), 1);
}

TEST(FakeWriter, ViewsShowShapeStateAndReason) {
  FakeWriter w;
  FibWriter& fib = w;
  EncapConfig c;
  c.node_network = pfx("10.0.0.0/24");
  c.pools.push_back(IpPool{pfx("192.168.0.0/16"), EncapMode::kAlways, EncapMode::kNever});
  c.pools.push_back(IpPool{pfx("172.16.0.0/16"), EncapMode::kNever, EncapMode::kAlways});
  fib.set_config(c);
  fib.update(WantedRoute{pfx("192.168.1.0/26"), {ip("10.0.0.2")}, false});
  fib.update(WantedRoute{pfx("192.168.9.0/26"), {}, true});
  fib.update(WantedRoute{pfx("172.16.1.0/26"), {ip("10.0.0.3")}, false});
  fib.update(WantedRoute{pfx("fd00:1::/64"), {ip("fd00::2"), ip("fd00::3")}, false});

  FibView one = fib.view(pfx("192.168.1.0/26"), 1).get();
  ASSERT_EQ(one.routes.size(), 1u);
  EXPECT_EQ(one.routes[0].state, "installed");
  EXPECT_EQ(one.routes[0].shape, "via 10.0.0.2 dev tunl0 onlink");
  EXPECT_NE(one.routes[0].reason.find("ipipMode Always"), std::string::npos);
  EXPECT_FALSE(one.truncated);
  EXPECT_TRUE(fib.view(pfx("192.168.2.0/26"), 10).get().routes.empty());

  FibView all = fib.view(std::nullopt, 10).get();
  EXPECT_FALSE(all.truncated);
  ASSERT_EQ(all.routes.size(), 4u);
  EXPECT_EQ(all.routes[0].prefix, pfx("172.16.1.0/26"));
  EXPECT_EQ(all.routes[0].state, "not ours");
  EXPECT_EQ(all.routes[0].shape, "none");
  EXPECT_NE(all.routes[0].reason.find("VXLAN"), std::string::npos);
  EXPECT_EQ(all.routes[1].prefix, pfx("192.168.1.0/26"));
  EXPECT_EQ(all.routes[2].shape, "blackhole");
  EXPECT_EQ(all.routes[2].state, "installed");
  EXPECT_EQ(all.routes[3].shape, "nexthop via fd00::2 nexthop via fd00::3");

  FibView first = fib.view(std::nullopt, 2).get();
  EXPECT_TRUE(first.truncated);
  ASSERT_EQ(first.routes.size(), 2u);
  EXPECT_EQ(first.routes[1].prefix, pfx("192.168.1.0/26"));
}

}  // namespace
}  // namespace tern::fib
