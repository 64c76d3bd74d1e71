// The export cache: a hit returns what was put, "not exported" is remembered as such, the key
// is the whole (set, peer, communities), and it stays bounded while holding what it caches.

#include "daemon/export_cache.hpp"

#include <gtest/gtest.h>

namespace tern {
namespace {

bgp::PathAttributes attrs(uint32_t med) {
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.next_hop = bgp::IpAddr::v4(0x0a000001);
  a.med = med;
  return a;
}

TEST(ExportCache, HitReturnsWhatWasPutAndNotExportedIsRemembered) {
  rib::AttrPool pool;
  ExportCache cache;
  rib::AttrRef src = pool.intern(attrs(1)), other = pool.intern(attrs(2));
  rib::AttrRef out = pool.intern(attrs(3));
  EXPECT_EQ(cache.find({src.get(), 1, 0}), nullptr);
  cache.put({src.get(), 1, 0}, src, out);
  cache.put({other.get(), 1, 0}, other, nullptr);
  ASSERT_NE(cache.find({src.get(), 1, 0}), nullptr);
  EXPECT_EQ(*cache.find({src.get(), 1, 0}), out);
  ASSERT_NE(cache.find({other.get(), 1, 0}), nullptr) << "a null export is a hit too";
  EXPECT_EQ(*cache.find({other.get(), 1, 0}), nullptr);
  EXPECT_EQ(cache.find({src.get(), 2, 0}), nullptr) << "another source peer";
  EXPECT_EQ(cache.find({src.get(), 1, 4}), nullptr) << "other community rules";
}

TEST(ExportCache, HoldsTheSourceAndTheExportUntilCleared) {
  rib::AttrPool pool;
  ExportCache cache;
  {
    rib::AttrRef src = pool.intern(attrs(1));
    cache.put({src.get(), 1, 0}, src, pool.intern(attrs(2)));
  }
  EXPECT_EQ(pool.size(), 2u) << "the cache keeps both sets alive";
  cache.clear();
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(cache.capacity(), 0u) << "clear hands the memory back";
}

// A working set that fits stays cached: a mesh's few hundred sets, asked for in turn over and
// over, end up hits (four ways per set: a rare fifth key in one set still misses).
TEST(ExportCache, AWorkingSetThatFitsStaysCached) {
  rib::AttrPool pool;
  ExportCache cache;
  std::vector<rib::AttrRef> sets;
  for (uint32_t i = 0; i < 500; ++i)
    sets.push_back(pool.intern(attrs(i)));
  size_t hits = 0;
  for (int round = 0; round < 20; ++round) {
    hits = 0;
    for (const auto& s : sets) {
      if (cache.find({s.get(), 7, 0})) {
        ++hits;
      } else {
        cache.put({s.get(), 7, 0}, s, s);
      }
    }
  }
  EXPECT_GE(hits, 490u) << "hits in the last round, of 500";
  EXPECT_LT(cache.capacity(), ExportCache::kWays * ExportCache::kMaxSets)
      << "grown only as far as needed";
}

// A table of distinct sets passing through: memory stays at the cap, and each set, once
// evicted, is released.
TEST(ExportCache, DistinctSetsPassingThroughStayBounded) {
  rib::AttrPool pool;
  ExportCache cache;
  for (uint32_t i = 0; i < 100000; ++i) {
    rib::AttrRef s = pool.intern(attrs(i));
    cache.put({s.get(), 1, 0}, s, nullptr);
  }
  EXPECT_EQ(cache.capacity(), ExportCache::kWays * ExportCache::kMaxSets);
  EXPECT_LE(cache.size(), cache.capacity());
  EXPECT_EQ(pool.size(), cache.size()) << "every set not cached any more was released";
}

}  // namespace
}  // namespace tern
