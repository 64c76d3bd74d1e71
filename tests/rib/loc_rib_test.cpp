// The Loc-RIB: announcements, replacements, withdrawals and peer loss report exactly the
// best-path changes; a randomised run checks thousands of events against a model recomputed
// from scratch after each one.

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "rib/loc_rib.hpp"
#include "rib/policy.hpp"

namespace tern::rib {
namespace {

bgp::Prefix pfx(const char* s) {
  return *bgp::Prefix::parse(s);
}

bgp::PathAttributes attrs(std::vector<uint32_t> path, uint32_t local_pref = 100, uint32_t med = 0) {
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.as_path = bgp::AsPath{};
  if (!path.empty()) a.as_path->segments.push_back({bgp::SegmentType::kSequence, std::move(path)});
  a.local_pref = local_pref;
  a.med = med;
  a.next_hop = bgp::IpAddr::v4(0x0a000001);
  return a;
}

class LocRibTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (PeerId p = 1; p <= 5; ++p) {
      rib_.set_peer(p, PeerInfo{p > 3, p > 3 ? 65000 + p : 64512, 0x0a000000 + p,
                                bgp::IpAddr::v4(0x0a000000 + p)});
    }
  }
  AttrPool pool_;
  LocRib rib_{64512};
};

TEST_F(LocRibTest, FirstAnnouncementIsAChange) {
  auto c = rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({})));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->before.empty());
  ASSERT_EQ(c->after.size(), 1u);
  EXPECT_EQ(c->after[0].peer, 1u);
}

TEST_F(LocRibTest, SameAnnouncementAgainIsNoChange) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({})));
  EXPECT_FALSE(rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({}))));
}

TEST_F(LocRibTest, WorsePathFromAnotherPeerDoesNotChangeTheBest) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({}, 200)));
  EXPECT_FALSE(rib_.announce(pfx("10.244.1.0/26"), 2, 0, pool_.intern(attrs({}, 100))));
  const RouteEntry* e = rib_.find(pfx("10.244.1.0/26"));
  ASSERT_TRUE(e);
  ASSERT_EQ(e->paths().size(), 2u);
  EXPECT_EQ(e->paths()[0].lost_at(), Step::kBest);
  EXPECT_EQ(e->paths()[1].lost_at(), Step::kLocalPref) << "the API can say why it lost";
}

TEST_F(LocRibTest, ARefusedPathIsKeptWithItsReasonButNeverChosen) {
  const auto loop = static_cast<uint8_t>(ImportVerdict::kAsLoop);
  // Better on LOCAL_PREF, but refused on import.
  EXPECT_FALSE(rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({}, 500)), loop));
  EXPECT_EQ(rib_.size(), 0u) << "no usable route";
  const RouteEntry* e = rib_.find(pfx("10.244.1.0/26"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->best(), nullptr);
  EXPECT_EQ(e->paths()[0].lost_at(), Step::kRejected);

  auto c = rib_.announce(pfx("10.244.1.0/26"), 2, 0, pool_.intern(attrs({}, 100)));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->after.size(), 1u);
  EXPECT_EQ(c->after[0].peer, 2u);
  EXPECT_EQ(rib_.size(), 1u);
  // The same path again, now accepted (say the filter changed): it wins.
  c = rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({}, 500)));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->after[0].peer, 1u);
  EXPECT_EQ(rib_.size(), 1u);
}

TEST_F(LocRibTest, EqualPathsFormTheMultipathSet) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({})));
  auto c = rib_.announce(pfx("10.244.1.0/26"), 2, 0, pool_.intern(attrs({})));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->after.size(), 2u);
}

TEST_F(LocRibTest, WithdrawingTheLastPathRemovesThePrefix) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({})));
  auto c = rib_.withdraw(pfx("10.244.1.0/26"), 1, 0);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->after.empty());
  EXPECT_EQ(rib_.find(pfx("10.244.1.0/26")), nullptr);
  EXPECT_FALSE(rib_.withdraw(pfx("10.244.1.0/26"), 1, 0)) << "unknown withdraws are ignored";
}

TEST_F(LocRibTest, DroppingAPeerReportsEveryPrefixItWasBestFor) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({}, 200)));
  rib_.announce(pfx("10.244.2.0/26"), 1, 0, pool_.intern(attrs({})));
  rib_.announce(pfx("10.244.2.0/26"), 2, 0, pool_.intern(attrs({}, 50)));
  auto changes = rib_.drop_peer(1);
  EXPECT_EQ(changes.size(), 2u);
  EXPECT_EQ(rib_.size(), 1u);
  EXPECT_EQ(rib_.find(pfx("10.244.2.0/26"))->best()->peer, 2u);
}

TEST_F(LocRibTest, AddPathIdsKeepPathsApart) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 1, pool_.intern(attrs({}, 100)));
  rib_.announce(pfx("10.244.1.0/26"), 1, 2, pool_.intern(attrs({}, 300)));
  EXPECT_EQ(rib_.find(pfx("10.244.1.0/26"))->best()->path_id, 2u);
  rib_.withdraw(pfx("10.244.1.0/26"), 1, 2);
  EXPECT_EQ(rib_.find(pfx("10.244.1.0/26"))->best()->path_id, 1u);
}

TEST_F(LocRibTest, GracefulRestartKeepsStaleRoutesUntilEndOfRib) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({})));
  rib_.announce(pfx("10.244.2.0/26"), 1, 0, pool_.intern(attrs({})));
  // The peer restarts: nothing changes for forwarding.
  EXPECT_TRUE(rib_.mark_stale(1).empty());
  EXPECT_EQ(rib_.stale_count(1), 2u);
  EXPECT_EQ(rib_.find(pfx("10.244.1.0/26"))->best()->peer, 1u);
  // It comes back and refreshes one route, unchanged: no change, no longer stale.
  EXPECT_FALSE(rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({}))));
  EXPECT_EQ(rib_.stale_count(1), 1u);
  // End-of-RIB: the route it did not refresh goes.
  auto changes = rib_.sweep_stale(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].prefix, pfx("10.244.2.0/26"));
  EXPECT_TRUE(changes[0].after.empty());
  EXPECT_NE(rib_.find(pfx("10.244.1.0/26")), nullptr);
}

TEST_F(LocRibTest, SecondRestartWhileStaleDropsTheStaleRoutes) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({})));
  rib_.mark_stale(1);
  // RFC 4724 4.2: routes still stale from the previous restart must be deleted.
  auto changes = rib_.mark_stale(1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(rib_.find(pfx("10.244.1.0/26")), nullptr);
}

TEST_F(LocRibTest, StaleRoutesOfOnePeerLeaveOthersAlone) {
  rib_.announce(pfx("10.244.1.0/26"), 1, 0, pool_.intern(attrs({})));
  rib_.announce(pfx("10.244.1.0/26"), 2, 0, pool_.intern(attrs({})));
  rib_.mark_stale(1);
  auto changes = rib_.sweep_stale(1);
  ASSERT_EQ(changes.size(), 1u);
  ASSERT_EQ(changes[0].after.size(), 1u);
  EXPECT_EQ(changes[0].after[0].peer, 2u);
  EXPECT_EQ(rib_.stale_count(2), 0u);
}

TEST_F(LocRibTest, RandomisedAgainstARecomputedModel) {
  // The model keeps only what each peer said last; after every event the best sets are
  // recomputed from it from scratch, and compared with both the RIB and the picture built
  // from nothing but the changes the RIB reported.
  const std::vector<bgp::Prefix> prefixes = {pfx("10.244.0.0/26"),  pfx("10.244.0.64/26"),
                                             pfx("10.244.1.0/26"),  pfx("10.0.0.0/8"),
                                             pfx("192.168.0.0/16"), pfx("10.244.7.7/32")};
  std::vector<AttrRef> sets = {
      pool_.intern(attrs({})),
      pool_.intern(attrs({}, 200)),
      pool_.intern(attrs({65004})),
      pool_.intern(attrs({65005, 1})),
      pool_.intern(attrs({65004}, 100, 10)),
      pool_.intern(attrs({65004}, 100, 5)),
      pool_.intern(attrs({1, 2, 3})),
  };
  using Key = std::tuple<size_t, PeerId, uint32_t>;
  std::map<Key, std::pair<AttrRef, uint8_t>> model;  // path -> attributes, import verdict
  std::map<size_t, PathSet> reported;
  std::mt19937 rng(7606);
  auto key_of = [](const Path& p) { return std::tuple(p.peer, p.path_id, p.attrs.get()); };
  for (int step = 0; step < 20000; ++step) {
    const size_t pi = rng() % prefixes.size();
    const PeerId peer = rng() % 6;  // 0 is local origination
    const uint32_t path_id = rng() % 2;
    std::optional<BestChange> change;
    if (rng() % 100 < 2) {
      for (auto& c : rib_.drop_peer(peer)) {
        const size_t i = std::find(prefixes.begin(), prefixes.end(), c.prefix) - prefixes.begin();
        reported[i] = c.after;
      }
      std::erase_if(model, [&](const auto& kv) { return std::get<1>(kv.first) == peer; });
    } else if (rng() % 3 == 0) {
      change = rib_.withdraw(prefixes[pi], peer, path_id);
      model.erase({pi, peer, path_id});
    } else {
      AttrRef a = sets[rng() % sets.size()];
      const uint8_t verdict = rng() % 10 == 0 ? 1 : 0;  // some are refused on import
      change = rib_.announce(prefixes[pi], peer, path_id, a, verdict);
      model[{pi, peer, path_id}] = {a, verdict};
    }
    if (change) reported[pi] = change->after;

    for (size_t i = 0; i < prefixes.size(); ++i) {
      // From scratch: a fresh RIB fed only the model's paths for this prefix.
      LocRib fresh(64512);
      for (PeerId p = 1; p <= 5; ++p)
        fresh.set_peer(p, PeerInfo{p > 3, p > 3 ? 65000 + p : 64512, 0x0a000000 + p,
                                   bgp::IpAddr::v4(0x0a000000 + p)});
      for (const auto& [k, a] : model)
        if (std::get<0>(k) == i)
          fresh.announce(prefixes[i], std::get<1>(k), std::get<2>(k), a.first, a.second);
      const RouteEntry* want = fresh.find(prefixes[i]);
      const RouteEntry* got = rib_.find(prefixes[i]);
      ASSERT_EQ(want == nullptr, got == nullptr) << "step " << step;
      std::vector<std::tuple<PeerId, uint32_t, const AttrSet*>> w, g, r;
      if (want)
        for (const auto& x : want->multipath())
          w.push_back(key_of(x));
      if (got)
        for (const auto& x : got->multipath())
          g.push_back(key_of(x));
      for (const auto& p : reported[i])
        r.push_back(key_of(p));
      // The best must agree exactly; the rest of the set as a set.
      ASSERT_EQ(w.empty(), g.empty()) << "step " << step;
      if (!w.empty()) {
        ASSERT_EQ(w.front(), g.front()) << "step " << step;
        ASSERT_EQ(g.front(), r.front()) << "step " << step << ": reported best is stale";
      }
      std::sort(w.begin(), w.end());
      std::sort(g.begin(), g.end());
      std::sort(r.begin(), r.end());
      ASSERT_EQ(w, g) << "step " << step;
      ASSERT_EQ(g, r) << "step " << step << ": reported multipath set is stale";
    }
    // Each peer's path counts, kept along the way, match the model.
    for (PeerId p = 0; p <= 5; ++p) {
      PathCounts want;
      for (const auto& [k, a] : model)
        if (std::get<1>(k) == p) {
          ++want.received;
          want.accepted += a.second == 0;
        }
      ASSERT_EQ(rib_.counts(p).received, want.received) << "step " << step << " peer " << p;
      ASSERT_EQ(rib_.counts(p).accepted, want.accepted) << "step " << step << " peer " << p;
    }
  }
}

}  // namespace
}  // namespace tern::rib
