// Capability negotiation: the matrix of what each side offers, and the NOTIFICATION bytes for
// each OPEN a peer may not send us.

#include <gtest/gtest.h>

#include "bgp/session/negotiate.hpp"
#include "bgp/wire/codec.hpp"
#include "bgp/wire/format.hpp"
#include "tests/wire/wire_test_util.hpp"

namespace tern::bgp {
namespace {

LocalSettings local() {
  LocalSettings s;
  s.local_as = 64512;
  s.router_id = 0x0a000001;
  s.peer_as = 64512;
  s.families = {true, true};
  s.add_path = {AddPathMode::kBoth, AddPathMode::kReceive};
  return s;
}

Open peer_open() {
  LocalSettings p = local();
  p.router_id = 0x0a000002;
  return make_open(p);
}

Bytes notification_bytes(const BgpError& e) {
  return encode(Message{Notification::from_error(e)}, CodecContext{}).value();
}

TEST(Negotiate, OurOpenAnnouncesWhatWeOffer) {
  LocalSettings s = local();
  s.local_as = 4200000001u;
  const Open o = make_open(s);
  EXPECT_EQ(o.my_as, kAsTrans);
  EXPECT_EQ(o.caps.four_octet_as, 4200000001u);
  EXPECT_EQ(o.hold_time, 240);
  EXPECT_EQ(o.caps.multiprotocol, (std::vector<Family>{kIpv4Unicast, kIpv6Unicast}));
  ASSERT_EQ(o.caps.add_path.size(), 2u);
  // It must survive our own decoder.
  EXPECT_TRUE(decode(encode(Message{o}, {}).value(), {}).ok());
}

TEST(Negotiate, IbgpHappyPath) {
  auto n = negotiate(local(), peer_open());
  ASSERT_TRUE(n.ok()) << to_string(n.error());
  EXPECT_FALSE(n->ebgp);
  EXPECT_EQ(n->hold_time, 240);
  EXPECT_EQ(n->keepalive_time, 80);
  EXPECT_TRUE(n->codec.four_octet_as);
  EXPECT_TRUE(n->codec.extended_message);
  EXPECT_TRUE(n->route_refresh);
  EXPECT_EQ(n->families, (std::array<bool, 2>{true, true}));
}

TEST(Negotiate, HoldTimeIsTheSmallerAndZeroMeansNoKeepalives) {
  Open p = peer_open();
  p.hold_time = 9;
  EXPECT_EQ(negotiate(local(), p)->hold_time, 9);
  EXPECT_EQ(negotiate(local(), p)->keepalive_time, 3);
  p.hold_time = 0;
  EXPECT_EQ(negotiate(local(), p)->hold_time, 0);
  EXPECT_EQ(negotiate(local(), p)->keepalive_time, 0);
}

TEST(Negotiate, AHoldTimeBelowTheFloorIsRefusedWithUnacceptableHoldTime) {
  LocalSettings me = local();
  me.min_hold_time = 30;
  Open p = peer_open();
  p.hold_time = 9;
  auto n = negotiate(me, p);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, err::kOpen);
  EXPECT_EQ(n.error().subcode, err::kUnacceptableHoldTime);
  p.hold_time = 30;
  EXPECT_EQ(negotiate(me, p)->hold_time, 30);
  p.hold_time = 0;  // no hold timer at all is a choice the floor leaves alone
  EXPECT_TRUE(negotiate(me, p).ok());
}

TEST(Negotiate, AddPathFlowsOnlyWhereOneSendsAndTheOtherReceives) {
  // We: IPv4 both, IPv6 receive. Peer: IPv4 receive, IPv6 both.
  LocalSettings ps = local();
  ps.router_id = 2;
  ps.add_path = {AddPathMode::kReceive, AddPathMode::kBoth};
  auto n = negotiate(local(), make_open(ps));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->codec.add_path_send, (std::array<bool, 2>{true, false}));
  EXPECT_EQ(n->codec.add_path_receive, (std::array<bool, 2>{false, true}));
  ps.add_path = {std::nullopt, std::nullopt};
  n = negotiate(local(), make_open(ps));
  EXPECT_EQ(n->codec.add_path_send, (std::array<bool, 2>{false, false}));
  EXPECT_EQ(n->codec.add_path_receive, (std::array<bool, 2>{false, false}));
}

TEST(Negotiate, FamiliesAreTheIntersection) {
  LocalSettings ps = local();
  ps.router_id = 2;
  ps.families = {false, true};
  auto n = negotiate(local(), make_open(ps));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->families, (std::array<bool, 2>{false, true}));
  EXPECT_EQ(n->codec.families, n->families);
}

TEST(Negotiate, NoMultiprotocolCapabilityMeansIpv4Unicast) {
  Open p = peer_open();
  p.caps = Capabilities{};
  auto n = negotiate(local(), p);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->families, (std::array<bool, 2>{true, false}));
  EXPECT_FALSE(n->codec.four_octet_as) << "an OLD speaker";
  EXPECT_FALSE(n->codec.extended_message);
}

TEST(Negotiate, NoCommonFamilyIsUnsupportedCapabilityNamingOurs) {
  LocalSettings v6only = local();
  v6only.families = {false, true};
  Open p = peer_open();
  p.caps.multiprotocol = {kIpv4Unicast};
  auto n = negotiate(v6only, p);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(notification_bytes(n.error()), testing::notification_message(2, 7, {1, 4, 0, 2, 0, 1}));
}

TEST(Negotiate, WrongPeerAsIsBadPeerAs) {
  Open p = peer_open();
  LocalSettings s = local();
  s.peer_as = 64513;
  auto n = negotiate(s, p);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(notification_bytes(n.error()), testing::notification_message(2, 2, {0xfc, 0x00}));
}

TEST(Negotiate, MyAsMustAgreeWithTheFourOctetCapability) {
  Open p = peer_open();
  p.my_as = 64999;  // capability says 64512
  auto n = negotiate(local(), p);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().subcode, err::kBadPeerAs);
  LocalSettings s = local();
  s.peer_as = 4200000001u;
  p.caps.four_octet_as = 4200000001u;
  p.my_as = 64512;  // must be AS_TRANS
  EXPECT_FALSE(negotiate(s, p).ok());
  p.my_as = kAsTrans;
  auto ok = negotiate(s, p);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ebgp);
}

TEST(Negotiate, SameIdentifierRefusedInsideAnAsAllowedAcross) {
  Open p = peer_open();
  p.bgp_id = local().router_id;
  auto n = negotiate(local(), p);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(notification_bytes(n.error()), testing::notification_message(2, 3));
  LocalSettings ebgp = local();
  ebgp.peer_as = 64999;
  p.my_as = 64999;
  p.caps.four_octet_as = 64999;
  EXPECT_TRUE(negotiate(ebgp, p).ok());
}

TEST(Negotiate, GracefulRestartOfThePeerIsKept) {
  Open p = peer_open();
  p.caps.graceful_restart = GracefulRestartCap{true, false, 120, {{kIpv4Unicast, true}}};
  auto n = negotiate(local(), p);
  ASSERT_TRUE(n.ok());
  ASSERT_TRUE(n->peer_graceful_restart);
  EXPECT_EQ(n->peer_graceful_restart->restart_time, 120);
}

}  // namespace
}  // namespace tern::bgp
