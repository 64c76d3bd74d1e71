// The compact RIB storage: prefix packing both ways, the sharded open-addressing table
// against std::map under random inserts and erases (erasure shifts entries back), and route
// entries growing from one inline path to many and back.

#include "rib/prefix_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace tern::rib {
namespace {

bgp::Prefix pfx(const char* s) {
  return *bgp::Prefix::parse(s);
}

TEST(PrefixKey, PacksAndUnpacksBothFamilies) {
  for (const char* s : {"0.0.0.0/0", "10.244.1.64/26", "255.255.255.255/32", "::/0",
                        "fd00:10:244::/64", "2001:db8::1/128", "ff00::/8"}) {
    const bgp::Prefix p = pfx(s);
    uint64_t key[3] = {};
    pack(p, key);
    EXPECT_EQ(unpack(p.afi, key), p) << s;
  }
}

TEST(PrefixTable, AgreesWithStdMapUnderRandomInsertAndErase) {
  PrefixTable table;
  std::map<std::string, uint32_t> model;
  std::mt19937 rng(4271);
  auto random_prefix = [&] {
    bgp::Prefix p;
    if (rng() % 4 == 0) {
      p.afi = bgp::Afi::kIpv6;
      p.len = static_cast<uint8_t>(rng() % 129);
      for (int i = 0; i < 16; ++i)
        p.b[i] = static_cast<uint8_t>(i < 2 ? 0xfd : rng() % 4);  // dense: many collisions
    } else {
      p.len = static_cast<uint8_t>(16 + rng() % 17);
      const uint32_t a = (0x0a000000u | (rng() & 0xffff)) << 8;
      p.b = {static_cast<uint8_t>(a >> 24), static_cast<uint8_t>(a >> 16),
             static_cast<uint8_t>(a >> 8), static_cast<uint8_t>(a)};
    }
    // Canonical form: bits beyond the length are zero.
    for (int bit = p.len; bit < 128; ++bit)
      p.b[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
    return p;
  };
  for (int step = 0; step < 60000; ++step) {
    const bgp::Prefix p = random_prefix();
    const std::string k = bgp::to_string(p);
    if (rng() % 3 == 0) {
      EXPECT_EQ(table.erase(p), model.erase(k) == 1) << k;
    } else {
      RouteEntry& e = table.get(p);
      e.dirty = step;
      model[k] = step;
    }
    if (step % 5000 == 0 || step == 59999) {
      ASSERT_EQ(table.size(), model.size());
      size_t seen = 0;
      table.for_each([&](const bgp::Prefix& q, RouteEntry& e) {
        ++seen;
        auto it = model.find(bgp::to_string(q));
        ASSERT_NE(it, model.end()) << bgp::to_string(q);
        EXPECT_EQ(e.dirty, it->second);
      });
      EXPECT_EQ(seen, model.size());
      for (const auto& [s, v] : model) {
        const RouteEntry* e = table.find(pfx(s.c_str()));
        ASSERT_NE(e, nullptr) << s;
        EXPECT_EQ(e->dirty, v);
      }
    }
  }
}

// Large enough that every shard's array outgrows the heap's small sizes, in both families
// (the arrays are then prefaulted as they are allocated); every entry keeps its path.
TEST(PrefixTable, KeepsEveryEntryThroughGrowthToLargeShards) {
  PrefixTable table;
  AttrPool pool;
  bgp::PathAttributes a;
  a.next_hop = *bgp::IpAddr::parse("10.0.0.1");
  const AttrRef attrs = pool.intern(a);
  auto v4 = [](uint32_t i) {
    bgp::Prefix p;
    p.len = 24;
    const uint32_t addr = (0x0a000000u + i) << 8;
    p.b = {static_cast<uint8_t>(addr >> 24), static_cast<uint8_t>(addr >> 16),
           static_cast<uint8_t>(addr >> 8), 0};
    return p;
  };
  auto v6 = [](uint32_t i) {
    bgp::Prefix p;
    p.afi = bgp::Afi::kIpv6;
    p.len = 64;
    p.b[0] = 0xfd;
    for (int k = 0; k < 4; ++k)
      p.b[4 + k] = static_cast<uint8_t>(i >> (24 - 8 * k));
    return p;
  };
  constexpr uint32_t kV4 = 300000, kV6 = 150000;
  for (uint32_t i = 0; i < kV4; ++i)
    table.get(v4(i)).push_back(Path{1, i, attrs});
  for (uint32_t i = 0; i < kV6; ++i)
    table.get(v6(i)).push_back(Path{2, i, attrs});
  ASSERT_EQ(table.size(), kV4 + kV6);
  for (uint32_t i = 0; i < kV4; ++i) {
    const RouteEntry* e = table.find(v4(i));
    ASSERT_NE(e, nullptr) << i;
    ASSERT_EQ(e->paths().size(), 1u);
    EXPECT_EQ(e->paths()[0].path_id, i);
  }
  for (uint32_t i = 0; i < kV6; ++i) {
    const RouteEntry* e = table.find(v6(i));
    ASSERT_NE(e, nullptr) << i;
    EXPECT_EQ(e->paths()[0].path_id, i);
  }
  EXPECT_EQ(table.find(v4(kV4)), nullptr);
}

TEST(RouteEntry, GrowsFromOneInlinePathToManyAndBack) {
  AttrPool pool;
  RouteEntry e;
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(e.best(), nullptr);
  bgp::PathAttributes a;
  for (uint32_t i = 1; i <= 300; ++i) {  // e.g. a service address every node announces
    a.med = i;
    e.push_back(Path{i, 0, pool.intern(a)});
  }
  ASSERT_EQ(e.paths().size(), 300u);
  EXPECT_EQ(*e.paths()[299].attrs->attrs().med, 300u);
  e.set_multipath(1);
  EXPECT_EQ(e.best()->peer, 1u);

  RouteEntry moved(std::move(e));
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(moved.erase_if([](const Path& p) { return p.peer % 2 == 0; }), 150u);
  ASSERT_EQ(moved.paths().size(), 150u);
  for (const auto& p : moved.paths())
    EXPECT_EQ(p.peer % 2, 1u);
  moved.erase_if([](const Path& p) { return p.peer != 7; });
  ASSERT_EQ(moved.paths().size(), 1u);
  EXPECT_EQ(moved.paths()[0].peer, 7u);
  EXPECT_EQ(pool.size(), 1u) << "the other 299 attribute sets were released";
  moved.erase_if([](const Path&) { return true; });
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(moved.best(), nullptr);
}

TEST(RouteEntry, ReorderPutsTheMultipathSetInFront) {
  AttrPool pool;
  RouteEntry e;
  bgp::PathAttributes a;
  for (uint32_t i = 1; i <= 3; ++i)
    e.push_back(Path{i, 0, pool.intern(a)});
  const std::vector<int> order = {2, 0, 1};
  e.reorder(order, 2);
  ASSERT_EQ(e.multipath().size(), 2u);
  EXPECT_EQ(e.multipath()[0].peer, 3u);
  EXPECT_EQ(e.multipath()[1].peer, 1u);
  EXPECT_EQ(e.paths()[2].peer, 2u);
}

}  // namespace
}  // namespace tern::rib
