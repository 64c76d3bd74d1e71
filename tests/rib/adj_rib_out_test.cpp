// Adj-RIB-Out: packing by attribute set within the message size, superseded work never sent,
// a prefix queued once however often it changes, back-pressure by budget, withdrawals,
// ADD-PATH ids, whole-table and split-off queues.

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

// A Loc-RIB with one queue on it; what is sent is what the paths carry.
class Out : public ::testing::Test {
 protected:
  Out() { rib_.set_peer(1, PeerInfo{false, 64512, 1, *bgp::IpAddr::parse("10.0.0.1")}); }

  AdjRibOut make(bgp::Family f = bgp::kIpv4Unicast, bgp::CodecContext ctx = {}, int slot = 0) {
    return AdjRibOut(f, ctx, slot);
  }
  void announce(AdjRibOut& out, const bgp::Prefix& p, uint32_t lp, uint32_t path_id = 0,
                const char* nh = "10.0.0.1") {
    rib_.announce(p, 1, path_id, pool_.intern(attrs(lp, nh)));
    out.mark(p, *rib_.entry(p));
  }
  void withdraw(AdjRibOut& out, const bgp::Prefix& p, uint32_t path_id = 0) {
    rib_.withdraw(p, 1, path_id);
    out.mark(p, *rib_.entry(p));
  }
  std::vector<bgp::Bytes> pull(AdjRibOut& out, size_t budget = SIZE_MAX) {
    return out.pull(budget, rib_, [](const bgp::Prefix&, const Path& x) { return x.attrs; });
  }

  AttrPool pool_;
  LocRib rib_{64512};
};

TEST_F(Out, PacksOneAttributeSetIntoFewMessagesWithinTheLimit) {
  auto out = make();
  for (uint32_t i = 0; i < 2000; ++i)
    announce(out, v4(i), 100);
  const Seen s = decode_all(pull(out), {});
  EXPECT_EQ(s.announced.size(), 2000u);
  EXPECT_LE(s.messages, 4u) << "2000 /26 at 5 bytes each fit in three 4096-byte UPDATEs";
  EXPECT_FALSE(out.pending());
}

TEST_F(Out, SupersededAnnouncementsAreNeverSent) {
  auto out = make();
  announce(out, v4(1), 100);
  announce(out, v4(1), 200);
  EXPECT_EQ(out.pending_count(), 1u) << "queued once";
  const Seen s = decode_all(pull(out), {});
  ASSERT_EQ(s.announced.size(), 1u);
  EXPECT_EQ(s.announced.begin()->second, 200u);
}

TEST_F(Out, AFlappingPrefixHoldsOneQueueSlot) {
  auto out = make();
  for (int i = 0; i < 1000; ++i) {
    announce(out, v4(1), 100 + i % 2);
    withdraw(out, v4(1));
  }
  EXPECT_EQ(out.pending_count(), 1u);
  const Seen s = decode_all(pull(out), {});
  EXPECT_TRUE(s.announced.empty());
  EXPECT_EQ(s.withdrawn, (std::set<std::string>{"10.244.0.64/26"}));
}

TEST_F(Out, AWithdrawnEntryStaysUntilItsWithdrawalIsSent) {
  auto out = make();
  announce(out, v4(1), 100);
  pull(out);
  withdraw(out, v4(1));
  rib_.announce(v4(2), 1, 0, pool_.intern(attrs(100)));  // any later change to the RIB
  EXPECT_EQ(rib_.find(v4(1)), nullptr) << "no route";
  EXPECT_NE(rib_.entry(v4(1)), nullptr) << "but still queued";
  const Seen s = decode_all(pull(out), {});
  EXPECT_EQ(s.withdrawn, (std::set<std::string>{"10.244.0.64/26"}));
  EXPECT_EQ(rib_.entry(v4(1)), nullptr) << "released once sent";
}

TEST_F(Out, BackPressureByBudget) {
  auto out = make();
  for (uint32_t i = 0; i < 5000; ++i)
    announce(out, v4(i), 100);
  const auto first = pull(out, 100);  // one window, then stop
  EXPECT_LT(decode_all(first, {}).announced.size(), 5000u);
  EXPECT_TRUE(out.pending());
  const auto rest = pull(out);
  EXPECT_EQ(decode_all(first, {}).announced.size() + decode_all(rest, {}).announced.size(), 5000u);
}

TEST_F(Out, DifferentAttributeSetsGoInDifferentMessages) {
  auto out = make();
  announce(out, v4(1), 100);
  announce(out, v4(2), 200);
  announce(out, v4(3), 100);
  const Seen s = decode_all(pull(out), {});
  EXPECT_EQ(s.messages, 2u);
  EXPECT_EQ(s.announced.at("10.244.0.192/26"), 100u);
}

TEST_F(Out, Ipv6GoesThroughMpReachWithItsNextHop) {
  auto out = make(bgp::kIpv6Unicast);
  announce(out, *bgp::Prefix::parse("fd00:244::/64"), 100, 0, "fd00::1");
  const auto msgs = pull(out);
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

TEST_F(Out, AddPathSendAnnouncesTheMultipathSetWithStableIds) {
  bgp::CodecContext ctx;
  ctx.add_path_send = {true, false};
  auto out = make(bgp::kIpv4Unicast, ctx);
  rib_.set_peer(2, PeerInfo{false, 64512, 2, *bgp::IpAddr::parse("10.0.0.2")});
  rib_.announce(v4(1), 1, 0, pool_.intern(attrs(100, "10.0.0.1")));
  rib_.announce(v4(1), 2, 0, pool_.intern(attrs(100, "10.0.0.2")));
  out.mark(v4(1), *rib_.entry(v4(1)));
  bgp::CodecContext rx;
  rx.add_path_receive = {true, false};
  std::set<uint32_t> ids;
  for (const auto& m : pull(out)) {
    auto r = bgp::decode(m, rx);
    ASSERT_TRUE(r.ok());
    for (const auto& n : std::get<bgp::Update>(*r).nlri)
      ids.insert(n.path_id);
  }
  EXPECT_EQ(ids, (std::set<uint32_t>{1, 2})) << "both equal paths, each with its own id";

  out.withdraw_path(v4(1), 2);
  auto r = bgp::decode(pull(out).at(0), rx);
  ASSERT_TRUE(r.ok());
  const auto& u = std::get<bgp::Update>(*r);
  ASSERT_EQ(u.withdrawn.size(), 1u);
  EXPECT_EQ(u.withdrawn[0].path_id, 2u);
}

TEST_F(Out, MarkAllQueuesTheWholeTable) {
  auto out = make();
  for (uint32_t i = 0; i < 10; ++i)
    rib_.announce(v4(i), 1, 0, pool_.intern(attrs(100)));
  out.mark_all(rib_);
  EXPECT_EQ(decode_all(pull(out), {}).announced.size(), 10u);
}

TEST_F(Out, ASplitOffQueueContinuesFromACopyAndReleasesItsHold) {
  auto a = make(bgp::kIpv4Unicast, {}, 0);
  for (uint32_t i = 0; i < 10; ++i)
    announce(a, v4(i), 100);
  withdraw(a, v4(3));
  auto b = make(bgp::kIpv4Unicast, {}, 1);
  b.copy_queue(a, rib_);
  EXPECT_EQ(b.pending_count(), 10u);
  const Seen sa = decode_all(pull(a), {});
  EXPECT_EQ(sa.announced.size(), 9u);
  EXPECT_NE(rib_.entry(v4(3)), nullptr) << "b still has to send its withdrawal";
  b.clear(rib_);
  EXPECT_EQ(rib_.entry(v4(3)), nullptr);
}

// The messages a pull made, against bgp::encode of UPDATEs carrying the same prefixes in the
// same order: IPv4 messages are spliced from a prefix-less one and must not differ by a byte.
void expect_as_encoded(const std::vector<bgp::Bytes>& msgs, const bgp::CodecContext& tx,
                       const bgp::CodecContext& rx) {
  for (const auto& m : msgs) {
    auto r = bgp::decode(m, rx);
    ASSERT_TRUE(r.ok()) << r.error().reason;
    auto again = bgp::encode(bgp::Message{std::get<bgp::Update>(*r)}, tx);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, m);
  }
}

TEST_F(Out, SplicedIpv4UpdatesAreWhatTheEncoderMakes) {
  for (const bool add_path : {false, true}) {
    for (const bool extended : {false, true}) {
      bgp::CodecContext tx, rx;
      tx.add_path_send = {add_path, false};
      rx.add_path_receive = {add_path, false};
      tx.extended_message = rx.extended_message = extended;
      auto out = make(bgp::kIpv4Unicast, tx);
      // Every length from /0 to /32, several messages' worth of each kind.
      auto prefix = [&](uint32_t i) {
        const uint8_t len = static_cast<uint8_t>(i % 33);
        const uint32_t a = (0x0b000000 + (i << 8)) & (len ? ~0u << (32 - len) : 0);
        bgp::Prefix p;
        p.len = len;
        p.b = {static_cast<uint8_t>(a >> 24), static_cast<uint8_t>(a >> 16),
               static_cast<uint8_t>(a >> 8), static_cast<uint8_t>(a)};
        return p;
      };
      for (uint32_t i = 0; i < 6000; ++i)
        announce(out, prefix(i), 100 + i % 3);
      auto msgs = pull(out);
      const Seen s = decode_all(msgs, rx);
      EXPECT_GE(s.messages, 3u);
      expect_as_encoded(msgs, tx, rx);
      for (uint32_t i = 0; i < 6000; ++i)
        withdraw(out, prefix(i));
      msgs = pull(out);
      expect_as_encoded(msgs, tx, rx);
      if (!add_path) {
        const Seen w = decode_all(msgs, rx);
        EXPECT_EQ(w.withdrawn.size(), s.announced.size());
        EXPECT_GT(w.messages, extended ? 0u : 3u) << "withdrawals split at the size limit too";
      }
    }
  }
}

TEST_F(Out, AWindowWithMoreSetsThanPrefixesSendsEveryPathWithItsOwnSet) {
  // ADD-PATH: two paths per prefix, every path with a set of its own, so a window of 1,024
  // prefixes holds 2,048 sets.
  bgp::CodecContext tx, rx;
  tx.add_path_send = {true, false};
  rx.add_path_receive = {true, false};
  auto out = make(bgp::kIpv4Unicast, tx);
  rib_.set_peer(2, PeerInfo{false, 64512, 2, *bgp::IpAddr::parse("10.0.0.2")});
  constexpr uint32_t kPrefixes = 3000;
  for (uint32_t i = 0; i < kPrefixes; ++i) {
    for (uint32_t peer : {1u, 2u}) {
      bgp::PathAttributes a = attrs(100, peer == 1 ? "10.0.0.1" : "10.0.0.2");
      a.communities = std::vector<uint32_t>{i * 2 + peer};
      rib_.announce(v4(i), peer, 0, pool_.intern(std::move(a)));
    }
    out.mark(v4(i), *rib_.entry(v4(i)));
  }
  std::map<std::string, std::set<uint32_t>> tags;
  size_t messages = 0;
  for (const auto& m : pull(out)) {
    auto r = bgp::decode(m, rx);
    ASSERT_TRUE(r.ok());
    const auto& u = std::get<bgp::Update>(*r);
    ASSERT_EQ(u.nlri.size(), 1u) << "one prefix per set";
    tags[bgp::to_string(u.nlri[0].prefix)].insert(u.attrs.communities->at(0));
    ++messages;
  }
  EXPECT_EQ(messages, 2 * kPrefixes);
  ASSERT_EQ(tags.size(), kPrefixes);
  EXPECT_EQ(tags.at(bgp::to_string(v4(7))), (std::set<uint32_t>{15, 16}));
}

}  // namespace
}  // namespace tern::rib
