// Message header checks (RFC 4271 6.1) and stream framing, with the exact NOTIFICATION bytes.

#include <gtest/gtest.h>

#include "tests/wire/wire_test_util.hpp"

namespace tern::bgp::testing {
namespace {

Bytes notification_of(ByteSpan stream, const CodecContext& ctx = {}) {
  auto f = frame(stream, ctx);
  EXPECT_FALSE(f.ok());
  return f.ok() ? Bytes{} : notification_for(f.error());
}

TEST(Header, MarkerNotAllOnesIsConnectionNotSynchronized) {
  Bytes m = message(4, {});
  m[3] = 0xfe;
  EXPECT_EQ(notification_of(m), notification_message(1, 1));
}

TEST(Header, LengthBelow19IsBadMessageLengthWithTheLength) {
  Bytes m = message(4, {});
  m[16] = 0;
  m[17] = 18;
  EXPECT_EQ(notification_of(m), notification_message(1, 2, hex("0012")));
}

TEST(Header, LengthAbove4096WithoutExtendedMessages) {
  Bytes m = message(2, Bytes(4096 - 19 + 1, 0));
  EXPECT_EQ(notification_of(m), notification_message(1, 2, hex("1001")));
}

TEST(Header, ExtendedMessagesAllowLargeUpdatesButNotLargeOpens) {
  CodecContext ctx;
  ctx.extended_message = true;
  const Bytes upd = message(2, Bytes(5000, 0));
  auto f = frame(upd, ctx);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->has_value());
  EXPECT_EQ(f->value().length, 5019);
  const Bytes open = message(1, Bytes(5000, 0));
  EXPECT_EQ(notification_of(open, ctx), notification_message(1, 2, hex("139b")));
}

TEST(Header, UnknownTypeIsBadMessageTypeWithTheType) {
  EXPECT_EQ(notification_of(message(6, {})), notification_message(1, 3, hex("06")));
  EXPECT_EQ(notification_of(message(0, {})), notification_message(1, 3, hex("00")));
}

TEST(Header, PerTypeMinimumLengths) {
  EXPECT_EQ(notification_of(message(1, Bytes(9, 0))), notification_message(1, 2, hex("001c")));
  EXPECT_EQ(notification_of(message(2, Bytes(3, 0))), notification_message(1, 2, hex("0016")));
  EXPECT_EQ(notification_of(message(3, Bytes(1, 0))), notification_message(1, 2, hex("0014")));
  EXPECT_EQ(notification_of(message(4, Bytes(1, 0))), notification_message(1, 2, hex("0014")));
  EXPECT_EQ(notification_of(message(5, Bytes(3, 0))), notification_message(1, 2, hex("0016")));
}

TEST(Header, FramingWaitsForTheWholeMessage) {
  const Bytes m = message(4, {});
  for (size_t n = 0; n < m.size(); ++n) {
    auto f = frame(ByteSpan(m).first(n), {});
    ASSERT_TRUE(f.ok());
    EXPECT_FALSE(f->has_value()) << n;
  }
  auto f = frame(m, {});
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ(f->value().type, MessageType::kKeepalive);
}

TEST(Header, FramingSplitsAStreamOfMessages) {
  const Bytes stream = cat({message(4, {}), update_message({}, {}, {}), message(4, {})});
  ByteSpan rest(stream);
  std::vector<MessageType> seen;
  while (!rest.empty()) {
    auto f = frame(rest, {});
    ASSERT_TRUE(f.ok() && f->has_value());
    seen.push_back(f->value().type);
    rest = rest.subspan(f->value().length);
  }
  EXPECT_EQ(seen, (std::vector<MessageType>{MessageType::kKeepalive, MessageType::kUpdate,
                                            MessageType::kKeepalive}));
}

TEST(Header, DecodeRejectsTrailingBytesAfterTheDeclaredLength) {
  Bytes m = message(4, {});
  m.push_back(0);
  auto r = decode(m, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().subcode, err::kBadMessageLength);
}

}  // namespace
}  // namespace tern::bgp::testing
