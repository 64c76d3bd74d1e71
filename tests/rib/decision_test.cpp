// The decision process, one test per step, plus MED's non-transitivity and the ECMP set.

#include <gtest/gtest.h>

#include <deque>

#include "rib/decision.hpp"

namespace tern::rib {
namespace {

using bgp::AsPath;
using bgp::AsSegment;
using bgp::IpAddr;
using bgp::Origin;
using bgp::PathAttributes;
using bgp::SegmentType;

// Keeps attribute sets alive for the candidates that point at them.
struct Paths {
  std::deque<PathAttributes> attrs;
  std::vector<Candidate> c;

  Candidate& add(PathAttributes a, uint32_t peer_id, const char* peer_addr = "10.0.0.9") {
    attrs.push_back(std::move(a));
    Candidate x;
    x.attrs = &attrs.back();
    x.peer_router_id = peer_id;
    x.peer_address = *IpAddr::parse(peer_addr);
    x.peer_as = neighbour_as(attrs.back(), 64512);
    c.push_back(x);
    return c.back();
  }
};

PathAttributes path(std::vector<uint32_t> asns, Origin o = Origin::kIgp) {
  PathAttributes a;
  a.origin = o;
  a.as_path = AsPath{};
  if (!asns.empty()) a.as_path->segments.push_back({SegmentType::kSequence, std::move(asns)});
  return a;
}

void expect_winner(const Paths& p, int winner, Step loser_step) {
  const Decision d = decide(p.c, DecisionOptions{.always_compare_med = false, .max_paths = 1});
  EXPECT_EQ(d.best, winner);
  for (int i = 0; i < static_cast<int>(p.c.size()); ++i) {
    if (i == winner) continue;
    EXPECT_EQ(to_string(d.lost_at[i]), std::string(to_string(loser_step))) << i;
  }
}

TEST(Decision, UnreachableNextHopIsIneligible) {
  Paths p;
  p.add(path({1}), 1).reachable = false;
  p.add(path({1, 2, 3}), 2);
  expect_winner(p, 1, Step::kUnreachable);
  p.c[1].reachable = false;
  EXPECT_EQ(decide(p.c).best, -1);
}

TEST(Decision, HighestLocalPrefAbsentMeans100) {
  Paths p;
  auto a = path({1, 2, 3});
  a.local_pref = 200;
  p.add(path({1}), 1);
  p.add(a, 2);
  expect_winner(p, 1, Step::kLocalPref);
  Paths q;
  auto low = path({1});
  low.local_pref = 99;
  q.add(low, 1);
  q.add(path({1, 2}), 2);
  expect_winner(q, 1, Step::kLocalPref);
}

TEST(Decision, LocallyOriginatedWins) {
  Paths p;
  p.add(path({}), 1);
  p.add(path({}), 2).local = true;
  expect_winner(p, 1, Step::kLocalOrigin);
}

TEST(Decision, ShortestAsPathAnAsSetCountsAsOne) {
  Paths p;
  auto with_set = path({1});
  with_set.as_path->segments.push_back({SegmentType::kSet, {7, 8, 9}});
  p.add(path({1, 2, 3}), 1);
  p.add(with_set, 2);  // length 2
  expect_winner(p, 1, Step::kAsPathLength);
}

TEST(Decision, LowestOrigin) {
  Paths p;
  p.add(path({1}, Origin::kIncomplete), 1);
  p.add(path({2}, Origin::kEgp), 2);
  p.add(path({3}, Origin::kIgp), 3);
  expect_winner(p, 2, Step::kOrigin);
}

TEST(Decision, LowestMedWithinTheSameNeighbourAs) {
  Paths p;
  auto a = path({65001});
  a.med = 50;
  auto b = path({65001});
  b.med = 10;
  p.add(a, 1);
  p.add(b, 2);
  expect_winner(p, 1, Step::kMed);
}

TEST(Decision, MedIsNotComparedAcrossNeighbourAsesByDefault) {
  // A non-transitive trio for any pairwise comparator: A (AS1, MED 20, id 1),
  // B (AS2, id 2), C (AS1, MED 10, id 3). A beats B and B beats C on router id, yet C beats A
  // on MED. Elimination gives one answer whatever the order: C removes A, then B wins on id.
  Paths p;
  auto a = path({1});
  a.med = 20;
  auto c = path({1});
  c.med = 10;
  p.add(a, 1);
  p.add(path({2}), 2);
  p.add(c, 3);
  for (int rotation = 0; rotation < 3; ++rotation) {
    const Decision d = decide(p.c);
    ASSERT_GE(d.best, 0);
    EXPECT_EQ(p.c[d.best].peer_router_id, 2u) << "rotation " << rotation;
    std::rotate(p.c.begin(), p.c.begin() + 1, p.c.end());
  }
}

TEST(Decision, AlwaysCompareMed) {
  Paths p;
  auto a = path({1});
  a.med = 10;
  auto b = path({2});
  b.med = 5;
  p.add(a, 1);
  p.add(b, 2);
  EXPECT_EQ(decide(p.c, {.always_compare_med = true, .max_paths = 1}).best, 1);
  EXPECT_EQ(decide(p.c, {.always_compare_med = false, .max_paths = 1}).best, 0)
      << "different neighbour ASes: router id decides";
}

TEST(Decision, ExternalOverInternal) {
  Paths p;
  p.add(path({1}), 1);
  p.add(path({2}), 2).ebgp = true;
  expect_winner(p, 1, Step::kExternal);
}

TEST(Decision, LowestIgpCost) {
  Paths p;
  p.add(path({1}), 1).igp_cost = 20;
  p.add(path({2}), 2).igp_cost = 10;
  expect_winner(p, 1, Step::kIgpCost);
}

TEST(Decision, LowestRouterIdOrOriginatorId) {
  Paths p;
  p.add(path({1}), 9);
  p.add(path({2}), 5);
  expect_winner(p, 1, Step::kRouterId);
  Paths q;
  auto reflected = path({1});
  reflected.originator_id = 1;  // RFC 4456 9: the originator stands in for the peer
  q.add(path({2}), 5);
  q.add(reflected, 9);
  expect_winner(q, 1, Step::kRouterId);
}

TEST(Decision, ShortestClusterList) {
  Paths p;
  auto a = path({1});
  a.originator_id = 7;
  a.cluster_list = std::vector<uint32_t>{1, 2};
  auto b = path({1});
  b.originator_id = 7;
  b.cluster_list = std::vector<uint32_t>{1};
  p.add(a, 1);
  p.add(b, 2);
  expect_winner(p, 1, Step::kClusterListLength);
}

TEST(Decision, LowestPeerAddress) {
  Paths p;
  p.add(path({1}), 1, "10.0.0.3");
  p.add(path({2}), 1, "10.0.0.2");
  expect_winner(p, 1, Step::kPeerAddress);
}

TEST(Decision, MultipathHoldsPathsEqualUpToIgpCost) {
  Paths p;
  p.add(path({1}), 3, "10.0.0.3");
  p.add(path({2}), 1, "10.0.0.1");
  p.add(path({3}), 2, "10.0.0.2");
  p.add(path({4, 5}), 4, "10.0.0.4");  // longer: not part of it
  const Decision d = decide(p.c);
  EXPECT_EQ(d.best, 1);
  EXPECT_EQ(std::vector<int>(d.multipath.begin(), d.multipath.end()), (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(d.lost_at[0], Step::kBest);
  EXPECT_EQ(d.lost_at[3], Step::kAsPathLength);
  EXPECT_EQ(decide(p.c, {.always_compare_med = false, .max_paths = 2}).multipath.size(), 2u);
}

TEST(Decision, NeighbourAsIsTheFirstAsOfTheSequence) {
  EXPECT_EQ(neighbour_as(path({65001, 65002}), 9), 65001u);
  EXPECT_EQ(neighbour_as(path({}), 9), 9u);
  auto set_first = path({});
  set_first.as_path->segments.push_back({SegmentType::kSet, {1, 2}});
  EXPECT_EQ(neighbour_as(set_first, 9), 9u);
}

}  // namespace
}  // namespace tern::rib
