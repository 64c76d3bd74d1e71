// Interning: one copy per distinct attribute set, shared by pointer, gone with its last user.

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "rib/attr_set.hpp"

namespace tern::rib {
namespace {

bgp::PathAttributes attrs(uint32_t med) {
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.as_path = bgp::AsPath{{{bgp::SegmentType::kSequence, {64512}}}};
  a.next_hop = bgp::IpAddr::v4(0x0a000001);
  a.med = med;
  return a;
}

TEST(AttrSet, EqualAttributesShareOneSet) {
  AttrPool pool;
  AttrRef a = pool.intern(attrs(1));
  AttrRef b = pool.intern(attrs(1));
  AttrRef c = pool.intern(attrs(2));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(a->attrs().med, 1u);
}

TEST(AttrSet, LastReferenceRemovesTheSet) {
  AttrPool pool;
  {
    AttrRef a = pool.intern(attrs(1));
    AttrRef b = a;
    EXPECT_EQ(pool.size(), 1u);
  }
  EXPECT_EQ(pool.size(), 0u);
  // And a new intern makes a fresh one.
  EXPECT_EQ(pool.intern(attrs(1))->attrs().med, 1u);
}

TEST(AttrSet, AMeshOfIdenticalAnnouncementsStoresOneSet) {
  AttrPool pool;
  std::vector<AttrRef> routes;
  for (int i = 0; i < 10000; ++i)
    routes.push_back(pool.intern(attrs(0)));
  EXPECT_EQ(pool.size(), 1u);
}

TEST(AttrSet, SurvivesItsPool) {
  AttrRef kept;
  {
    AttrPool pool;
    kept = pool.intern(attrs(5));
  }
  EXPECT_EQ(kept->attrs().med, 5u);
}

TEST(AttrSet, HashDiffersForFieldsThatDiffer) {
  auto a = attrs(1);
  auto b = attrs(1);
  b.communities = std::vector<uint32_t>{1};
  EXPECT_NE(hash_value(a), hash_value(b));
  EXPECT_EQ(hash_value(a), hash_value(attrs(1)));
}

// Sets come and go in random order, with the table growing and shrinking underneath: every
// live set is still found (interning equal attributes returns it), and none is found twice.
TEST(AttrSet, RandomChurnKeepsEveryLiveSetFindable) {
  AttrPool pool;
  std::map<uint32_t, AttrRef> live;
  std::mt19937 rng(7);
  for (int step = 0; step < 200000; ++step) {
    const uint32_t med = rng() % 20000;
    // Phases of 20,000 steps, mostly adds then mostly drops, so the table crosses both
    // its growth and its shrink thresholds many times.
    const bool grow_phase = (step / 20000) % 2 == 0;
    if ((rng() % 4 != 0) == grow_phase) {
      AttrRef r = pool.intern(attrs(med));
      auto [it, fresh] = live.emplace(med, r);
      if (!fresh) {
        ASSERT_EQ(it->second, r) << "med " << med << " interned twice";
      }
    } else if (!live.empty()) {
      auto it = live.lower_bound(med);
      live.erase(it == live.end() ? live.begin() : it);
    }
    ASSERT_EQ(pool.size(), live.size());
    if (step % 5000 == 0) {
      for (const auto& [m, ref] : live)
        ASSERT_EQ(pool.intern(attrs(m)), ref) << "med " << m << " lost at step " << step;
    }
  }
  live.clear();
  EXPECT_EQ(pool.size(), 0u);
}

}  // namespace
}  // namespace tern::rib
