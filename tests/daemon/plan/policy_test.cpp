// Calico's export policy as the planner builds it, judged by what rib::RouteFilter::decide()
// says about sample prefixes: block aggregation, disableBGPExport, service ranges, BGPFilter
// rules ahead of the default policy, and prefixAdvertisements communities.

#include <gtest/gtest.h>

#include <string>

#include "daemon/plan/planner.hpp"
#include "tests/daemon/plan/intent_file.hpp"

namespace tern::plan {
namespace {

bgp::Prefix pfx(const char* text) {
  auto p = bgp::Prefix::parse(text);
  EXPECT_TRUE(p) << text;
  return p.value_or(bgp::Prefix{});
}

// A two-node cluster: "me" (10.0.0.1) and "other" (10.0.0.2) with a pool and blocks.
api::Intent base() {
  api::Intent i;
  add_node(i, "me", "10.0.0.1/24", "fd00::1/64");
  add_node(i, "other", "10.0.0.2/24", "fd00::2/64");
  add_pool(i, "192.168.0.0/16").set_ipip_mode("Always");
  add_block(i, "me", "192.168.1.0/26");
  add_block(i, "other", "192.168.2.0/26");
  return i;
}

const PlannedPeer& peer(const Plan& p, const std::string& name) {
  for (const auto& x : p.peers)
    if (x.name == name) return x;
  ADD_FAILURE() << "no peer " << name;
  static PlannedPeer none;
  return none;
}

const rib::RouteFilter& mesh_export(const Plan& p) {
  return peer(p, "Mesh_10_0_0_2").export_filter;
}

TEST(Policy, OwnBlockExportedWholeNothingBeneath) {
  const Plan p = make_plan(base(), "me", Backend::kBird);
  const auto& f = mesh_export(p);
  EXPECT_TRUE(f.accepts(pfx("192.168.1.0/26"), true));   // the block aggregate
  EXPECT_FALSE(f.accepts(pfx("192.168.1.5/32"), true));  // a workload inside it
  EXPECT_FALSE(f.accepts(pfx("192.168.1.0/27")));        // anything beneath it
  EXPECT_TRUE(f.accepts(pfx("192.168.2.9/32")));         // borrowed from another's block
  EXPECT_TRUE(f.accepts(pfx("192.168.2.0/26")));         // another node's block (RR/eBGP)
  EXPECT_FALSE(f.accepts(pfx("10.0.0.0/24")));           // the node subnet
  EXPECT_FALSE(f.accepts(pfx("0.0.0.0/0")));             // the default route
  EXPECT_EQ(p.own_blocks, std::vector<bgp::Prefix>{pfx("192.168.1.0/26")});
}

TEST(Policy, PendingBlocksAreNotOwnAndSingleAddressBlocksNotOriginated) {
  auto i = base();
  add_block(i, "me", "192.168.3.0/26", "pending");
  add_block(i, "me", "192.168.4.7/32");
  const Plan p = make_plan(i, "me", Backend::kBird);
  EXPECT_EQ(p.own_blocks.size(), 2u);
  ASSERT_EQ(p.originate.size(), 1u);
  EXPECT_EQ(p.originate[0].prefix, pfx("192.168.1.0/26"));
  EXPECT_TRUE(mesh_export(p).accepts(pfx("192.168.4.7/32")));  // the /32 block, exactly
}

TEST(Policy, BorrowedAddressesOriginatedOutsideOwnBlocksInsidePools) {
  auto i = base();
  for (auto [name, addr] : {std::pair{"b1", "192.168.2.9"}, std::pair{"b2", "192.168.1.9"},
                            std::pair{"b3", "172.31.0.1"}}) {
    auto* b = i.add_borrowed_addresses();
    b->mutable_metadata()->set_name(name);
    b->mutable_spec()->set_node("me");
    b->mutable_spec()->set_address(addr);
  }
  const Plan p = make_plan(i, "me", Backend::kBird);
  ASSERT_EQ(p.originate.size(), 2u);
  EXPECT_EQ(p.originate[0].prefix, pfx("192.168.1.0/26"));
  EXPECT_EQ(p.originate[1].prefix, pfx("192.168.2.9/32"));
  EXPECT_EQ(p.originate[1].kind, Origination::Kind::kBorrowed);
}

TEST(Policy, DisableBgpExportRejectsThePool) {
  auto i = base();
  add_pool(i, "172.16.0.0/16").set_disable_bgp_export(true);
  add_block(i, "me", "172.16.5.0/26");
  const Plan p = make_plan(i, "me", Backend::kBird);
  const auto& f = mesh_export(p);
  EXPECT_FALSE(f.accepts(pfx("172.16.5.0/26"), true));  // even its own block
  EXPECT_FALSE(f.accepts(pfx("172.16.9.9/32")));
  EXPECT_TRUE(f.accepts(pfx("192.168.7.7/32")));
  EXPECT_EQ(p.encap.pools.size(), 2u);  // still routed locally
}

TEST(Policy, ServiceRanges) {
  auto i = base();
  auto& g = config(i);
  g.add_service_cluster_ips()->set_cidr("10.96.0.0/12");
  g.add_service_external_ips()->set_cidr("203.0.113.0/24");
  g.add_service_external_ips()->set_cidr("198.51.100.9/32");
  g.add_service_load_balancer_ips()->set_cidr("192.0.2.0/24");
  const Plan p = make_plan(i, "me", Backend::kBird);
  const auto& f = mesh_export(p);
  EXPECT_TRUE(f.accepts(pfx("10.96.0.0/12"), true));
  EXPECT_TRUE(f.accepts(pfx("10.96.0.10/32")));
  EXPECT_TRUE(f.accepts(pfx("203.0.113.0/24"), true));
  EXPECT_FALSE(f.accepts(pfx("198.51.100.9/32")));  // a single address: a per-service route
  EXPECT_TRUE(f.accepts(pfx("192.0.2.0/24"), true));
  const std::vector<bgp::Prefix> ranges = {pfx("10.96.0.0/12"), pfx("192.0.2.0/24"),
                                           pfx("203.0.113.0/24")};
  EXPECT_EQ(p.no_install, ranges);
  int services = 0;
  for (const auto& o : p.originate)
    services += o.kind == Origination::Kind::kService;
  EXPECT_EQ(services, 3);

  g.set_service_load_balancer_aggregation("Disabled");
  const Plan d = make_plan(i, "me", Backend::kBird);
  EXPECT_FALSE(mesh_export(d).accepts(pfx("192.0.2.0/24"), true));
  EXPECT_EQ(d.no_install.size(), 2u);
}

TEST(Policy, ExcludedNodeOriginatesNoServicesButKeepsRejectCidrs) {
  auto i = base();
  config(i).add_service_cluster_ips()->set_cidr("10.96.0.0/12");
  (*i.mutable_nodes(0)
        ->mutable_metadata()
        ->mutable_labels())["node.kubernetes.io/exclude-from-external-load-balancers"] = "true";
  const Plan p = make_plan(i, "me", Backend::kBird);
  EXPECT_FALSE(mesh_export(p).accepts(pfx("10.96.0.0/12"), true));
  for (const auto& o : p.originate)
    EXPECT_NE(o.kind, Origination::Kind::kService);
  EXPECT_EQ(p.no_install, std::vector<bgp::Prefix>{pfx("10.96.0.0/12")});
}

TEST(Policy, RouteReflectorPassesOnServiceAddresses) {
  auto i = base();
  i.mutable_nodes(0)->mutable_spec()->mutable_bgp()->set_route_reflector_cluster_id("1.2.3.4");
  config(i).add_service_load_balancer_ips()->set_cidr("192.0.2.0/24");
  config(i).add_service_external_ips()->set_cidr("198.51.100.9/32");
  config(i).set_service_load_balancer_aggregation("Disabled");
  add_peer(i, "all").set_peer_selector("all()");
  const Plan p = make_plan(i, "me", Backend::kBird);
  const auto& f = peer(p, "Global_10_0_0_2").export_filter;
  EXPECT_TRUE(peer(p, "Global_10_0_0_2").rr_client);
  EXPECT_TRUE(f.accepts(pfx("192.0.2.7/32")));  // a client's per-service route
  EXPECT_TRUE(f.accepts(pfx("198.51.100.9/32")));
  // A plain node does not.
  const Plan o = make_plan(i, "other", Backend::kBird);
  EXPECT_FALSE(peer(o, "Global_10_0_0_1").export_filter.accepts(pfx("192.0.2.7/32")));
}

// A BGPPeer to 10.9.0.1 AS `as` (node AS 64512) with one filter of the given export rules.
Plan with_filter(std::initializer_list<api::BGPFilterRule> rules, uint32_t as = 65001) {
  auto i = base();
  auto* f = i.add_bgp_filters();
  f->mutable_metadata()->set_name("f");
  for (const auto& r : rules)
    *f->mutable_spec()->add_export_v4() = r;
  auto& s = add_peer(i, "tor");
  s.set_peer_ip("10.9.0.1");
  s.set_as_number(as);
  s.add_filters("f");
  return make_plan(i, "me", Backend::kBird);
}

api::BGPFilterRule rule(const char* action, const char* cidr = "", const char* op = "") {
  api::BGPFilterRule r;
  r.set_action(action);
  r.set_cidr(cidr);
  r.set_match_operator(op);
  return r;
}

const rib::RouteFilter& tor_export(const Plan& p) {
  return peer(p, "Global_10_9_0_1").export_filter;
}

TEST(Policy, FilterOperators) {
  {
    const Plan p = with_filter({rule("Reject", "192.168.1.0/26", "Equal")});
    EXPECT_FALSE(tor_export(p).accepts(pfx("192.168.1.0/26"), true));
    EXPECT_TRUE(tor_export(p).accepts(pfx("192.168.2.5/32")));  // falls through to Calico's
  }
  {
    const Plan p = with_filter({rule("Reject", "192.168.2.0/24", "In")});
    EXPECT_FALSE(tor_export(p).accepts(pfx("192.168.2.5/32")));
    EXPECT_TRUE(tor_export(p).accepts(pfx("192.168.1.0/26"), true));
  }
  {
    const Plan p = with_filter({rule("Reject", "192.168.1.0/26", "NotEqual")});
    EXPECT_TRUE(tor_export(p).accepts(pfx("192.168.1.0/26"), true));
    EXPECT_FALSE(tor_export(p).accepts(pfx("192.168.2.5/32")));
  }
  {
    const Plan p = with_filter({rule("Accept", "10.0.0.0/8", "NotIn")});
    EXPECT_TRUE(tor_export(p).accepts(pfx("8.8.8.0/24")));  // bypasses the default reject
    EXPECT_FALSE(tor_export(p).accepts(pfx("10.1.0.0/16")));
  }
}

TEST(Policy, FilterPrefixLength) {
  auto in = rule("Accept", "10.0.0.0/8", "In");
  in.mutable_prefix_length()->set_min(16);
  in.mutable_prefix_length()->set_max(24);
  const Plan p = with_filter({in});
  EXPECT_FALSE(tor_export(p).accepts(pfx("10.0.0.0/8")));
  EXPECT_TRUE(tor_export(p).accepts(pfx("10.1.0.0/16")));
  EXPECT_TRUE(tor_export(p).accepts(pfx("10.1.2.0/24")));
  EXPECT_FALSE(tor_export(p).accepts(pfx("10.1.2.0/25")));

  // NotIn with a prefix set is BIRD's net !~ [ C{lo,hi} ]: outside, or too short, or too long.
  auto notin = rule("Reject", "192.168.0.0/16", "NotIn");
  notin.mutable_prefix_length()->set_max(26);
  const Plan q = with_filter({notin});
  EXPECT_TRUE(tor_export(q).accepts(pfx("192.168.1.0/26"), true));  // inside the set
  EXPECT_FALSE(tor_export(q).accepts(pfx("192.168.2.9/32")));       // too long: rejected
  EXPECT_FALSE(tor_export(q).accepts(pfx("8.8.8.0/24")));
}

TEST(Policy, FilterSourceRemotePeers) {
  auto r = rule("Reject");
  r.set_source("RemotePeers");
  const Plan p = with_filter({r});
  EXPECT_FALSE(tor_export(p).accepts(pfx("192.168.2.0/26"), false));  // learned: rejected
  EXPECT_TRUE(tor_export(p).accepts(pfx("192.168.1.0/26"), true));    // ours: Calico's policy
}

TEST(Policy, FilterPeerType) {
  auto ebgp_only = rule("Accept", "8.0.0.0/8", "In");
  ebgp_only.set_peer_type("eBGP");
  auto ibgp_only = rule("Accept", "9.0.0.0/8", "In");
  ibgp_only.set_peer_type("iBGP");
  const Plan e = with_filter({ebgp_only, ibgp_only}, 65001);
  EXPECT_TRUE(tor_export(e).accepts(pfx("8.8.8.0/24")));
  EXPECT_FALSE(tor_export(e).accepts(pfx("9.9.9.0/24")));
  const Plan i = with_filter({ebgp_only, ibgp_only}, 64512);
  EXPECT_FALSE(tor_export(i).accepts(pfx("8.8.8.0/24")));
  EXPECT_TRUE(tor_export(i).accepts(pfx("9.9.9.0/24")));
}

TEST(Policy, FilterTrailingRejectAndInterfaceRules) {
  auto iface = rule("Accept", "77.0.0.0/16", "In");
  iface.set_interface("*.calico");
  const Plan p = with_filter({rule("Accept", "192.168.1.0/26", "Equal"), iface, rule("Reject")});
  EXPECT_TRUE(tor_export(p).accepts(pfx("192.168.1.0/26"), true));
  EXPECT_FALSE(tor_export(p).accepts(pfx("192.168.2.5/32")));  // Calico would have: not now
  EXPECT_FALSE(tor_export(p).accepts(pfx("77.0.1.0/24")));
  EXPECT_NE(std::find_if(p.notes.begin(), p.notes.end(),
                         [](const std::string& n) { return n.find("interface") != n.npos; }),
            p.notes.end());
  // Mesh sessions never call filters.
  EXPECT_TRUE(mesh_export(p).accepts(pfx("192.168.2.5/32")));
}

TEST(Policy, ImportFilterThenAccept) {
  auto i = base();
  auto* f = i.add_bgp_filters();
  f->mutable_metadata()->set_name("f");
  *f->mutable_spec()->add_import_v4() = rule("Reject", "0.0.0.0/0", "Equal");
  auto& s = add_peer(i, "tor");
  s.set_peer_ip("10.9.0.1");
  s.set_as_number(65001);
  s.add_filters("f");
  const Plan p = make_plan(i, "me", Backend::kBird);
  const auto& imp = peer(p, "Global_10_9_0_1").import_filter;
  EXPECT_FALSE(imp.accepts(pfx("0.0.0.0/0")));
  EXPECT_TRUE(imp.accepts(pfx("8.8.8.0/24")));
  EXPECT_TRUE(peer(p, "Mesh_10_0_0_2").import_filter.passes_everything_unchanged());
}

TEST(Policy, PrefixAdvertisementCommunities) {
  auto i = base();
  auto& g = config(i);
  auto* c = g.add_communities();
  c->set_name("pods");
  c->set_value("65000:100");
  auto* adv = g.add_prefix_advertisements();
  adv->set_cidr("192.168.0.0/16");
  adv->add_communities("pods");
  adv->add_communities("65000:1:2");
  auto* adv2 = g.add_prefix_advertisements();
  adv2->set_cidr("192.168.1.0/24");
  adv2->add_communities("65000:200");
  const Plan p = make_plan(i, "me", Backend::kBird);
  const auto& f = mesh_export(p);
  const auto v = f.decide(pfx("192.168.1.0/26"), true);
  ASSERT_TRUE(v.accept);
  const auto attrs = f.apply(bgp::PathAttributes{}, v.communities);
  ASSERT_TRUE(attrs.communities);
  EXPECT_EQ(*attrs.communities, (std::vector<uint32_t>{65000u << 16 | 100, 65000u << 16 | 200}));
  ASSERT_TRUE(attrs.large_communities);
  EXPECT_EQ(*attrs.large_communities, (std::vector<bgp::LargeCommunity>{{65000, 1, 2}}));
  // A rejected route gets nothing.
  EXPECT_EQ(f.decide(pfx("192.168.1.5/32"), true).communities, 0u);

  // The node-level list replaces the default one.
  auto* n = config(i, "node.me").add_prefix_advertisements();
  n->set_cidr("192.168.0.0/16");
  n->add_communities("65000:300");
  const Plan q = make_plan(i, "me", Backend::kBird);
  ASSERT_EQ(mesh_export(q).community_rules.size(), 1u);
  EXPECT_EQ(mesh_export(q).community_rules[0].communities,
            std::vector<uint32_t>{65000u << 16 | 300});
}

}  // namespace
}  // namespace tern::plan
