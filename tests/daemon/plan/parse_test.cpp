// The small parsers behind the planner: Go durations, peerIP with ports, base64, communities,
// and the hashed router id (SHA-256 of the node name, as Calico's hashToIPv4).

#include "daemon/plan/parse.hpp"

#include <gtest/gtest.h>

#include "daemon/plan/routes.hpp"

namespace tern::plan {
namespace {

TEST(Parse, Durations) {
  EXPECT_EQ(parse_duration_seconds("120s"), 120u);
  EXPECT_EQ(parse_duration_seconds("2m"), 120u);
  EXPECT_EQ(parse_duration_seconds("2m30s"), 150u);
  EXPECT_EQ(parse_duration_seconds("1h"), 3600u);
  EXPECT_EQ(parse_duration_seconds("1.5s"), 2u);  // confd rounds
  EXPECT_EQ(parse_duration_seconds("1400ms"), 1u);
  EXPECT_EQ(parse_duration_seconds("0"), 0u);
  for (const char* bad : {"", "10", "s", "-5s", "5x", "1..2s", "5 s"})
    EXPECT_FALSE(parse_duration_seconds(bad)) << bad;
}

TEST(Parse, PeerIp) {
  auto a = parse_peer_ip("10.0.0.1");
  ASSERT_TRUE(a);
  EXPECT_EQ(bgp::to_string(a->ip), "10.0.0.1");
  EXPECT_FALSE(a->port);
  auto b = parse_peer_ip("10.0.0.1:1790");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port, 1790);
  auto c = parse_peer_ip("[fd00::1]:1791");
  ASSERT_TRUE(c);
  EXPECT_EQ(bgp::to_string(c->ip), "fd00::1");
  EXPECT_EQ(c->port, 1791);
  auto d = parse_peer_ip("fd00::1");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->port);
  for (const char* bad :
       {"", "10.0.0.1:", "10.0.0.1:70000", "[fd00::1]", "host:179", "[fd00::1]179"})
    EXPECT_FALSE(parse_peer_ip(bad)) << bad;
}

TEST(Parse, Base64) {
  EXPECT_EQ(base64_decode("dG9yLXB3"), "tor-pw");
  EXPECT_EQ(base64_decode("aWdub3JlZA=="), "ignored");
  EXPECT_EQ(base64_decode("aWdub3JlZA"), "ignored");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_FALSE(base64_decode("a"));
  EXPECT_FALSE(base64_decode("ab$d"));
}

TEST(Parse, Communities) {
  auto s = parse_community("65000:100");
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->large);
  EXPECT_EQ(s->standard, 65000u << 16 | 100);
  auto l = parse_community("4200000000:1:2");
  ASSERT_TRUE(l);
  EXPECT_TRUE(l->large);
  EXPECT_EQ(l->large_value, (bgp::LargeCommunity{4200000000u, 1, 2}));
  for (const char* bad : {"", "65536:1", "1:2:3:4", "a:b", "pods"})
    EXPECT_FALSE(parse_community(bad)) << bad;
}

TEST(Parse, HashedRouterIdIsSha256OfTheName) {
  // SHA-256("abc") begins ba 78 16 bf.
  EXPECT_EQ(detail::hashed_router_id("abc"), 0xba7816bfu);
  // SHA-256("") begins e3 b0 c4 42: 227 > 223 becomes 195.
  EXPECT_EQ(detail::hashed_router_id(""), 0xc3b0c442u);
}

}  // namespace
}  // namespace tern::plan
