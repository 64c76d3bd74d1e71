// Adj-RIB-Out: packing by attribute set within the message size, superseded work never sent,
// back-pressure by budget, withdrawals, route refresh.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "bgp/wire/format.hpp"
#include "rib/adj_rib_out.hpp"

namespace tern::rib {
namespace {

bgp::PathAttributes attrs(uint32_t local_pref, const char* nh = "10.0.0.1") {
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.as_path = bgp::AsPath{};
  a.local_pref = local_pref;
  a.next_hop = *bgp::IpAddr::parse(nh);
  return a;
}

bgp::Prefix v4(uint32_t i, uint8_t len = 26) {
  bgp::Prefix p;
  p.len = len;
  const uint32_t a = 0x0af40000 + (i << 6);
  p.b = {static_cast<uint8_t>(a >> 24), static_cast<uint8_t>(a >> 16), static_cast<uint8_t>(a >> 8),
         static_cast<uint8_t>(a)};
  return p;
}

// Everything the messages announce and withdraw, decoded back.
struct Seen {
  std::map<std::string, uint32_t> announced;  // prefix -> local pref
  std::set<std::string> withdrawn;
  size_t messages = 0;
};

Seen decode_all(const std::vector<bgp::Bytes>& msgs, const bgp::CodecContext& ctx) {
  Seen s;
  for (const auto& m : msgs) {
    ++s.messages;
    auto r = bgp::decode(m, ctx);
    EXPECT_TRUE(r.ok());
    if (!r.ok()) continue;
    const auto& u = std::get<bgp::Update>(*r);
    EXPECT_LE(m.size(), ctx.max_message_size());
    for (const auto& n : u.nlri)
      s.announced[bgp::to_string(n.prefix)] = *u.attrs.local_pref;
    if (u.mp_reach)
      for (const auto& n : u.mp_reach->nlri)
        s.announced[bgp::to_string(n.prefix)] = *u.attrs.local_pref;
    for (const auto& n : u.withdrawn)
      s.withdrawn.insert(bgp::to_string(n.prefix));
    if (u.mp_unreach)
      for (const auto& n : u.mp_unreach->withdrawn)
        s.withdrawn.insert(bgp::to_string(n.prefix));
  }
  return s;
}

TEST(AdjRibOut, PacksOneAttributeSetIntoFewMessagesWithinTheLimit) {
  AttrPool pool;
  AdjRibOut out(bgp::kIpv4Unicast, {});
  const AttrRef a = pool.intern(attrs(100));
  for (uint32_t i = 0; i < 2000; ++i)
    out.set(v4(i), a);
  const auto msgs = out.pull(SIZE_MAX);
  const Seen s = decode_all(msgs, {});
  EXPECT_EQ(s.announced.size(), 2000u);
  EXPECT_LE(s.messages, 4u) << "2000 /26 at 5 bytes each fit in three 4096-byte UPDATEs";
  EXPECT_FALSE(out.pending());
  EXPECT_EQ(out.sent().size(), 2000u);
}

TEST(AdjRibOut, SupersededAnnouncementsAreNeverSent) {
  AttrPool pool;
  AdjRibOut out(bgp::kIpv4Unicast, {});
  out.set(v4(1), pool.intern(attrs(100)));
  out.set(v4(1), pool.intern(attrs(200)));
  const Seen s = decode_all(out.pull(SIZE_MAX), {});
  ASSERT_EQ(s.announced.size(), 1u);
  EXPECT_EQ(s.announced.begin()->second, 200u);
}

TEST(AdjRibOut, AnnounceThenWithdrawBeforeSendingIsSilence) {
  AttrPool pool;
  AdjRibOut out(bgp::kIpv4Unicast, {});
  out.set(v4(1), pool.intern(attrs(100)));
  out.set(v4(1), nullptr);
  EXPECT_FALSE(out.pending());
  EXPECT_TRUE(out.pull(SIZE_MAX).empty());
}

TEST(AdjRibOut, WithdrawAfterSendingIsSentAndForgotten) {
  AttrPool pool;
  AdjRibOut out(bgp::kIpv4Unicast, {});
  out.set(v4(1), pool.intern(attrs(100)));
  out.pull(SIZE_MAX);
  out.set(v4(1), nullptr);
  const Seen s = decode_all(out.pull(SIZE_MAX), {});
  EXPECT_EQ(s.withdrawn, (std::set<std::string>{"10.244.0.64/26"}));
  EXPECT_TRUE(out.sent().empty());
  out.set(v4(1), pool.intern(attrs(100)));
  out.set(v4(1), pool.intern(attrs(100)));
  EXPECT_EQ(out.pending_count(), 1u);
}

TEST(AdjRibOut, BackPressureByBudget) {
  AttrPool pool;
  AdjRibOut out(bgp::kIpv4Unicast, {});
  const AttrRef a = pool.intern(attrs(100));
  for (uint32_t i = 0; i < 2000; ++i)
    out.set(v4(i), a);
  const auto first = out.pull(100);  // one message, then stop
  EXPECT_EQ(first.size(), 1u);
  EXPECT_TRUE(out.pending());
  const auto rest = out.pull(SIZE_MAX);
  EXPECT_EQ(decode_all(first, {}).announced.size() + decode_all(rest, {}).announced.size(), 2000u);
}

TEST(AdjRibOut, DifferentAttributeSetsGoInDifferentMessages) {
  AttrPool pool;
  AdjRibOut out(bgp::kIpv4Unicast, {});
  out.set(v4(1), pool.intern(attrs(100)));
  out.set(v4(2), pool.intern(attrs(200)));
  out.set(v4(3), pool.intern(attrs(100)));
  const Seen s = decode_all(out.pull(SIZE_MAX), {});
  EXPECT_EQ(s.messages, 2u);
  EXPECT_EQ(s.announced.at("10.244.0.192/26"), 100u);
}

TEST(AdjRibOut, Ipv6GoesThroughMpReachWithItsNextHop) {
  AttrPool pool;
  AdjRibOut out(bgp::kIpv6Unicast, {});
  out.set(*bgp::Prefix::parse("fd00:244::/64"), pool.intern(attrs(100, "fd00::1")));
  const auto msgs = out.pull(SIZE_MAX);
  ASSERT_EQ(msgs.size(), 1u);
  auto r = bgp::decode(msgs[0], {});
  ASSERT_TRUE(r.ok());
  const auto& u = std::get<bgp::Update>(*r);
  ASSERT_TRUE(u.mp_reach);
  EXPECT_EQ(bgp::to_string(u.mp_reach->next_hop.global), "fd00::1");
  EXPECT_FALSE(u.attrs.next_hop);
  auto eor = bgp::decode(out.end_of_rib(), {});
  EXPECT_EQ(std::get<bgp::Update>(*eor).end_of_rib, bgp::kIpv6Unicast);
}

TEST(AdjRibOut, AddPathSendCarriesAPathId) {
  AttrPool pool;
  bgp::CodecContext ctx;
  ctx.add_path_send = {true, false};
  AdjRibOut out(bgp::kIpv4Unicast, ctx);
  out.set(v4(1), pool.intern(attrs(100)));
  bgp::CodecContext rx;
  rx.add_path_receive = {true, false};
  auto r = bgp::decode(out.pull(SIZE_MAX).at(0), rx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<bgp::Update>(*r).nlri.at(0).path_id, 1u);
}

TEST(AdjRibOut, RouteRefreshResendsEverything) {
  AttrPool pool;
  AdjRibOut out(bgp::kIpv4Unicast, {});
  for (uint32_t i = 0; i < 10; ++i)
    out.set(v4(i), pool.intern(attrs(100)));
  out.pull(SIZE_MAX);
  out.resend_all();
  EXPECT_EQ(decode_all(out.pull(SIZE_MAX), {}).announced.size(), 10u);
}

}  // namespace
}  // namespace tern::rib
