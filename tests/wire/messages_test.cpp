// KEEPALIVE, NOTIFICATION (with RFC 9003 shutdown text) and ROUTE-REFRESH (RFC 2918/7313).

#include <gtest/gtest.h>

#include "tests/wire/wire_test_util.hpp"

namespace tern::bgp::testing {
namespace {

TEST(Keepalive, GoldenBytesBothWays) {
  const Bytes golden = hex("ffffffffffffffffffffffffffffffff 0013 04");
  auto enc = encode(Message{Keepalive{}}, {});
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, golden);
  auto dec = decode(golden, {});
  ASSERT_TRUE(dec.ok());
  EXPECT_TRUE(std::holds_alternative<Keepalive>(*dec));
}

TEST(Notification, RoundTripKeepsData) {
  const Notification n{err::kUpdate, err::kAttributeLength, hex("8004 03 000064")};
  auto enc = encode(Message{n}, {});
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(*enc, notification_message(3, 5, hex("8004 03 000064")));
  auto dec = decode(*enc, {});
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(std::get<Notification>(*dec), n);
}

TEST(Notification, ShutdownCommunicationRoundTrip) {
  const auto n = Notification::shutdown(err::kAdminShutdown, "maintenance: draining node-3");
  EXPECT_EQ(n.data[0], 28);
  auto dec = decode(*encode(Message{n}, {}), {});
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(std::get<Notification>(*dec).shutdown_text(), "maintenance: draining node-3");
}

TEST(Notification, ShutdownTextIsCutAt255BytesOnACharacterBoundary) {
  std::string text(254, 'a');
  text += "\xc3\xa9";  // a two-byte character straddling the limit
  const auto n = Notification::shutdown(err::kAdminReset, text);
  EXPECT_EQ(n.data[0], 254);
  EXPECT_EQ(n.shutdown_text(), std::string(254, 'a'));
}

TEST(Notification, ShutdownTextControlCharactersAreNeutralised) {
  const Notification n{err::kCease, err::kAdminShutdown,
                       cat({Bytes{9}, hex("6f6b0a0d1b5b316d21")})};
  EXPECT_EQ(n.shutdown_text(), "ok   [1m!");
}

TEST(Notification, ShutdownTextInvalidUtf8IsNotInterpreted) {
  for (const char* bad : {"03 61 c3 28", "02 c0 80", "03 ed a0 80", "02 61 e2", "01 ff"}) {
    const Notification n{err::kCease, err::kAdminShutdown, hex(bad)};
    EXPECT_FALSE(n.shutdown_text().has_value()) << bad;
  }
  const Notification overlong{err::kCease, err::kAdminShutdown, hex("10 6869")};
  EXPECT_FALSE(overlong.shutdown_text().has_value());
  const Notification not_shutdown{err::kCease, err::kPeerDeconfigured, hex("02 6869")};
  EXPECT_FALSE(not_shutdown.shutdown_text().has_value());
}

TEST(Notification, ErrorDescriptionsNameCodeAndSubcode) {
  EXPECT_EQ(describe(3, 1), "3/1 UPDATE Message Error: Malformed Attribute List");
  EXPECT_EQ(describe(6, 2), "6/2 Cease: Administrative Shutdown");
  EXPECT_EQ(describe(8, 0), "8/0 Send Hold Timer Expired");
  EXPECT_EQ(describe(42, 7), "42/7 code 42");
}

TEST(RouteRefresh, GoldenBytesAllSubtypes) {
  for (uint8_t sub : {0, 1, 2}) {
    RouteRefresh rr{2, 1, static_cast<RefreshSubtype>(sub), {}};
    auto enc = encode(Message{rr}, {});
    ASSERT_TRUE(enc.ok());
    EXPECT_EQ(*enc, message(5, Bytes{0, 2, sub, 1}));
    auto dec = decode(*enc, {});
    ASSERT_TRUE(dec.ok());
    EXPECT_EQ(std::get<RouteRefresh>(*dec), rr);
  }
}

TEST(RouteRefresh, BorrWithExtraBytesEchoesTheMessage) {
  const Bytes msg = message(5, hex("0001 01 01 00"));
  auto dec = decode(msg, {});
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(notification_for(dec.error()), notification_message(7, 1, msg));
}

TEST(RouteRefresh, ErrorEchoingAMaximumSizeMessageStillFitsANotification) {
  const Bytes msg = message(5, cat({hex("0001 01 01"), Bytes(4096 - 23, 0)}));
  auto dec = decode(msg, {});
  ASSERT_FALSE(dec.ok());
  auto n = encode(Message{Notification::from_error(dec.error())}, {});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->size(), 4096u);
}

TEST(RouteRefresh, NormalRefreshMayCarryOrfEntries) {
  auto dec = decode(message(5, hex("0001 00 01 01 0003 aabbcc")), {});
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(std::get<RouteRefresh>(*dec).orf, hex("01 0003 aabbcc"));
}

}  // namespace
}  // namespace tern::bgp::testing
