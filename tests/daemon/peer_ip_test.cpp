#include "daemon/intent/peer_ip.hpp"

#include <gtest/gtest.h>

namespace tern::intent {
namespace {

TEST(PeerIp, Forms) {
  auto v4 = std::get<PeerIp>(parse_peer_ip("10.0.0.1"));
  EXPECT_EQ(bgp::to_string(v4.address), "10.0.0.1");
  EXPECT_FALSE(v4.port);
  auto v4p = std::get<PeerIp>(parse_peer_ip("10.0.0.1:1179"));
  EXPECT_EQ(v4p.port, 1179);
  EXPECT_EQ(std::get<PeerIp>(parse_peer_ip("10.0.0.1:1790")).port, 1790);
  auto v6 = std::get<PeerIp>(parse_peer_ip("fd00::1"));
  EXPECT_EQ(v6.address.afi, bgp::Afi::kIpv6);
  EXPECT_FALSE(v6.port);
  auto v6p = std::get<PeerIp>(parse_peer_ip("[fd00::1]:179"));
  EXPECT_EQ(bgp::to_string(v6p.address), "fd00::1");
  EXPECT_EQ(v6p.port, 179);
  EXPECT_EQ(std::get<PeerIp>(parse_peer_ip("[fd00::1]:1791")).port, 1791);
  EXPECT_EQ(std::get<PeerIp>(parse_peer_ip("10.0.0.1:65535")).port, 65535);
}

// net.SplitHostPort takes any host in brackets; Calico's check then only asks for an IP.
TEST(PeerIp, BracketedIpv4IsAnAddressWithAPort) {
  auto p = std::get<PeerIp>(parse_peer_ip("[10.0.0.1]:179"));
  EXPECT_EQ(bgp::to_string(p.address), "10.0.0.1");
  EXPECT_EQ(p.port, 179);
}

TEST(PeerIp, Rejects) {
  for (const char* bad :
       {"", "10.0.0.1:0", "[fd00::1]:0", "10.0.0.1:65536", "10.0.0.1:70000",
        "10.0.0.1:", "host:179", "[fd00::1]", "[fd00::1]179", "[fd00::1:179", "[host]:179",
        "fd00::1::179x", "10.0.0.1:x", "10.0.0.1:+179", "10.0.0.256"})
    EXPECT_TRUE(std::holds_alternative<std::string>(parse_peer_ip(bad))) << bad;
  // Calico's validation refuses port 0 (confd alone would read it as no port).
  EXPECT_EQ(std::get<std::string>(parse_peer_ip("10.0.0.1:0")),
            "bad port \"0\" (expected 1-65535)");
}

}  // namespace
}  // namespace tern::intent
