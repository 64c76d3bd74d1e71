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

}  // namespace
}  // namespace tern::fib
