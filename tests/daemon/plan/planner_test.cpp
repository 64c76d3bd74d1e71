// Planner properties the goldens cannot show at a glance: a 50-node mesh where every pair agrees
// on who waits, the text order of the passive rule, route reflector roles, backends, input
// order not mattering, and bad input giving notes rather than crashes.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "daemon/plan/planner.hpp"
#include "tests/daemon/plan/intent_file.hpp"

namespace tern::plan {
namespace {

const PlannedPeer* find_peer(const Plan& p, const std::string& name) {
  for (const auto& x : p.peers)
    if (x.name == name) return &x;
  return nullptr;
}

bgp::IpAddr ip(const char* text) {
  return *bgp::IpAddr::parse(text);
}

TEST(Planner, ThreeNodeMeshAsReference) {
  const auto intent = load_intent("mesh3");
  const Plan p = make_plan(intent, "node-a", Backend::kBird);
  ASSERT_TRUE(p.bgp_enabled);
  EXPECT_EQ(p.router_id, ip("10.192.0.2").v4_value());
  ASSERT_EQ(p.peers.size(), 2u);
  for (const char* name : {"Mesh_10_192_0_3", "Mesh_10_192_0_6"}) {
    const PlannedPeer* peer = find_peer(p, name);
    ASSERT_NE(peer, nullptr) << name;
    EXPECT_TRUE(peer->passive) << name;  // both sort after "10.192.0.2"
    EXPECT_FALSE(peer->ebgp);
    EXPECT_EQ(peer->peer_as, 64512u);
    EXPECT_EQ(peer->source_address, ip("10.192.0.2"));
    EXPECT_TRUE(peer->filters.empty());
  }
  const Plan c = make_plan(intent, "node-c", Backend::kBird);
  for (const auto& peer : c.peers)
    EXPECT_FALSE(peer.passive) << peer.name;
}

api::Intent mesh_of(int n) {
  api::Intent intent;
  add_pool(intent, "192.168.0.0/16");
  for (int i = 1; i <= n; ++i) {
    const std::string name = (i < 10 ? "node-0" : "node-") + std::to_string(i);
    add_node(intent, name, "10.0.0." + std::to_string(i) + "/24");
  }
  return intent;
}

TEST(Planner, MeshOfFiftyAgreesOnWhoWaits) {
  const auto intent = mesh_of(50);
  std::map<std::string, Plan> plans;  // by the node's address text
  for (const auto& n : intent.nodes()) {
    Plan p = make_plan(intent, n.metadata().name(), Backend::kBird);
    ASSERT_EQ(p.peers.size(), 49u) << n.metadata().name();
    plans.emplace(bgp::to_string(*p.ipv4_address), std::move(p));
  }
  for (const auto& [self, plan] : plans) {
    for (const auto& peer : plan.peers) {
      const std::string remote = bgp::to_string(peer.address);
      const Plan& other = plans.at(remote);
      std::string back = "Mesh_" + self;
      std::replace(back.begin(), back.end(), '.', '_');
      const PlannedPeer* reverse = find_peer(other, back);
      ASSERT_NE(reverse, nullptr) << remote << " has no session back to " << self;
      EXPECT_NE(peer.passive, reverse->passive) << self << " <-> " << remote;
    }
  }
  auto passive_count = [&](const char* addr) {
    const auto& peers = plans.at(addr).peers;
    return std::count_if(peers.begin(), peers.end(), [](const auto& x) { return x.passive; });
  };
  EXPECT_EQ(passive_count("10.0.0.1"), 49);   // every other address sorts after "10.0.0.1"
  EXPECT_EQ(passive_count("10.0.0.10"), 48);  // all but "10.0.0.1"
  EXPECT_EQ(passive_count("10.0.0.7"), 2);    // only "10.0.0.8" and "10.0.0.9"
  EXPECT_EQ(passive_count("10.0.0.50"), 4);   // "10.0.0.6" .. "10.0.0.9"
}

TEST(Planner, PassiveFollowsTextOrderNotNumericOrder) {
  const auto intent = load_intent("string_order");
  const Plan p5 = make_plan(intent, "n5", Backend::kBird);
  EXPECT_FALSE(find_peer(p5, "Mesh_10_0_0_10")->passive);   // "10.0.0.10" < "10.0.0.5"
  EXPECT_FALSE(find_peer(p5, "Mesh_10_0_0_100")->passive);  // "10.0.0.100" < "10.0.0.5"
  EXPECT_TRUE(find_peer(p5, "Mesh_10_0_0_9")->passive);
  const Plan p10 = make_plan(intent, "n10", Backend::kBird);
  EXPECT_TRUE(find_peer(p10, "Mesh_10_0_0_5")->passive);
  EXPECT_TRUE(find_peer(p10, "Mesh_10_0_0_100")->passive);  // "10.0.0.100" > "10.0.0.10"
}

TEST(Planner, RouteReflectorRoles) {
  const auto intent = load_intent("rr");
  const Plan rr = make_plan(intent, "node-rr", Backend::kBird);
  EXPECT_EQ(rr.cluster_id, ip("10.0.0.1").v4_value());
  ASSERT_EQ(rr.peers.size(), 3u);
  EXPECT_TRUE(find_peer(rr, "Node_10_192_0_3")->rr_client);
  EXPECT_TRUE(find_peer(rr, "Node_10_192_0_4")->rr_client);
  const PlannedPeer* tor = find_peer(rr, "Node_172_19_4_87");
  EXPECT_TRUE(tor->ebgp);
  EXPECT_FALSE(tor->rr_client);
  const Plan client = make_plan(intent, "node-3", Backend::kBird);
  ASSERT_EQ(client.peers.size(), 1u);
  EXPECT_EQ(client.peers[0].name, "Node_10_192_0_2");
  EXPECT_FALSE(client.peers[0].rr_client);
  EXPECT_FALSE(client.peers[0].passive);
}

TEST(Planner, SameClusterIsPlainIbgpOtherClusterIsClient) {
  api::Intent intent;
  add_pool(intent, "192.168.0.0/16");
  config(intent).set_node_to_node_mesh_enabled(false);
  for (auto [name, addr, cluster] :
       {std::tuple{"rr-1", "10.0.0.1/24", "1.1.1.1"}, std::tuple{"rr-2", "10.0.0.2/24", "1.1.1.1"},
        std::tuple{"rr-3", "10.0.0.3/24", "2.2.2.2"}}) {
    auto& n = add_node(intent, name, addr);
    n.mutable_spec()->mutable_bgp()->set_route_reflector_cluster_id(cluster);
    (*n.mutable_metadata()->mutable_labels())["rr"] = "true";
  }
  add_peer(intent, "rrs").set_peer_selector("has(rr)");
  const Plan p = make_plan(intent, "rr-1", Backend::kBird);
  ASSERT_EQ(p.peers.size(), 2u);
  EXPECT_FALSE(find_peer(p, "Global_10_0_0_2")->rr_client);
  EXPECT_TRUE(find_peer(p, "Global_10_0_0_3")->rr_client);
  // Selector-derived global peerings are not marked calico_node: both ends connect.
  EXPECT_FALSE(find_peer(p, "Global_10_0_0_2")->passive);
}

TEST(Planner, OtherBackendsRunNoSessions) {
  const auto intent = load_intent("mesh3");
  for (Backend b : {Backend::kVxlan, Backend::kNone}) {
    const Plan p = make_plan(intent, "node-a", b);
    EXPECT_FALSE(p.bgp_enabled);
    EXPECT_TRUE(p.peers.empty());
    EXPECT_TRUE(p.originate.empty());
    EXPECT_EQ(p.own_blocks.size(), 2u);
    EXPECT_EQ(p.encap.pools.size(), 1u);
  }
}

TEST(Planner, InputOrderDoesNotMatter) {
  auto intent = load_intent("explicit");
  const Plan a = make_plan(intent, "node-a", Backend::kBird);
  auto* nodes = intent.mutable_nodes();
  std::reverse(nodes->begin(), nodes->end());
  auto* peers = intent.mutable_bgp_peers();
  std::reverse(peers->begin(), peers->end());
  auto* pools = intent.mutable_ip_pools();
  std::reverse(pools->begin(), pools->end());
  EXPECT_EQ(make_plan(intent, "node-a", Backend::kBird), a);
}

// The planner reads peerIP and durations with the intent's parsers, as validation does: Go's
// net.SplitHostPort for peerIP (port 0 refused) and confd's rounding to whole seconds.
TEST(Planner, ReadsValuesAsValidationDoes) {
  api::Intent intent;
  add_node(intent, "me", "10.0.0.1/24");
  auto& bracketed = add_peer(intent, "bracketed");
  bracketed.set_peer_ip("[10.0.9.6]:1790");
  bracketed.set_as_number(65000);
  bracketed.set_max_restart_time("1.5s");
  auto& port0 = add_peer(intent, "port0");
  port0.set_peer_ip("10.0.9.5:0");
  port0.set_as_number(65000);
  const Plan p = make_plan(intent, "me", Backend::kBird);
  auto at = [&](const char* a) -> const PlannedPeer* {
    for (const auto& x : p.peers)
      if (x.address == ip(a)) return &x;
    return nullptr;
  };
  ASSERT_NE(at("10.0.9.6"), nullptr);
  EXPECT_EQ(at("10.0.9.6")->port, 1790);
  EXPECT_EQ(at("10.0.9.6")->restart_time, 2u);
  EXPECT_EQ(at("10.0.9.5"), nullptr);
  EXPECT_NE(std::find(p.notes.begin(), p.notes.end(),
                      "BGPPeer port0: peerIP '10.0.9.5:0': bad port \"0\" (expected 1-65535); "
                      "skipped"),
            p.notes.end());
}

TEST(Planner, BadInputGivesNotesNotCrashes) {
  api::Intent intent;
  add_node(intent, "me", "10.0.0.1/24");
  add_node(intent, "bad-ip", "10.0.0.300/24");
  add_node(intent, "no-mask", "10.0.0.2");
  add_node(intent, "dup", "10.0.0.2/24");
  add_pool(intent, "not-a-cidr");
  add_pool(intent, "192.168.0.0/16").set_vxlan_mode("Sometimes");
  add_block(intent, "me", "192.168.0.0/33");
  add_peer(intent, "p1").set_peer_ip("10.0.9.1:notaport");
  add_peer(intent, "p2").set_peer_ip("10.0.9.2");  // no AS
  auto& p3 = add_peer(intent, "p3");
  p3.set_peer_ip("10.0.9.3");
  p3.set_as_number(65000);
  p3.set_max_restart_time("soon");
  p3.set_reachable_by("fd00::1");
  p3.add_filters("nope");
  add_peer(intent, "p4").set_peer_selector("a ==");
  add_peer(intent, "p5");
  config(intent).set_node_mesh_max_restart_time("-5s");
  auto* adv = config(intent).add_prefix_advertisements();
  adv->set_cidr("192.168.0.0/16");
  adv->add_communities("undefined-name");
  config(intent, "node.me").set_listen_port(1790);
  const Plan p = make_plan(intent, "me", Backend::kBird);
  EXPECT_TRUE(p.node_known);
  EXPECT_EQ(p.listen_port, 1790);
  EXPECT_NE(find_peer(p, "Global_10_0_9_3"), nullptr);
  EXPECT_EQ(find_peer(p, "Global_10_0_9_3")->restart_time, 120u);
  EXPECT_NE(find_peer(p, "Mesh_10_0_0_2"), nullptr);
  EXPECT_GE(p.notes.size(), 10u);
  const Plan unknown = make_plan(intent, "nobody", Backend::kBird);
  EXPECT_FALSE(unknown.node_known);
  EXPECT_FALSE(unknown.bgp_enabled);
  EXPECT_TRUE(unknown.peers.empty());
}

TEST(Planner, Ipv6OnlyNodeHashesItsRouterId) {
  const auto intent = load_intent("ipv6");
  const Plan a = make_plan(intent, "v6-only", Backend::kBird);
  const Plan b = make_plan(intent, "v6-only", Backend::kBird);
  EXPECT_NE(a.router_id, 0u);
  EXPECT_EQ(a.router_id, b.router_id);
  EXPECT_LT(a.router_id >> 24, 224u);
  for (const auto& peer : a.peers)
    EXPECT_EQ(peer.address.afi, bgp::Afi::kIpv6) << peer.name;
}

}  // namespace
}  // namespace tern::plan
