// The netlink writer's view, through its queue and engine, on routes it never has to write:
// shapes that are not ours and routes parked for a missing device. Netlink sockets are opened
// (no privileges needed) and the kernel is never asked anything: the engine starts without
// link or route dumps. The table and protocol are unused ones all the same.

#include <gtest/gtest.h>

#include "fib/fib_engine.hpp"
#include "fib/netlink_writer.hpp"

namespace tern::fib {
namespace {

Prefix pfx(const char* s) {
  return *Prefix::parse(s);
}
IpAddr ip(const char* s) {
  return *IpAddr::parse(s);
}

std::unique_ptr<NetlinkWriter> writer_without_kernel_state() {
  WriterOptions opts;
  opts.protocol = 242;
  opts.table = 4242;
  std::string error;
  auto req = nl::Socket::open({}, 1 << 20, &error);
  auto mon = nl::Socket::open({}, 1 << 20, &error);
  auto batches = nl::Socket::open({}, 1 << 20, &error);
  if (!req || !mon || !batches) return nullptr;
  return std::make_unique<NetlinkWriter>(std::make_unique<FibEngine>(
      std::move(opts), std::move(req), std::move(mon), std::move(batches)));
}

EncapConfig config() {
  EncapConfig c;
  c.node_network = pfx("10.0.0.0/24");
  c.tunnel_device = "ternnodev9";  // no such device: tunnel routes are parked
  c.pools.push_back(IpPool{pfx("100.64.0.0/10"), EncapMode::kAlways, EncapMode::kNever});
  c.pools.push_back(IpPool{pfx("172.16.0.0/16"), EncapMode::kNever, EncapMode::kAlways});
  return c;
}

TEST(EngineView, AnswersAfterTheUpdatesBeforeIt) {
  auto w = writer_without_kernel_state();
  if (!w) GTEST_SKIP() << "no netlink sockets here";
  w->set_config(config());
  w->update(WantedRoute{pfx("100.64.1.0/26"), {ip("10.0.0.2"), ip("10.0.5.9")}, false});
  w->update(WantedRoute{pfx("172.16.1.0/26"), {ip("10.0.0.3")}, false});

  FibView v = w->view(pfx("100.64.1.0/26"), 1).get();  // no flush: the queue orders it
  ASSERT_EQ(v.routes.size(), 1u);
  const FibRouteView& parked = v.routes[0];
  EXPECT_EQ(parked.state, "parked");
  EXPECT_EQ(parked.shape,
            "nexthop via 10.0.0.2 dev ternnodev9 onlink nexthop via 10.0.5.9 dev "
            "ternnodev9 onlink");
  EXPECT_EQ(parked.reason.find("ternnodev9 is missing or down"), 0u) << parked.reason;
  EXPECT_NE(parked.reason.find("; pool 100.64.0.0/10 ipipMode Always"), std::string::npos)
      << parked.reason;

  v = w->view(pfx("172.16.1.0/26"), 1).get();
  ASSERT_EQ(v.routes.size(), 1u);
  EXPECT_EQ(v.routes[0].state, "not ours");
  EXPECT_EQ(v.routes[0].shape, "none");
  EXPECT_NE(v.routes[0].reason.find("VXLAN"), std::string::npos) << v.routes[0].reason;

  w->withdraw(pfx("172.16.1.0/26"));
  EXPECT_TRUE(w->view(pfx("172.16.1.0/26"), 1).get().routes.empty());
  EXPECT_EQ(w->status()->not_ours, 0u);
}

TEST(EngineView, ListsTheFirstPrefixesInOrder) {
  auto w = writer_without_kernel_state();
  if (!w) GTEST_SKIP() << "no netlink sockets here";
  w->set_config(config());
  for (int i = 99; i >= 0; --i) {
    Prefix p = pfx("172.16.0.0/24");
    p.b[2] = static_cast<uint8_t>(i);
    w->update(WantedRoute{p, {ip("10.0.0.3")}, false});
  }
  w->update(WantedRoute{pfx("100.64.0.0/26"), {ip("10.0.0.2")}, false});
  FibView v = w->view(std::nullopt, 3).get();
  EXPECT_TRUE(v.truncated);
  ASSERT_EQ(v.routes.size(), 3u);
  EXPECT_EQ(v.routes[0].prefix, pfx("100.64.0.0/26"));
  EXPECT_EQ(v.routes[0].state, "parked");
  EXPECT_EQ(v.routes[1].prefix, pfx("172.16.0.0/24"));
  EXPECT_EQ(v.routes[2].prefix, pfx("172.16.1.0/24"));
  v = w->view(std::nullopt, 1000).get();
  EXPECT_FALSE(v.truncated);
  EXPECT_EQ(v.routes.size(), 101u);
}

}  // namespace
}  // namespace tern::fib
