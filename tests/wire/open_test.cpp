// OPEN and capabilities: round trips, RFC 9072 extended parameters, and every OPEN error with
// its NOTIFICATION bytes.

#include <gtest/gtest.h>

#include "tests/wire/wire_test_util.hpp"

namespace tern::bgp::testing {
namespace {

Open full_open() {
  Open o;
  o.my_as = kAsTrans;
  o.hold_time = 240;
  o.bgp_id = 0x0a000001;
  auto& c = o.caps;
  c.multiprotocol = {kIpv4Unicast, kIpv6Unicast};
  c.route_refresh = true;
  c.enhanced_route_refresh = true;
  c.extended_message = true;
  c.four_octet_as = 4200000001u;
  c.graceful_restart =
      GracefulRestartCap{true, true, 120, {{kIpv4Unicast, true}, {kIpv6Unicast, false}}};
  c.add_path = {{kIpv4Unicast, AddPathMode::kBoth}, {kIpv6Unicast, AddPathMode::kReceive}};
  c.long_lived_gr = LongLivedGrCap{{{kIpv4Unicast, true, 3600}}};
  c.fqdn = FqdnCap{"node-1", "cluster.local"};
  c.unknown = {{9, {1}}, {128, {}}};
  return o;
}

Bytes open_body(uint8_t version, uint16_t as, uint16_t hold, uint32_t id, const Bytes& params) {
  return cat({Bytes{version}, u16be(as), u16be(hold),
              Bytes{static_cast<uint8_t>(id >> 24), static_cast<uint8_t>(id >> 16),
                    static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id)},
              Bytes{static_cast<uint8_t>(params.size())}, params});
}

Bytes decode_error_notification(const Bytes& msg) {
  auto r = decode(msg, {});
  EXPECT_FALSE(r.ok());
  return r.ok() ? Bytes{} : notification_for(r.error());
}

TEST(Open, RoundTripWithEveryCapability) {
  const Open o = full_open();
  auto bytes = encode(Message{o}, {});
  ASSERT_TRUE(bytes.ok());
  auto back = decode(*bytes, {});
  ASSERT_TRUE(back.ok()) << to_string(back.error());
  EXPECT_EQ(std::get<Open>(*back), o) << to_string(*back);
  EXPECT_EQ(std::get<Open>(*back).effective_as(), 4200000001u);
}

TEST(Open, GoldenMinimalOpen) {
  Open o;
  o.my_as = 64512;
  o.hold_time = 90;
  o.bgp_id = 0x0a000002;
  o.caps.multiprotocol = {kIpv4Unicast};
  o.caps.four_octet_as = 64512;
  auto bytes = encode(Message{o}, {});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(to_hex(*bytes), to_hex(message(1, hex("04 fc00 005a 0a000002 0e 02 0c"
                                                  "01 04 0001 00 01"
                                                  "41 04 0000fc00"))));
}

TEST(Open, ExtendedOptionalParametersRfc9072) {
  Open o = full_open();
  // Enough unknown capabilities to push the parameters past 255 bytes.
  for (uint8_t code = 200; code < 210; ++code)
    o.caps.unknown.push_back({code, Bytes(30, code)});
  auto bytes = encode(Message{o}, {});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ((*bytes)[28], 255) << "Non-Ext OP Len";
  EXPECT_EQ((*bytes)[29], 255) << "Non-Ext OP Type";
  auto back = decode(*bytes, {});
  ASSERT_TRUE(back.ok()) << to_string(back.error());
  EXPECT_EQ(std::get<Open>(*back), o);
}

TEST(Open, OversizedFqdnIsCutToFitItsCapability) {
  Open o = full_open();
  o.caps.fqdn = FqdnCap{std::string(255, 'h'), std::string(255, 'd')};
  auto bytes = encode(Message{o}, {});
  ASSERT_TRUE(bytes.ok());
  auto back = decode(*bytes, {});
  ASSERT_TRUE(back.ok()) << to_string(back.error());
  const auto& f = std::get<Open>(*back).caps.fqdn;
  ASSERT_TRUE(f);
  EXPECT_EQ(f->hostname.size() + f->domain.size(), 253u);
}

TEST(Open, SeveralCapabilityParametersAreMerged) {
  const Bytes params = hex("02 06 01 04 0001 0001  02 06 41 04 0000fde8  02 00");
  auto r = decode(message(1, open_body(4, 65000, 90, 1, params)), {});
  ASSERT_TRUE(r.ok()) << to_string(r.error());
  const auto& o = std::get<Open>(*r);
  EXPECT_EQ(o.caps.multiprotocol, std::vector<Family>{kIpv4Unicast});
  EXPECT_EQ(o.caps.four_octet_as, 65000u);
}

TEST(Open, UnknownFamilyAndUnknownCapabilityAreKeptRaw) {
  const Bytes params = hex("02 0c 01 04 0019 0046 4d 04 01020304");
  auto r = decode(message(1, open_body(4, 65000, 90, 1, params)), {});
  ASSERT_TRUE(r.ok()) << to_string(r.error());
  const auto& c = std::get<Open>(*r).caps;
  EXPECT_TRUE(c.multiprotocol.empty());
  ASSERT_EQ(c.unknown.size(), 2u);
  EXPECT_EQ(c.unknown[0].code, 1);
  EXPECT_EQ(c.unknown[1].code, 0x4d);
}

TEST(Open, AddPathWithBadModeIsNotUnderstood) {
  const Bytes params = hex("02 06 45 04 0001 01 07");
  auto r = decode(message(1, open_body(4, 65000, 90, 1, params)), {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::get<Open>(*r).caps.add_path.empty());
}

TEST(Open, GracefulRestartLastInstanceWins) {
  const Bytes params = hex("02 04 40 02 0078  02 08 40 06 803c 0001 01 80");
  auto r = decode(message(1, open_body(4, 65000, 90, 1, params)), {});
  ASSERT_TRUE(r.ok());
  const auto& gr = std::get<Open>(*r).caps.graceful_restart;
  ASSERT_TRUE(gr);
  EXPECT_TRUE(gr->restarting);
  EXPECT_EQ(gr->restart_time, 60);
  ASSERT_EQ(gr->families.size(), 1u);
  EXPECT_TRUE(gr->families[0].forwarding_preserved);
}

TEST(OpenErrors, UnsupportedVersionCarriesOurVersion) {
  EXPECT_EQ(decode_error_notification(message(1, open_body(3, 65000, 90, 1, {}))),
            notification_message(2, 1, hex("0004")));
}

TEST(OpenErrors, PeerAsZeroIsBadPeerAs) {
  EXPECT_EQ(decode_error_notification(message(1, open_body(4, 0, 90, 1, {}))),
            notification_message(2, 2));
  EXPECT_EQ(decode_error_notification(
                message(1, open_body(4, kAsTrans, 90, 1, hex("02 06 41 04 00000000")))),
            notification_message(2, 2));
}

TEST(OpenErrors, BgpIdentifierZero) {
  EXPECT_EQ(decode_error_notification(message(1, open_body(4, 65000, 90, 0, {}))),
            notification_message(2, 3));
}

TEST(OpenErrors, HoldTimeOneOrTwo) {
  for (uint16_t hold : {1, 2})
    EXPECT_EQ(decode_error_notification(message(1, open_body(4, 65000, hold, 1, {}))),
              notification_message(2, 6));
  for (uint16_t hold : {0, 3})
    EXPECT_TRUE(decode(message(1, open_body(4, 65000, hold, 1, {})), {}).ok());
}

TEST(OpenErrors, UnsupportedOptionalParameter) {
  EXPECT_EQ(decode_error_notification(message(1, open_body(4, 65000, 90, 1, hex("01 02 0000")))),
            notification_message(2, 4));
}

TEST(OpenErrors, ParameterOverrunsTheField) {
  EXPECT_EQ(
      decode_error_notification(message(1, open_body(4, 65000, 90, 1, hex("02 08 0104 0001")))),
      notification_message(2, 0));
}

TEST(OpenErrors, OptionalParametersLengthDisagreesWithMessage) {
  Bytes body = open_body(4, 65000, 90, 1, hex("02 06 01 04 0001 0001"));
  body.push_back(0);  // one byte the parameter length does not cover
  EXPECT_EQ(decode_error_notification(message(1, body)), notification_message(2, 0));
}

TEST(OpenErrors, MalformedCapabilityLengths) {
  for (const char* cap : {"01 03 000100", "41 02 0000", "40 03 000000", "45 03 000101", "02 01 00",
                          "06 01 00", "47 06 000101800000", "49 03 05 6869"}) {
    const Bytes c = hex(cap);
    const Bytes params = cat({Bytes{2, static_cast<uint8_t>(c.size())}, c});
    EXPECT_EQ(decode_error_notification(message(1, open_body(4, 65000, 90, 1, params))),
              notification_message(2, 0))
        << cap;
  }
}

}  // namespace
}  // namespace tern::bgp::testing
