#include "daemon/peering.hpp"

#include <gtest/gtest.h>

namespace tern {
namespace {

bgp::IpAddr ip(const char* s) {
  return *bgp::IpAddr::parse(s);
}
bgp::Prefix pfx(const char* s) {
  return *bgp::Prefix::parse(s);
}

plan::PlannedPeer peer(const char* name, const char* addr) {
  plan::PlannedPeer p;
  p.name = name;
  p.address = ip(addr);
  p.peer_as = p.local_as = 64512;
  return p;
}

plan::Plan base() {
  plan::Plan p;
  p.router_id = ip("10.0.0.1").v4_value();
  p.ipv4_address = ip("10.0.0.1");
  p.peers = {peer("Mesh_10_0_0_2", "10.0.0.2"), peer("Mesh_10_0_0_3", "10.0.0.3")};
  p.originate = {{pfx("10.244.1.0/26"), plan::Origination::Kind::kBlock}};
  return p;
}

struct PeeringTest : ::testing::Test {
  bgp::asio::io_context io;
  Speaker speaker{io, rib::LocalIdentity{64512, ip("10.0.0.1").v4_value(), 0}};
  Peering peering{speaker};
};

TEST_F(PeeringTest, AChangedPeerAloneIsReset) {
  auto first = peering.apply(base(), false);
  EXPECT_EQ(first.added.size(), 2u);
  EXPECT_EQ(first.originated, 1u);
  const auto id2 = peering.id("Mesh_10_0_0_2");
  ASSERT_NE(id2, 0);

  auto next = base();
  next.peers[1].password = "secret";
  auto ch = peering.apply(next, false);
  EXPECT_TRUE(ch.added.empty());
  EXPECT_TRUE(ch.removed.empty());
  EXPECT_EQ(ch.replaced, std::vector<std::string>{"Mesh_10_0_0_3"});
  EXPECT_EQ(peering.id("Mesh_10_0_0_2"), id2);  // untouched
  EXPECT_NE(peering.id("Mesh_10_0_0_3"), 0);
  EXPECT_EQ(ch.originated + ch.withdrawn, 0u);
}

TEST_F(PeeringTest, APeerWhoseFiltersAloneChangedKeepsItsSession) {
  peering.apply(base(), false);
  const auto id3 = peering.id("Mesh_10_0_0_3");
  auto next = base();
  next.peers[1].filters = {"no-transit"};
  next.peers[1].export_filter.rules = {
      {pfx("10.245.0.0/16"), rib::PrefixRule::Match::kOrLonger, true}};
  next.peers[1].import_filter.default_accept = false;
  auto ch = peering.apply(next, false);
  EXPECT_TRUE(ch.replaced.empty());
  EXPECT_EQ(ch.refiltered, std::vector<std::string>{"Mesh_10_0_0_3"});
  EXPECT_EQ(peering.id("Mesh_10_0_0_3"), id3) << "the same session";
  EXPECT_TRUE(peering.apply(next, false).refiltered.empty()) << "applied once";
  EXPECT_TRUE(only_filters_differ(base().peers[1], next.peers[1]));
  next.peers[1].restart_time = 30;
  EXPECT_FALSE(only_filters_differ(base().peers[1], next.peers[1]));
}

TEST_F(PeeringTest, ANodeWhoseAddressChangedIsReplacedByName) {
  peering.apply(base(), false);
  auto next = base();
  next.peers[1] = peer("Mesh_10_0_0_4", "10.0.0.4");
  auto ch = peering.apply(next, false);
  EXPECT_EQ(ch.removed, std::vector<std::string>{"Mesh_10_0_0_3"});
  EXPECT_EQ(ch.added, std::vector<std::string>{"Mesh_10_0_0_4"});
  EXPECT_EQ(peering.id("Mesh_10_0_0_3"), 0);
  EXPECT_EQ(speaker.sessions().size(), 2u);
}

TEST_F(PeeringTest, OriginationsFollowThePlan) {
  peering.apply(base(), false);
  EXPECT_EQ(speaker.rib(bgp::kIpv4Unicast).size(), 1u);
  auto next = base();
  next.originate = {{pfx("10.244.1.64/26"), plan::Origination::Kind::kBlock},
                    {pfx("10.244.9.7/32"), plan::Origination::Kind::kBorrowed}};
  auto ch = peering.apply(next, false);
  EXPECT_EQ(ch.originated, 2u);
  EXPECT_EQ(ch.withdrawn, 1u);
  const auto& rib = speaker.rib(bgp::kIpv4Unicast);
  EXPECT_EQ(rib.size(), 2u);
  EXPECT_FALSE(rib.entry(pfx("10.244.1.0/26")) &&
               !rib.entry(pfx("10.244.1.0/26"))->multipath().empty());
}

TEST(SpeakerPeer, CarriesCalicoSessionSettings) {
  auto plan = base();
  auto p = peer("Node_10_10_1_1", "10.10.1.1");
  p.peer_as = 65001;
  p.ebgp = true;
  p.password = "pw";
  p.ttl_security = 1;
  p.restart_time = 300;
  p.keepalive_time = 10;
  p.next_hop_self = true;
  p.source_address = ip("10.0.0.1");
  auto sp = speaker_peer(p, plan, true);
  EXPECT_EQ(sp.session.name, "Node_10_10_1_1");
  EXPECT_EQ(sp.session.md5_password, "pw");
  EXPECT_EQ(sp.session.ttl_security_hops, 1);
  EXPECT_EQ(sp.session.settings.peer_as, 65001u);
  EXPECT_EQ(sp.session.settings.hold_time, 30);
  ASSERT_TRUE(sp.session.settings.graceful_restart);
  EXPECT_TRUE(sp.session.settings.graceful_restart->restarting);
  EXPECT_EQ(sp.session.settings.graceful_restart->restart_time, 300);
  EXPECT_TRUE(sp.session.settings.graceful_restart->families.at(0).forwarding_preserved);
  EXPECT_TRUE(sp.policy.ebgp);
  EXPECT_TRUE(sp.policy.next_hop_self);
  EXPECT_EQ(sp.policy.local_address, ip("10.0.0.1"));
  ASSERT_TRUE(sp.session.local);
  EXPECT_EQ(sp.session.local->to_string(), "10.0.0.1");
}

// ternd's --min-hold-time and --send-hold-time reach every session it runs.
TEST(PeeringSettings, ApplyToEverySession) {
  bgp::asio::io_context io;
  Speaker speaker{io, rib::LocalIdentity{64512, ip("10.0.0.1").v4_value(), 0}};
  Peering peering{speaker, PeerLimits{}, 5, std::chrono::seconds(8)};
  const auto plan = base();
  for (const auto& p : plan.peers) {
    auto sp = peering.peer_for(p, plan, false);
    EXPECT_EQ(sp.session.send_hold, std::chrono::seconds(8));
    EXPECT_EQ(sp.session.settings.min_hold_time, 5);
  }
  Peering defaults{speaker};
  EXPECT_EQ(defaults.peer_for(plan.peers[0], plan, false).session.send_hold, bgp::Millis(0))
      << "zero: the RFC 9687 default";
}

}  // namespace
}  // namespace tern
