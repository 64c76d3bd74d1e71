// Route messages as built for a batch parse back to the same route, tag and flags.

#include "fib/netlink/route_msg.hpp"

#include <gtest/gtest.h>
#include <linux/rtnetlink.h>

namespace tern::fib::nl {
namespace {

Prefix pfx(const char* s) {
  return *Prefix::parse(s);
}
IpAddr ip(const char* s) {
  return *IpAddr::parse(s);
}

ParsedRoute roundtrip(const std::vector<uint8_t>& buf) {
  auto p = parse_route(reinterpret_cast<const nlmsghdr*>(buf.data()));
  EXPECT_TRUE(p);
  return p.value_or(ParsedRoute{});
}

TEST(RouteMsg, ReplaceOfAnOnlinkTunnelRoute) {
  std::vector<uint8_t> buf;
  KernelRoute r{pfx("192.168.1.0/26"), false, {{ip("10.0.0.2"), 5, true}}};
  append_replace(buf, 7, true, r, RouteTag{12, 254, 1024});
  const auto* h = reinterpret_cast<const nlmsghdr*>(buf.data());
  EXPECT_EQ(h->nlmsg_len, buf.size());
  EXPECT_EQ(h->nlmsg_flags & (NLM_F_REPLACE | NLM_F_CREATE | NLM_F_ACK),
            NLM_F_REPLACE | NLM_F_CREATE | NLM_F_ACK);
  auto p = roundtrip(buf);
  EXPECT_EQ(p.route, r);
  EXPECT_EQ(p.protocol, 12);
  EXPECT_EQ(p.table, 254u);
  EXPECT_EQ(p.metric, 1024u);
  EXPECT_EQ(p.type, RTN_UNICAST);
}

TEST(RouteMsg, MultipathBlackholeAndIpv6) {
  std::vector<uint8_t> buf;
  KernelRoute mp{
      pfx("192.168.5.7/32"), false, {{ip("10.0.0.2"), 5, true}, {ip("10.0.0.3"), 6, false}}};
  append_replace(buf, 1, false, mp, RouteTag{});
  EXPECT_EQ(roundtrip(buf).route, mp);

  buf.clear();
  KernelRoute bh{pfx("192.168.9.0/26"), true, {}};
  append_replace(buf, 2, false, bh, RouteTag{});
  auto p = roundtrip(buf);
  EXPECT_EQ(p.route, bh);
  EXPECT_EQ(p.type, RTN_BLACKHOLE);

  buf.clear();
  KernelRoute v6{pfx("fd00:1::/64"), false, {{ip("fd00::2"), 3, false}}};
  append_replace(buf, 3, false, v6, RouteTag{99, 1000, 0});
  p = roundtrip(buf);
  EXPECT_EQ(p.route, v6);
  EXPECT_EQ(p.table, 1000u);
  EXPECT_EQ(p.protocol, 99);
}

TEST(RouteMsg, DeleteCarriesOurProtocolSoOthersAreSafe) {
  std::vector<uint8_t> buf;
  append_delete(buf, 4, true, pfx("192.168.1.0/26"), RouteTag{12, 254, 0});
  const auto* h = reinterpret_cast<const nlmsghdr*>(buf.data());
  EXPECT_EQ(h->nlmsg_type, RTM_DELROUTE);
  const auto* r = static_cast<const rtmsg*>(NLMSG_DATA(h));
  EXPECT_EQ(r->rtm_protocol, 12);
  EXPECT_EQ(r->rtm_scope, RT_SCOPE_NOWHERE);
  EXPECT_EQ(r->rtm_type, RTN_UNSPEC);
}

TEST(RouteMsg, BatchOfManyMessagesWalksWithNlmsgNext) {
  std::vector<uint8_t> buf;
  for (uint32_t i = 0; i < 100; ++i) {
    Prefix p{{10, static_cast<uint8_t>(i), 0, 0}, 16, bgp::Afi::kIpv4};
    append_replace(buf, i, i == 99, KernelRoute{p, false, {{ip("10.0.0.2"), 5, true}}}, RouteTag{});
  }
  int left = static_cast<int>(buf.size());
  int count = 0;
  for (auto* h = reinterpret_cast<const nlmsghdr*>(buf.data());
       NLMSG_OK(h, static_cast<unsigned>(left)); h = NLMSG_NEXT(h, left)) {
    EXPECT_EQ(h->nlmsg_seq, static_cast<uint32_t>(count));
    ++count;
  }
  EXPECT_EQ(count, 100);
  EXPECT_EQ(left, 0);
}

TEST(RouteMsg, Ipv6MetricZeroIsStoredAs1024) {
  EXPECT_EQ(effective_metric(bgp::Afi::kIpv6, 0), 1024u);
  EXPECT_EQ(effective_metric(bgp::Afi::kIpv4, 0), 0u);
  EXPECT_EQ(effective_metric(bgp::Afi::kIpv6, 5), 5u);
}

}  // namespace
}  // namespace tern::fib::nl
