// Several tern speakers in one process over loopback: a full mesh of three, and a route
// reflector with five clients, exchange their blocks as a Calico cluster needs.

#include <gtest/gtest.h>

#include "bgp/wire/as_path.hpp"
#include "rib/adj_rib_out.hpp"
#include "tests/daemon/speaker_harness.hpp"

namespace tern {
namespace {

using namespace tern::testing;

TEST(Speaker, FullMeshOfThreeLearnsEveryBlock) {
  asio::io_context io;
  std::vector<std::unique_ptr<Node>> nodes;
  for (int i = 1; i <= 3; ++i)
    nodes.push_back(make_node(io, "127.0.0." + std::to_string(i), 0));
  for (auto& a : nodes)
    for (auto& b : nodes)
      if (a != b) peer(*a, *b);
  for (size_t i = 0; i < nodes.size(); ++i) {
    nodes[i]->speaker->originate(pfx(block_of(i + 1)), own_block());
    nodes[i]->speaker->start();
    EXPECT_FALSE(nodes[i]->speaker->initial_exchange_done()) << "no peer has been up yet";
  }
  auto all_learned = [&] {
    for (auto& n : nodes)
      if (n->speaker->rib(bgp::kIpv4Unicast).size() != 3) return false;
    return true;
  };
  ASSERT_TRUE(run_until(io, 5000ms, all_learned));
  // Each node has had End-of-RIB from both others: its initial exchange is complete.
  ASSERT_TRUE(run_until(io, 2000ms, [&] {
    for (auto& n : nodes)
      if (!n->speaker->initial_exchange_done()) return false;
    return true;
  }));
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (size_t j = 0; j < nodes.size(); ++j) {
      const rib::RouteEntry* e =
          nodes[i]->speaker->rib(bgp::kIpv4Unicast).find(pfx(block_of(j + 1)));
      ASSERT_NE(e, nullptr);
      const auto& a = e->best()->attrs->attrs();
      if (i == j) {
        EXPECT_EQ(e->best()->peer, rib::kLocalPeer);
        continue;
      }
      // A mesh peer's block: its own address as next hop, empty AS path, LOCAL_PREF 100.
      EXPECT_EQ(bgp::to_string(*a.next_hop), nodes[j]->ip);
      EXPECT_TRUE(a.as_path->segments.empty());
      EXPECT_EQ(a.local_pref, 100u);
      EXPECT_EQ(e->paths().size(), 1u) << "iBGP routes are not passed on inside the mesh";
    }
  }
  // A node gives up its block: everyone forgets it.
  nodes[0]->speaker->withdraw_local(pfx(block_of(1)));
  ASSERT_TRUE(run_until(io, 3000ms, [&] {
    return nodes[1]->speaker->rib(bgp::kIpv4Unicast).size() == 2 &&
           nodes[2]->speaker->rib(bgp::kIpv4Unicast).size() == 2;
  }));
  for (auto& n : nodes)
    n->speaker->stop();
  run_until(io, 300ms, [] { return false; });
}

TEST(Speaker, ReflectorWithFiveClients) {
  asio::io_context io;
  auto r = make_reflector(io, "127.0.0.10", 0x0a0000fe, "127.0.0.1", 5);
  auto& rr = r.rr;
  auto& clients = r.clients;
  r.start_with_blocks();
  ASSERT_TRUE(run_until(io, 5000ms, [&] { return r.every_client_holds(5); }));
  for (size_t i = 0; i < clients.size(); ++i) {
    for (size_t j = 0; j < clients.size(); ++j) {
      if (i == j) continue;
      const rib::RouteEntry* e =
          clients[i]->speaker->rib(bgp::kIpv4Unicast).find(pfx(block_of(j + 1)));
      ASSERT_NE(e, nullptr);
      const auto& a = e->best()->attrs->attrs();
      EXPECT_EQ(bgp::to_string(*a.next_hop), clients[j]->ip) << "reflection keeps the next hop";
      EXPECT_EQ(a.originator_id, clients[j]->id);
      ASSERT_TRUE(a.cluster_list);
      EXPECT_EQ(*a.cluster_list, std::vector<uint32_t>{0x0a0000fe});
    }
  }
  EXPECT_EQ(rr->speaker->rib(bgp::kIpv4Unicast).size(), 5u);
  // The five clients are treated alike: one update group, one encoding of every UPDATE.
  EXPECT_EQ(rr->speaker->update_groups(bgp::kIpv4Unicast), std::vector<size_t>{5});
  r.stop(io);
}

// More clients than the reflector has Adj-RIB-Out slots (rib::kOutSlots) come up together: the
// catch-ups that find no slot wait and start together when one is free, sessions coming up at
// once may share a catch-up, and every client still gets the whole table and ends in the one
// steady group.
TEST(Speaker, ReflectorWithMoreClientsThanQueueSlots) {
  asio::io_context io;
  constexpr int kClients = rib::kOutSlots + 8;
  auto r = make_reflector(io, "127.0.0.10", 0x0a0000fe, "127.0.1.", kClients);
  auto& rr = r.rr;
  rr->speaker->originate(pfx("10.65.0.0/26"), own_block());
  r.start_with_blocks();
  ASSERT_TRUE(run_until(io, 10000ms, [&] { return r.every_client_holds(kClients + 1); }));
  ASSERT_TRUE(run_until(io, 2000ms, [&] {
    return rr->speaker->update_groups(bgp::kIpv4Unicast) ==
           std::vector<size_t>{static_cast<size_t>(kClients)};
  }));
  r.stop(io);
}

// Two clients ask the reflector for their table again at the same moment, and the first also
// sends a new route in the same breath. The second joins the first's catch-up, whose queue had
// left that route out (a lone member is not sent its own paths); it must get the route anyway.
TEST(Speaker, ClientsRefreshingTogetherGetTheRouteOneOfThemSentMeanwhile) {
  asio::io_context io;
  auto r = make_reflector(io, "127.0.0.10", 0x0a0000fe, "127.0.2.", 3);
  auto& rr = r.rr;
  auto& clients = r.clients;
  for (auto& c : clients)
    c->speaker->start();
  for (int i = 1; i <= 20; ++i)
    rr->speaker->originate(pfx(block_of(100 + i)), own_block());
  rr->speaker->start();
  auto has = [&](const Node& n, const std::string& p) { return route(n, p) != nullptr; };
  ASSERT_TRUE(run_until(io, 5000ms, [&] {
    return rr->speaker->update_groups(bgp::kIpv4Unicast) == std::vector<size_t>{3} &&
           clients[2]->speaker->rib(bgp::kIpv4Unicast).size() == 20;
  }));
  for (int round = 0; round < 5; ++round) {
    const std::string x = block_of(1 + round);
    auto& a = *clients[0];
    auto& b = *clients[1];
    ASSERT_TRUE(a.speaker->request_refresh(a.peer_ids.at(rr->ip), bgp::kIpv4Unicast));
    a.speaker->originate(pfx(x), own_block());
    ASSERT_TRUE(b.speaker->request_refresh(b.peer_ids.at(rr->ip), bgp::kIpv4Unicast));
    ASSERT_TRUE(run_until(io, 3000ms, [&] { return has(*clients[2], x); })) << x;
    EXPECT_TRUE(run_until(io, 3000ms, [&] { return has(b, x); }))
        << "round " << round << ": " << x << " never reached the second client";
  }
  r.stop(io);
}

}  // namespace
}  // namespace tern
