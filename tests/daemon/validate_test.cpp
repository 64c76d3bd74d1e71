#include "daemon/intent/validate.hpp"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <functional>

namespace tern::intent {
namespace {

// A valid cluster: each case below breaks (or stretches) one rule of it.
constexpr const char* kValid = R"pb(
  bgp_configurations {
    metadata { name: "default" }
    spec {
      as_number: 63400
      node_to_node_mesh_enabled: false
      service_cluster_ips { cidr: "10.96.0.0/12" }
      communities { name: "large" value: "63400:300:100" }
      communities { name: "std" value: "63400:120" }
      prefix_advertisements { cidr: "172.218.4.0/26" communities: "large" communities: "65000:1" }
      node_mesh_password { secret_key_ref { name: "bgp-secrets" key: "mesh" } }
    }
  }
  bgp_configurations {
    metadata { name: "node.node1" }
    spec { listen_port: 1179 }
  }
  bgp_peers {
    metadata { name: "rack1-tor" }
    spec {
      peer_ip: "192.20.30.40"
      as_number: 64567
      node_selector: "rack == 'rack-1'"
      password { secret_key_ref { name: "bgp-secrets" key: "rr-password" } }
      filters: "my-filter"
    }
  }
  bgp_peers {
    metadata { name: "rr" }
    spec { node_selector: "all()" peer_selector: "route-reflector == 'true'" }
  }
  nodes {
    metadata { name: "node1" }
    spec {
      bgp {
        ipv4_address: "10.0.0.1/24"
        ipv6_address: "fd00::1/64"
        route_reflector_cluster_id: "244.0.0.1"
        ipv4_ipip_tunnel_addr: "192.168.1.1"
      }
    }
  }
  ip_pools {
    metadata { name: "v4" }
    spec { cidr: "192.168.0.0/16" ipip_mode: "CrossSubnet" block_size: 26 node_selector: "all()" }
  }
  ip_pools {
    metadata { name: "v6" }
    spec { cidr: "fd00:10::/48" vxlan_mode: "Always" block_size: 122 }
  }
  block_affinities {
    metadata { name: "node1-block" }
    spec { node: "node1" cidr: "192.168.1.0/26" state: "confirmed" }
  }
  borrowed_addresses {
    metadata { name: "node2-borrow" }
    spec { node: "node2" address: "192.168.1.7" }
  }
  bgp_filters {
    metadata { name: "my-filter" }
    spec {
      export_v4 { action: "Accept" match_operator: "In" cidr: "77.0.0.0/16" source: "RemotePeers" }
      import_v4 {
        action: "Reject"
        match_operator: "NotIn"
        cidr: "44.0.0.0/16"
        prefix_length { min: 17 max: 24 }
      }
      export_v6 { action: "Reject" interface: "*.calico" peer_type: "eBGP" }
    }
  }
  secrets {
    metadata { name: "bgp-secrets" }
    string_data { key: "rr-password" value: "very-secret" }
    data { key: "mesh" value: "c2VjcmV0" }
  }
)pb";

api::Intent valid() {
  api::Intent intent;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kValid, &intent));
  return intent;
}

std::string all(const std::vector<ValidationError>& errors) {
  std::string out;
  for (const auto& e : errors)
    out += e.to_string() + "\n";
  return out;
}

TEST(Validate, ValidClusterHasNoErrors) {
  const auto errors = validate(valid());
  EXPECT_TRUE(errors.empty()) << all(errors);
}

TEST(Validate, ErrorText) {
  api::Intent i = valid();
  i.mutable_ip_pools(0)->mutable_spec()->set_block_size(33);
  const auto errors = validate(i);
  ASSERT_EQ(errors.size(), 1u) << all(errors);
  EXPECT_EQ(errors[0].to_string(),
            "IPPool \"v4\": spec.blockSize: must be 20-32 for an IPv4 pool, got 33");
}

using Mutate = std::function<void(api::Intent&)>;

api::BGPConfigurationSpec& def(api::Intent& i) {
  return *i.mutable_bgp_configurations(0)->mutable_spec();
}
api::BGPConfigurationSpec& nodecfg(api::Intent& i) {
  return *i.mutable_bgp_configurations(1)->mutable_spec();
}
api::BGPPeerSpec& tor(api::Intent& i) {
  return *i.mutable_bgp_peers(0)->mutable_spec();
}
api::BGPPeerSpec& rr(api::Intent& i) {
  return *i.mutable_bgp_peers(1)->mutable_spec();
}
api::NodeBGPSpec& node(api::Intent& i) {
  return *i.mutable_nodes(0)->mutable_spec()->mutable_bgp();
}
api::IPPoolSpec& pool4(api::Intent& i) {
  return *i.mutable_ip_pools(0)->mutable_spec();
}
api::IPPoolSpec& pool6(api::Intent& i) {
  return *i.mutable_ip_pools(1)->mutable_spec();
}
api::BlockAffinitySpec& block(api::Intent& i) {
  return *i.mutable_block_affinities(0)->mutable_spec();
}
api::BorrowedAddressSpec& borrow(api::Intent& i) {
  return *i.mutable_borrowed_addresses(0)->mutable_spec();
}
api::BGPFilterRule& rule4(api::Intent& i) {
  return *i.mutable_bgp_filters(0)->mutable_spec()->mutable_export_v4(0);
}
api::BGPFilterRule& rule6(api::Intent& i) {
  return *i.mutable_bgp_filters(0)->mutable_spec()->mutable_export_v6(0);
}
void add_pool(api::Intent& i, const char* name, const char* cidr) {
  auto* p = i.add_ip_pools();
  p->mutable_metadata()->set_name(name);
  p->mutable_spec()->set_cidr(cidr);
}

struct Case {
  const char* name;
  Mutate mutate;
  // For a failing case, the one error expected; a passing case leaves field null.
  const char* kind = nullptr;
  const char* resource = nullptr;
  const char* field = nullptr;
  const char* reason_has = nullptr;
};

class Rules : public testing::TestWithParam<Case> {};

TEST_P(Rules, NameResourceFieldAndReason) {
  const Case& c = GetParam();
  api::Intent i = valid();
  c.mutate(i);
  const auto errors = validate(i);
  if (!c.field) {
    EXPECT_TRUE(errors.empty()) << all(errors);
    return;
  }
  ASSERT_EQ(errors.size(), 1u) << all(errors);
  EXPECT_EQ(errors[0].kind, c.kind);
  EXPECT_EQ(errors[0].name, c.resource);
  EXPECT_EQ(errors[0].field, c.field);
  EXPECT_NE(errors[0].reason.find(c.reason_has), std::string::npos) << errors[0].to_string();
}

#define FAIL_CASE(n, body, kind, res, field, why)            \
  Case {                                                     \
#n, [](api::Intent & i) { body; }, kind, res, field, why \
  }
#define PASS_CASE(n, body)            \
  Case {                              \
#n, [](api::Intent & i) { body; } \
  }

const Case kCases[] = {
    // Names.
    FAIL_CASE(name_required, i.mutable_ip_pools(0)->mutable_metadata()->set_name(""), "IPPool", "",
              "metadata.name", "required"),
    FAIL_CASE(name_unique, add_pool(i, "v4", "10.0.0.0/8"), "IPPool", "v4", "metadata.name",
              "same name"),
    PASS_CASE(same_name_other_kind, add_pool(i, "node1", "10.0.0.0/8")),
    // BGPConfiguration.
    FAIL_CASE(config_name, i.mutable_bgp_configurations(1)->mutable_metadata()->set_name("node1"),
              "BGPConfiguration", "node1", "metadata.name", "node.<nodename>"),
    FAIL_CASE(config_name_empty_node,
              i.mutable_bgp_configurations(1)->mutable_metadata()->set_name("node."),
              "BGPConfiguration", "node.", "metadata.name", "node.<nodename>"),
    PASS_CASE(config_name_node,
              i.mutable_bgp_configurations(1)->mutable_metadata()->set_name("node.other")),
    FAIL_CASE(global_as_number, nodecfg(i).set_as_number(65000), "BGPConfiguration", "node.node1",
              "spec.asNumber", "only BGPConfiguration \"default\""),
    FAIL_CASE(global_mesh, nodecfg(i).set_node_to_node_mesh_enabled(true), "BGPConfiguration",
              "node.node1", "spec.nodeToNodeMeshEnabled", "only BGPConfiguration"),
    FAIL_CASE(global_services, nodecfg(i).add_service_cluster_ips()->set_cidr("10.96.0.0/12"),
              "BGPConfiguration", "node.node1", "spec.serviceClusterIPs", "only"),
    FAIL_CASE(global_external, nodecfg(i).add_service_external_ips()->set_cidr("10.97.0.0/16"),
              "BGPConfiguration", "node.node1", "spec.serviceExternalIPs", "only"),
    FAIL_CASE(global_lb, nodecfg(i).add_service_load_balancer_ips()->set_cidr("10.98.0.0/16"),
              "BGPConfiguration", "node.node1", "spec.serviceLoadBalancerIPs", "only"),
    FAIL_CASE(global_communities, *nodecfg(i).add_communities() = def(i).communities(0),
              "BGPConfiguration", "node.node1", "spec.communities", "only"),
    FAIL_CASE(global_password,
              *nodecfg(i).mutable_node_mesh_password() = def(i).node_mesh_password(),
              "BGPConfiguration", "node.node1", "spec.nodeMeshPassword", "only"),
    FAIL_CASE(global_restart, nodecfg(i).set_node_mesh_max_restart_time("90s"), "BGPConfiguration",
              "node.node1", "spec.nodeMeshMaxRestartTime", "only"),
    FAIL_CASE(global_bind, nodecfg(i).set_bind_mode("NodeIP"), "BGPConfiguration", "node.node1",
              "spec.bindMode", "only"),
    FAIL_CASE(global_ignored, nodecfg(i).add_ignored_interfaces("eth9"), "BGPConfiguration",
              "node.node1", "spec.ignoredInterfaces", "only"),
    PASS_CASE(node_level_fields,
              {
                nodecfg(i).set_log_severity_screen("Debug");
                auto* pa = nodecfg(i).add_prefix_advertisements();
                pa->set_cidr("192.168.0.0/16");
                pa->add_communities("std");  // the default configuration's name
              }),
    FAIL_CASE(log_severity, def(i).set_log_severity_screen("Verbose"), "BGPConfiguration",
              "default", "spec.logSeverityScreen", "\"Verbose\" is not one of Debug, Info"),
    PASS_CASE(log_severity_ok, def(i).set_log_severity_screen("Warning")),
    FAIL_CASE(bind_mode, def(i).set_bind_mode("All"), "BGPConfiguration", "default",
              "spec.bindMode", "None or NodeIP"),
    PASS_CASE(bind_mode_ok, def(i).set_bind_mode("NodeIP")),
    FAIL_CASE(lb_aggregation, def(i).set_service_load_balancer_aggregation("On"),
              "BGPConfiguration", "default", "spec.serviceLoadBalancerAggregation",
              "Enabled or Disabled"),
    PASS_CASE(lb_aggregation_ok, def(i).set_service_load_balancer_aggregation("Disabled")),
    FAIL_CASE(cluster_routes, def(i).set_program_cluster_routes("Yes"), "BGPConfiguration",
              "default", "spec.programClusterRoutes", "EnabledNoEncapOnly"),
    PASS_CASE(cluster_routes_ok, def(i).set_program_cluster_routes("EnabledIPIPOnly")),
    FAIL_CASE(listen_port_zero, def(i).set_listen_port(0), "BGPConfiguration", "default",
              "spec.listenPort", "not a port"),
    FAIL_CASE(listen_port_big, def(i).set_listen_port(65536), "BGPConfiguration", "default",
              "spec.listenPort", "1-65535"),
    PASS_CASE(listen_port_ok, def(i).set_listen_port(65535)),
    FAIL_CASE(as_zero, def(i).set_as_number(0), "BGPConfiguration", "default", "spec.asNumber",
              "reserved"),
    PASS_CASE(as_max, def(i).set_as_number(4294967295u)),
    FAIL_CASE(service_cidr, def(i).mutable_service_cluster_ips(0)->set_cidr("10.96.0.0/33"),
              "BGPConfiguration", "default", "spec.serviceClusterIPs[0].cidr", "not a CIDR"),
    FAIL_CASE(service_host_bits, def(i).mutable_service_cluster_ips(0)->set_cidr("10.96.0.1/12"),
              "BGPConfiguration", "default", "spec.serviceClusterIPs[0].cidr",
              "host bits set (the network is 10.96.0.0/12)"),
    PASS_CASE(service_v6, def(i).add_service_cluster_ips()->set_cidr("fd00:96::/108")),
    FAIL_CASE(community_16bit, def(i).mutable_communities(1)->set_value("65536:1"),
              "BGPConfiguration", "default", "spec.communities[1].value", "not a community"),
    FAIL_CASE(community_parts, def(i).mutable_communities(1)->set_value("1:2:3:4"),
              "BGPConfiguration", "default", "spec.communities[1].value", "\"aa:nn:mm\""),
    PASS_CASE(community_large_max, def(i).mutable_communities(1)->set_value("4294967295:0:1")),
    FAIL_CASE(community_name_unique, def(i).mutable_communities(1)->set_name("large"),
              "BGPConfiguration", "default", "spec.communities[1].name", "\"large\""),
    FAIL_CASE(
        community_count,
        for (int n = 0; n < 499; ++n) {
          auto* c = def(i).add_communities();
          c->set_name("c" + std::to_string(n));
          c->set_value("1:1");
        },
        "BGPConfiguration", "default", "spec.communities", "at most 500"),
    PASS_CASE(
        community_count_max,
        for (int n = 0; n < 498; ++n) {
          auto* c = def(i).add_communities();
          c->set_name("c" + std::to_string(n));
          c->set_value("1:1");
        }),
    FAIL_CASE(advert_cidr, def(i).mutable_prefix_advertisements(0)->set_cidr("172.218.4.0"),
              "BGPConfiguration", "default", "spec.prefixAdvertisements[0].cidr", "not a CIDR"),
    FAIL_CASE(advert_community, def(i).mutable_prefix_advertisements(0)->add_communities("nope"),
              "BGPConfiguration", "default", "spec.prefixAdvertisements[0].communities[2]",
              "neither a community defined"),
    FAIL_CASE(advert_community_node, nodecfg(i).add_prefix_advertisements()->set_cidr("10.0.0.0/8");
              nodecfg(i).mutable_prefix_advertisements(0)->add_communities("nope"),
              "BGPConfiguration", "node.node1", "spec.prefixAdvertisements[0].communities[0]",
              "\"nope\""),
    PASS_CASE(advert_literal, def(i).mutable_prefix_advertisements(0)->add_communities("1:2:3")),
    FAIL_CASE(advert_count,
              for (int n = 0; n < 64; ++n) def(i).add_prefix_advertisements()->set_cidr(
                  "10." + std::to_string(n) + ".0.0/16"),
              "BGPConfiguration", "default", "spec.prefixAdvertisements", "at most 64"),
    PASS_CASE(advert_count_max,
              for (int n = 0; n < 63; ++n) def(i).add_prefix_advertisements()->set_cidr(
                  "10." + std::to_string(n) + ".0.0/16")),
    FAIL_CASE(mesh_restart, def(i).set_node_mesh_max_restart_time("2 minutes"), "BGPConfiguration",
              "default", "spec.nodeMeshMaxRestartTime", "not a duration"),
    PASS_CASE(mesh_restart_ok, def(i).set_node_mesh_max_restart_time("2m30s")),
    FAIL_CASE(mesh_password_secret,
              def(i).mutable_node_mesh_password()->mutable_secret_key_ref()->set_name("other"),
              "BGPConfiguration", "default", "spec.nodeMeshPassword.secretKeyRef.name",
              "no Secret \"other\""),
    FAIL_CASE(mesh_password_key,
              def(i).mutable_node_mesh_password()->mutable_secret_key_ref()->set_key("nokey"),
              "BGPConfiguration", "default", "spec.nodeMeshPassword.secretKeyRef.key",
              "has no key \"nokey\""),
    PASS_CASE(
        mesh_password_string_data,
        def(i).mutable_node_mesh_password()->mutable_secret_key_ref()->set_key("rr-password")),
    // BGPPeer.
    FAIL_CASE(node_and_selector, tor(i).set_node("node1"), "BGPPeer", "rack1-tor",
              "spec.nodeSelector", "mutually exclusive"),
    PASS_CASE(node_only, tor(i).clear_node_selector(); tor(i).set_node("node1")),
    FAIL_CASE(ip_and_selector, tor(i).set_peer_selector("all()"), "BGPPeer", "rack1-tor",
              "spec.peerSelector", "mutually exclusive"),
    FAIL_CASE(ip_or_selector, rr(i).clear_peer_selector(), "BGPPeer", "rr", "spec.peerIP",
              "one of peerIP or peerSelector is required"),
    FAIL_CASE(peer_ip_port, tor(i).set_peer_ip("10.0.0.1:99999"), "BGPPeer", "rack1-tor",
              "spec.peerIP", "bad port"),
    FAIL_CASE(peer_ip_bad, tor(i).set_peer_ip("tor.example"), "BGPPeer", "rack1-tor", "spec.peerIP",
              "not an IP address"),
    PASS_CASE(peer_ip_v6_port, tor(i).set_peer_ip("[fd00::1]:1179")),
    PASS_CASE(peer_ip_v4_port, tor(i).set_peer_ip("10.0.0.1:1179")),
    PASS_CASE(peer_ip_v4_bracketed, tor(i).set_peer_ip("[10.0.0.1]:1179")),
    FAIL_CASE(peer_ip_port_zero, tor(i).set_peer_ip("10.0.0.1:0"), "BGPPeer", "rack1-tor",
              "spec.peerIP", "bad port"),
    FAIL_CASE(selector_with_as, rr(i).set_as_number(65000), "BGPPeer", "rr", "spec.asNumber",
              "must be empty with peerSelector"),
    FAIL_CASE(ip_without_as, tor(i).clear_as_number(), "BGPPeer", "rack1-tor", "spec.asNumber",
              "required with peerIP"),
    FAIL_CASE(peer_as_zero, tor(i).set_as_number(0), "BGPPeer", "rack1-tor", "spec.asNumber",
              "reserved"),
    FAIL_CASE(local_as_zero, tor(i).set_local_as_number(0), "BGPPeer", "rack1-tor",
              "spec.localASNumber", "reserved"),
    PASS_CASE(local_as, tor(i).set_local_as_number(65001)),
    FAIL_CASE(next_hop_mode, tor(i).set_next_hop_mode("Next"), "BGPPeer", "rack1-tor",
              "spec.nextHopMode", "Auto, Self or Keep"),
    FAIL_CASE(next_hop_and_keep, tor(i).set_next_hop_mode("Self");
              tor(i).set_keep_original_next_hop(true), "BGPPeer", "rack1-tor", "spec.nextHopMode",
              "keepOriginalNextHop"),
    PASS_CASE(next_hop_self, tor(i).set_next_hop_mode("Self")),
    PASS_CASE(keep_original, tor(i).set_keep_original_next_hop(true)),
    FAIL_CASE(source_address, tor(i).set_source_address("Auto"), "BGPPeer", "rack1-tor",
              "spec.sourceAddress", "UseNodeIP or None"),
    PASS_CASE(source_address_none, tor(i).set_source_address("None")),
    FAIL_CASE(ttl_security, tor(i).set_ttl_security(256), "BGPPeer", "rack1-tor",
              "spec.ttlSecurity", "more than 255"),
    PASS_CASE(ttl_security_max, tor(i).set_ttl_security(255)),
    FAIL_CASE(reverse_peering, tor(i).set_reverse_peering("Yes"), "BGPPeer", "rack1-tor",
              "spec.reversePeering", "Auto or Manual"),
    PASS_CASE(reverse_peering_manual, tor(i).set_reverse_peering("Manual")),
    FAIL_CASE(filter_missing, tor(i).add_filters("nope"), "BGPPeer", "rack1-tor", "spec.filters[1]",
              "no BGPFilter \"nope\""),
    FAIL_CASE(password_secret, tor(i).mutable_password()->mutable_secret_key_ref()->set_name("x"),
              "BGPPeer", "rack1-tor", "spec.password.secretKeyRef.name", "no Secret"),
    FAIL_CASE(password_key, tor(i).mutable_password()->mutable_secret_key_ref()->set_key("x"),
              "BGPPeer", "rack1-tor", "spec.password.secretKeyRef.key", "has no key"),
    FAIL_CASE(password_ref_missing, tor(i).mutable_password()->clear_secret_key_ref(), "BGPPeer",
              "rack1-tor", "spec.password.secretKeyRef", "required"),
    FAIL_CASE(node_selector, tor(i).set_node_selector("rack =="), "BGPPeer", "rack1-tor",
              "spec.nodeSelector", "bad selector: at "),
    FAIL_CASE(peer_selector, rr(i).set_peer_selector("has(route-reflector"), "BGPPeer", "rr",
              "spec.peerSelector", "bad selector"),
    PASS_CASE(selectors, rr(i).set_peer_selector("has(route-reflector) && rack in {'a', 'b'}")),
    FAIL_CASE(max_restart, tor(i).set_max_restart_time("120"), "BGPPeer", "rack1-tor",
              "spec.maxRestartTime", "not a duration"),
    FAIL_CASE(keepalive, tor(i).set_keepalive_time("-5s"), "BGPPeer", "rack1-tor",
              "spec.keepaliveTime", "not a duration"),
    PASS_CASE(durations, tor(i).set_max_restart_time("300s"); tor(i).set_keepalive_time("20s")),
    FAIL_CASE(reachable_by, tor(i).set_reachable_by("gw"), "BGPPeer", "rack1-tor",
              "spec.reachableBy", "not an IP address"),
    PASS_CASE(reachable_by_ok, tor(i).set_reachable_by("10.0.0.254")),
    // Node.
    FAIL_CASE(ipv4_no_len, node(i).set_ipv4_address("10.0.0.1"), "Node", "node1",
              "spec.bgp.ipv4Address", "CIDR form (a.b.c.d/len)"),
    FAIL_CASE(ipv4_is_v6, node(i).set_ipv4_address("fd00::1/64"), "Node", "node1",
              "spec.bgp.ipv4Address", "not an IPv4 address"),
    PASS_CASE(ipv4_host, node(i).set_ipv4_address("10.0.0.1/32")),
    FAIL_CASE(ipv6_is_v4, node(i).set_ipv6_address("10.0.0.1/24"), "Node", "node1",
              "spec.bgp.ipv6Address", "not an IPv6 address"),
    FAIL_CASE(node_as_zero, node(i).set_as_number(0), "Node", "node1", "spec.bgp.asNumber",
              "reserved"),
    FAIL_CASE(cluster_id, node(i).set_route_reflector_cluster_id("cluster-1"), "Node", "node1",
              "spec.bgp.routeReflectorClusterID", "dotted IPv4"),
    PASS_CASE(cluster_id_ok, node(i).set_route_reflector_cluster_id("1.2.3.4")),
    FAIL_CASE(tunnel_addr, node(i).set_ipv4_ipip_tunnel_addr("192.168.1.1/32"), "Node", "node1",
              "spec.bgp.ipv4IPIPTunnelAddr", "not an IPv4 address"),
    PASS_CASE(node_without_bgp, i.mutable_nodes(0)->clear_spec()),
    // IPPool.
    FAIL_CASE(pool_cidr_required, pool4(i).clear_cidr(), "IPPool", "v4", "spec.cidr", "required"),
    FAIL_CASE(pool_cidr_bad, pool4(i).set_cidr("192.168.0.0/40"), "IPPool", "v4", "spec.cidr",
              "not a CIDR"),
    FAIL_CASE(pool_host_bits, pool4(i).set_cidr("192.168.0.1/16"), "IPPool", "v4", "spec.cidr",
              "host bits set (the network is 192.168.0.0/16)"),
    FAIL_CASE(ipip_mode, pool4(i).set_ipip_mode("always"), "IPPool", "v4", "spec.ipipMode",
              "Always, CrossSubnet or Never"),
    FAIL_CASE(vxlan_mode, pool6(i).set_vxlan_mode("Sometimes"), "IPPool", "v6", "spec.vxlanMode",
              "is not one of"),
    FAIL_CASE(ipip_and_vxlan, pool4(i).set_vxlan_mode("Always"), "IPPool", "v4", "spec.vxlanMode",
              "cannot both be enabled"),
    PASS_CASE(ipip_and_vxlan_never, pool4(i).set_vxlan_mode("Never")),
    FAIL_CASE(ipip_v6, pool6(i).set_ipip_mode("Always");
              pool6(i).clear_vxlan_mode(), "IPPool", "v6", "spec.ipipMode", "IPv6"),
    PASS_CASE(ipip_v6_never, pool6(i).set_ipip_mode("Never")),
    FAIL_CASE(block_small_v4, pool4(i).set_block_size(19), "IPPool", "v4", "spec.blockSize",
              "must be 20-32 for an IPv4 pool, got 19"),
    FAIL_CASE(block_small_v6, pool6(i).set_block_size(115), "IPPool", "v6", "spec.blockSize",
              "must be 116-128 for an IPv6 pool"),
    PASS_CASE(block_edges, pool4(i).set_block_size(32); pool6(i).set_block_size(116)),
    FAIL_CASE(block_wider_than_pool, pool4(i).set_cidr("192.168.0.0/24");
              pool4(i).set_block_size(20), "IPPool", "v4", "spec.blockSize",
              "larger than the pool's /24"),
    FAIL_CASE(pool_overlap, add_pool(i, "inner", "192.168.1.0/24"), "IPPool", "inner", "spec.cidr",
              "overlaps IPPool \"v4\" (192.168.0.0/16)"),
    PASS_CASE(pool_disjoint, add_pool(i, "other", "10.0.0.0/8");
              add_pool(i, "v6b", "fd00:11::/48")),
    FAIL_CASE(pool_selector, pool4(i).set_node_selector("a == 'b' &&"), "IPPool", "v4",
              "spec.nodeSelector", "bad selector"),
    // BlockAffinity.
    FAIL_CASE(affinity_node, block(i).clear_node(), "BlockAffinity", "node1-block", "spec.node",
              "required"),
    FAIL_CASE(affinity_cidr, block(i).set_cidr("192.168.1.0"), "BlockAffinity", "node1-block",
              "spec.cidr", "not a CIDR"),
    FAIL_CASE(affinity_host_bits, block(i).set_cidr("192.168.1.5/26"), "BlockAffinity",
              "node1-block", "spec.cidr", "host bits"),
    FAIL_CASE(affinity_state, block(i).set_state("active"), "BlockAffinity", "node1-block",
              "spec.state", "confirmed, pending or pendingDeletion"),
    PASS_CASE(affinity_states, block(i).set_state("pendingDeletion")),
    PASS_CASE(affinity_state_empty, block(i).clear_state()),
    // BorrowedAddress.
    FAIL_CASE(borrow_node, borrow(i).clear_node(), "BorrowedAddress", "node2-borrow", "spec.node",
              "required"),
    FAIL_CASE(borrow_address, borrow(i).set_address("192.168.1.300"), "BorrowedAddress",
              "node2-borrow", "spec.address", "not an IP address"),
    FAIL_CASE(borrow_address_empty, borrow(i).clear_address(), "BorrowedAddress", "node2-borrow",
              "spec.address", "required"),
    PASS_CASE(borrow_v6, borrow(i).set_address("fd00:10::7")),
    // BGPFilter.
    FAIL_CASE(rule_action_required, rule4(i).clear_action(), "BGPFilter", "my-filter",
              "spec.exportV4[0].action", "required"),
    FAIL_CASE(rule_action, rule4(i).set_action("Allow"), "BGPFilter", "my-filter",
              "spec.exportV4[0].action", "Accept or Reject"),
    FAIL_CASE(rule_cidr_alone, rule4(i).clear_match_operator(), "BGPFilter", "my-filter",
              "spec.exportV4[0].matchOperator", "set together"),
    FAIL_CASE(rule_operator_alone, rule6(i).set_match_operator("Equal"), "BGPFilter", "my-filter",
              "spec.exportV6[0].cidr", "set together"),
    FAIL_CASE(rule_operator, rule4(i).set_match_operator("Contains"), "BGPFilter", "my-filter",
              "spec.exportV4[0].matchOperator", "Equal, NotEqual, In or NotIn"),
    FAIL_CASE(rule_family, rule4(i).set_cidr("fd00::/8"), "BGPFilter", "my-filter",
              "spec.exportV4[0].cidr", "not an IPv4 CIDR"),
    FAIL_CASE(rule_family_v6, rule6(i).set_cidr("10.0.0.0/8");
              rule6(i).set_match_operator("In"), "BGPFilter", "my-filter", "spec.exportV6[0].cidr",
              "not an IPv6 CIDR"),
    FAIL_CASE(rule_min_max, rule4(i).mutable_prefix_length()->set_min(25);
              rule4(i).mutable_prefix_length()->set_max(24), "BGPFilter", "my-filter",
              "spec.exportV4[0].prefixLength", "min 25 is greater than max 24"),
    FAIL_CASE(rule_max_v4, rule4(i).mutable_prefix_length()->set_max(33), "BGPFilter", "my-filter",
              "spec.exportV4[0].prefixLength.max", "longer than /32"),
    FAIL_CASE(rule_min_v4, rule4(i).mutable_prefix_length()->set_min(40), "BGPFilter", "my-filter",
              "spec.exportV4[0].prefixLength.min", "longer than /32"),
    PASS_CASE(rule_len_v6, rule6(i).mutable_prefix_length()->set_max(128);
              rule6(i).mutable_prefix_length()->set_min(64)),
    FAIL_CASE(rule_source, rule4(i).set_source("Kernel"), "BGPFilter", "my-filter",
              "spec.exportV4[0].source", "RemotePeers"),
    FAIL_CASE(rule_peer_type, rule6(i).set_peer_type("IBGP"), "BGPFilter", "my-filter",
              "spec.exportV6[0].peerType", "eBGP or iBGP"),
    PASS_CASE(rule_peer_type_ibgp, rule6(i).set_peer_type("iBGP")),
    // Secret.
    FAIL_CASE(secret_base64, (*i.mutable_secrets(0)->mutable_data())["mesh"] = "c2VjcmV0!",
              "Secret", "bgp-secrets", "data.mesh", "not base64"),
    PASS_CASE(secret_base64_padded,
              (*i.mutable_secrets(0)->mutable_data())["mesh"] = "c2VjcmV0MQ=="),
    FAIL_CASE(secret_base64_unpadded,
              (*i.mutable_secrets(0)->mutable_data())["mesh"] = "c2VjcmV0MQ", "Secret",
              "bgp-secrets", "data.mesh", "not base64"),
};

INSTANTIATE_TEST_SUITE_P(Table, Rules, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace tern::intent
