#include <gtest/gtest.h>

#include "api/kinds.hpp"
#include "ctl/format.hpp"
#include "daemon/intent/manifest.hpp"
#include "daemon/intent/objects.hpp"
#include "fixtures.hpp"
#include "golden.hpp"

namespace tern::ctl {
namespace {

using testing::expect_golden;
using testing::parse_text;

std::vector<api::Object> objects(const std::string& text) {
  const auto list = parse_text<api::ListResponse>(text);
  return {list.objects().begin(), list.objects().end()};
}

constexpr const char* kPools = R"pb(
  objects {
    ip_pool {
      metadata { name: "default-ipv4-ippool" }
      spec {
        cidr: "10.244.0.0/16"
        ipip_mode: "CrossSubnet"
        vxlan_mode: "Never"
        block_size: 26
        nat_outgoing: true
      }
    }
  }
  objects {
    ip_pool {
      metadata { name: "default-ipv6-ippool" }
      spec {
        cidr: "fd00:10:244::/48"
        ipip_mode: "Never"
        vxlan_mode: "Never"
        node_selector: "has(ipv6)"
      }
    }
  })pb";

constexpr const char* kPeers = R"pb(
  objects {
    bgp_peer {
      metadata { name: "rack1-tor" }
      spec { peer_ip: "192.20.30.40" as_number: 64567 node_selector: "rack == 'rack-1'" }
    }
  }
  objects {
    bgp_peer {
      metadata { name: "peer-with-rr" }
      spec { node_selector: "!has(route-reflector)" peer_selector: "has(route-reflector)" }
    }
  }
  objects {
    bgp_peer {
      metadata { name: "node1-special" }
      spec { node: "node1" peer_ip: "10.0.5.1:1179" as_number: 64999 }
    }
  }
  objects {
    bgp_peer {
      metadata { name: "global-upstream" }
      spec { peer_ip: "192.168.0.1" as_number: 65000 }
    }
  })pb";

TEST(GetTable, EveryKind) {
  std::string text;
  auto add = [&](const std::string& kind, const std::string& list) {
    text += "# " + kind + "\n" + format_objects_table(kind, objects(list)) + "\n";
  };
  add("IPPool", kPools);
  add("BGPPeer", kPeers);
  add("BGPConfiguration", R"pb(
    objects {
      bgp_configuration {
        metadata { name: "default" }
        spec { log_severity_screen: "Info" node_to_node_mesh_enabled: false as_number: 63400 }
      }
    }
    objects {
      bgp_configuration {
        metadata { name: "node.node1" }
        spec { listen_port: 1179 }
      }
    })pb");
  add("Node", R"pb(
    objects {
      node {
        metadata { name: "node1" }
        spec { bgp { ipv4_address: "10.0.0.1/24" as_number: 64512 ipv6_address: "fd00::1/64" } }
      }
    }
    objects {
      node {
        metadata { name: "node2" }
        spec { bgp { ipv4_address: "10.0.0.2/24" } }
      }
    })pb");
  add("BlockAffinity", R"pb(
    objects {
      block_affinity {
        metadata { name: "node1-10-244-0-0-26" }
        spec { node: "node1" cidr: "10.244.0.0/26" }
      }
    }
    objects {
      block_affinity {
        metadata { name: "node2-10-244-0-64-26" }
        spec { node: "node2" cidr: "10.244.0.64/26" state: "pending" }
      }
    })pb");
  add("BorrowedAddress", R"pb(
    objects {
      borrowed_address {
        metadata { name: "node2-10-244-0-5" }
        spec { node: "node2" address: "10.244.0.5" }
      }
    })pb");
  add("BGPFilter", R"pb(
    objects {
      bgp_filter {
        metadata { name: "export-only-pods" }
        spec {
          export_v4 { action: "Accept" cidr: "10.244.0.0/16" match_operator: "In" }
          export_v4 { action: "Reject" }
        }
      }
    })pb");
  add("Secret", R"pb(
    objects {
      secret {
        metadata { name: "bgp-secrets" }
        string_data { key: "rr-password" value: "very-secret" }
        data { key: "tor-password" value: "c2VjcmV0" }
      }
    })pb");
  expect_golden("get_tables", text);
  EXPECT_EQ(text.find("very-secret"), std::string::npos) << "a table never shows secret values";
}

TEST(GetJson, SingleObjectAndTypedList) {
  const auto pools = objects(kPools);
  expect_golden("get_ippool_json", format_objects_json("IPPool", {pools.front()}, true));
  expect_golden("get_bgppeers_json", format_objects_json("BGPPeer", objects(kPeers), false));
}

TEST(GetJson, ListReadsBackAsManifests) {
  const auto peers = objects(kPeers);
  const auto read = intent::read_manifests(format_objects_json("BGPPeer", peers, false));
  ASSERT_TRUE(std::holds_alternative<api::Intent>(read))
      << std::get<intent::ManifestError>(read).to_string();
  const auto& intent = std::get<api::Intent>(read);
  ASSERT_EQ(intent.bgp_peers_size(), 4);
  EXPECT_EQ(intent.bgp_peers(0).DebugString(), peers[0].bgp_peer().DebugString());
  EXPECT_EQ(intent.bgp_peers(2).DebugString(), peers[2].bgp_peer().DebugString());
}

TEST(GetYaml, ManifestWriterReadsBack) {
  const auto pools = objects(kPools);
  const std::string yaml = format_objects_yaml(pools);
  expect_golden("get_ippools_yaml", yaml);
  const auto read = intent::read_manifests(yaml);
  ASSERT_TRUE(std::holds_alternative<api::Intent>(read));
  EXPECT_EQ(std::get<api::Intent>(read).ip_pools_size(), 2);
}

TEST(Kinds, ObjectsGoIntoTheirIntentList) {
  api::Intent intent;
  for (const auto& o : objects(kPeers))
    intent::append(intent, o);
  for (const auto& o : objects(kPools))
    intent::append(intent, o);
  EXPECT_EQ(intent.bgp_peers_size(), 4);
  EXPECT_EQ(intent.ip_pools_size(), 2);
  EXPECT_EQ(intent::count(intent), 6u);
  EXPECT_EQ(api::kind_of(objects(kPools).front())->kind, "IPPool");
  EXPECT_EQ(api::object_meta(objects(kPools).front()).name(), "default-ipv4-ippool");
}

}  // namespace
}  // namespace tern::ctl
