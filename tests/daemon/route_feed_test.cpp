#include "daemon/route_feed.hpp"

#include <gtest/gtest.h>

namespace tern {
namespace {

bgp::Prefix pfx(const char* s) {
  return *bgp::Prefix::parse(s);
}
bgp::IpAddr ip(const char* s) {
  return *bgp::IpAddr::parse(s);
}

struct Paths {
  rib::AttrPool pool;
  rib::Path local() {
    rib::Path p;
    p.attrs = pool.intern(bgp::PathAttributes{});
    p.peer = rib::kLocalPeer;
    return p;
  }
  rib::Path via(const char* nh, uint16_t peer) {
    bgp::PathAttributes a;
    a.next_hop = ip(nh);
    rib::Path p;
    p.attrs = pool.intern(a);
    p.peer = peer;
    return p;
  }
};

TEST(RouteFeed, OwnBlocksAndServiceRangesAreBlackholed) {
  Paths ps;
  FeedRules rules{{pfx("10.244.1.0/26"), pfx("10.96.0.0/12")}, {pfx("10.96.0.0/12")}};
  std::vector<rib::Path> local{ps.local()};
  auto w = wanted_route(pfx("10.244.1.0/26"), local, rules);
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->local_block);
  EXPECT_TRUE(wanted_route(pfx("10.96.0.0/12"), local, rules)->local_block);
}

TEST(RouteFeed, ABorrowedAddressWeOriginateIsLeftToTheAgent) {
  Paths ps;
  std::vector<rib::Path> local{ps.local()};
  EXPECT_FALSE(wanted_route(pfx("10.244.2.7/32"), local, FeedRules{{pfx("10.244.1.0/26")}, {}}));
}

TEST(RouteFeed, LearnedRoutesGoViaEveryDistinctNextHopInOrder) {
  Paths ps;
  std::vector<rib::Path> paths{ps.via("10.0.0.3", 2), ps.via("10.0.0.2", 1), ps.via("10.0.0.3", 3)};
  auto w = wanted_route(pfx("10.244.2.0/26"), paths, FeedRules{});
  ASSERT_TRUE(w);
  EXPECT_FALSE(w->local_block);
  EXPECT_EQ(w->next_hops, (std::vector<bgp::IpAddr>{ip("10.0.0.3"), ip("10.0.0.2")}));
}

TEST(RouteFeed, LearnedRoutesInsideServiceRangesAreNotInstalled) {
  Paths ps;
  std::vector<rib::Path> paths{ps.via("10.0.0.3", 2)};
  FeedRules rules{{}, {pfx("10.96.0.0/12")}};
  EXPECT_FALSE(wanted_route(pfx("10.96.0.10/32"), paths, rules));
  EXPECT_TRUE(wanted_route(pfx("10.244.0.0/26"), paths, rules));
}

TEST(RouteFeed, NoPathsMeansNothingWanted) {
  EXPECT_FALSE(wanted_route(pfx("10.244.0.0/26"), {}, FeedRules{}));
}

}  // namespace
}  // namespace tern
