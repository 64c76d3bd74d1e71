#include "daemon/intent/manifest.hpp"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>

namespace tern::intent {
namespace {

// Calico's documentation examples (ToR peering with a password, route reflector peering, a
// CrossSubnet pool, service and community advertisement) plus one of every other kind.
constexpr const char* kCluster = R"(# cluster intent
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  logSeverityScreen: Info
  nodeToNodeMeshEnabled: false
  asNumber: 63400
  listenPort: 178
  bindMode: NodeIP
  serviceClusterIPs:
    - cidr: 10.96.0.0/12
  serviceExternalIPs:
    - cidr: 104.244.42.129/32
    - cidr: 172.217.3.0/24
  communities:
    - name: bgp-large-community
      value: 63400:300:100
  prefixAdvertisements:
    - cidr: 172.218.4.0/26
      communities:
        - bgp-large-community
        - 63400:120
  nodeMeshMaxRestartTime: 2m30s
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: node.node1
spec:
  logSeverityScreen: Debug
  listenPort: 1179
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack1-tor
spec:
  peerIP: 192.20.30.40
  asNumber: 64567
  nodeSelector: rack == 'rack-1'
  password:
    secretKeyRef:
      name: bgp-secrets
      key: rr-password
  keepaliveTime: 20s
  filters:
    - my-filter
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: peer-with-route-reflectors
spec:
  nodeSelector: all()
  peerSelector: route-reflector == 'true'
---
apiVersion: v1
kind: Secret
metadata:
  name: bgp-secrets
  namespace: kube-system
type: Opaque
stringData:
  rr-password: very-secret
---
apiVersion: projectcalico.org/v3
kind: Node
metadata:
  name: node1
  labels:
    rack: rack-1
    route-reflector: "true"
  resourceVersion: "12345"
  creationTimestamp: "2024-01-01T00:00:00Z"
spec:
  bgp:
    ipv4Address: 10.0.0.1/24
    ipv4IPIPTunnelAddr: 192.168.1.1
    routeReflectorClusterID: 244.0.0.1
status:
  podCIDRs: [192.168.1.0/24]
---
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: default-ipv4-ippool
spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
  natOutgoing: true
  blockSize: 26
  nodeSelector: all()
---
apiVersion: v1
kind: List
items:
  - apiVersion: crd.projectcalico.org/v1
    kind: BlockAffinity
    metadata:
      name: node1-192-168-1-0-26
    spec:
      cidr: 192.168.1.0/26
      node: node1
      state: confirmed
      deleted: "false"
  - apiVersion: tern.dev/v1
    kind: BorrowedAddress
    metadata:
      name: node2-192-168-1-7
    spec:
      node: node2
      address: 192.168.1.7
---
apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata:
  name: my-filter
spec:
  exportV4:
    - action: Accept
      matchOperator: In
      cidr: 77.0.0.0/16
      source: RemotePeers
  importV4:
    - action: Reject
      matchOperator: NotIn
      cidr: 44.0.0.0/16
      prefixLength:
        min: 17
        max: 24
  exportV6:
    - action: Reject
      interface: "*.calico"
)";

constexpr const char* kClusterText = R"pb(
  bgp_configurations {
    metadata { name: "default" }
    spec {
      log_severity_screen: "Info"
      node_to_node_mesh_enabled: false
      as_number: 63400
      listen_port: 178
      bind_mode: "NodeIP"
      service_cluster_ips { cidr: "10.96.0.0/12" }
      service_external_ips { cidr: "104.244.42.129/32" }
      service_external_ips { cidr: "172.217.3.0/24" }
      communities { name: "bgp-large-community" value: "63400:300:100" }
      prefix_advertisements {
        cidr: "172.218.4.0/26"
        communities: "bgp-large-community"
        communities: "63400:120"
      }
      node_mesh_max_restart_time: "2m30s"
    }
  }
  bgp_configurations {
    metadata { name: "node.node1" }
    spec { log_severity_screen: "Debug" listen_port: 1179 }
  }
  bgp_peers {
    metadata { name: "rack1-tor" }
    spec {
      peer_ip: "192.20.30.40"
      as_number: 64567
      node_selector: "rack == 'rack-1'"
      password { secret_key_ref { name: "bgp-secrets" key: "rr-password" } }
      keepalive_time: "20s"
      filters: "my-filter"
    }
  }
  bgp_peers {
    metadata { name: "peer-with-route-reflectors" }
    spec { node_selector: "all()" peer_selector: "route-reflector == 'true'" }
  }
  nodes {
    metadata {
      name: "node1"
      labels { key: "rack" value: "rack-1" }
      labels { key: "route-reflector" value: "true" }
    }
    spec {
      bgp {
        ipv4_address: "10.0.0.1/24"
        ipv4_ipip_tunnel_addr: "192.168.1.1"
        route_reflector_cluster_id: "244.0.0.1"
      }
    }
  }
  ip_pools {
    metadata { name: "default-ipv4-ippool" }
    spec {
      cidr: "192.168.0.0/16"
      ipip_mode: "CrossSubnet"
      nat_outgoing: true
      block_size: 26
      node_selector: "all()"
    }
  }
  block_affinities {
    metadata { name: "node1-192-168-1-0-26" }
    spec { cidr: "192.168.1.0/26" node: "node1" state: "confirmed" }
  }
  borrowed_addresses {
    metadata { name: "node2-192-168-1-7" }
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
      export_v6 { action: "Reject" interface: "*.calico" }
    }
  }
  secrets {
    metadata { name: "bgp-secrets" }
    string_data { key: "rr-password" value: "very-secret" }
  }
)pb";

api::Intent parse_text(const char* text) {
  api::Intent intent;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &intent));
  return intent;
}

bool same(const api::Intent& a, const api::Intent& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

api::Intent read_ok(std::string_view yaml) {
  auto r = read_manifests(yaml);
  if (auto* e = std::get_if<ManifestError>(&r)) {
    ADD_FAILURE() << e->to_string();
    return {};
  }
  return std::get<api::Intent>(r);
}

ManifestError read_err(std::string_view yaml) {
  auto r = read_manifests(yaml);
  if (auto* e = std::get_if<ManifestError>(&r)) return *e;
  ADD_FAILURE() << "read succeeded:\n" << std::get<api::Intent>(r).DebugString();
  return {};
}

TEST(Manifest, ReadsEveryKind) {
  const api::Intent got = read_ok(kCluster);
  const api::Intent want = parse_text(kClusterText);
  EXPECT_TRUE(same(got, want)) << got.DebugString();
}

TEST(Manifest, WriteReadsBackEqual) {
  const api::Intent want = parse_text(kClusterText);
  const std::string yaml = write_manifests(want);
  const api::Intent got = read_ok(yaml);
  EXPECT_TRUE(same(got, want)) << yaml;
  // Strings that YAML could take for other types are quoted; Calico's spelling is kept.
  EXPECT_NE(yaml.find("value: \"63400:300:100\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("route-reflector: \"true\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("peerIP: 192.20.30.40"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("ipv4IPIPTunnelAddr:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("apiVersion: tern.dev/v1\nkind: BorrowedAddress"), std::string::npos);
  EXPECT_NE(yaml.find("apiVersion: v1\nkind: Secret"), std::string::npos);
  // Writing is deterministic.
  EXPECT_EQ(write_manifests(got), yaml);
}

TEST(Manifest, WriteQuotesStringsAPlainScalarWouldNotCarryWhole) {
  // Found by fuzz_manifest: a label value ending in carriage returns was written plain and
  // read back one \r short.
  api::Intent want = parse_text(R"pb(
    nodes {
      metadata {
        name: "n"
        labels { key: "cr" value: "node-a\r\r\r" }
        labels { key: "tab" value: "a\tb" }
        labels { key: "blanks" value: " padded " }
        labels { key: "bell" value: "x\007y\177" }
      }
    }
  )pb");
  const std::string yaml = write_manifests(want);
  EXPECT_TRUE(same(read_ok(yaml), want)) << yaml;
  EXPECT_NE(yaml.find("cr: \"node-a\\r\\r\\r\""), std::string::npos) << yaml;
}

TEST(Manifest, WriteKeepsPresenceOfOptionalFieldsAndEmptySpecs) {
  api::Intent want = parse_text(R"pb(
    bgp_configurations {
      metadata { name: "default" }
      spec { node_to_node_mesh_enabled: false as_number: 0 }
    }
    bgp_peers {
      metadata {
        name: "p"
        annotations { key: "a" value: "" }
      }
      spec {}
    }
    nodes { metadata { name: "n" } }
  )pb");
  const std::string yaml = write_manifests(want);
  EXPECT_TRUE(same(read_ok(yaml), want)) << yaml;
  EXPECT_NE(yaml.find("nodeToNodeMeshEnabled: false"), std::string::npos) << yaml;
}

TEST(Manifest, EmptyTextIsEmptyIntent) {
  EXPECT_TRUE(same(read_ok(""), api::Intent()));
  EXPECT_TRUE(same(read_ok("---\n# nothing\n---\n"), api::Intent()));
}

TEST(Manifest, TypedListLendsItsKind) {
  const auto intent = read_ok(R"(apiVersion: projectcalico.org/v3
kind: IPPoolList
metadata:
  resourceVersion: "7"
items:
  - metadata: {name: a}
    spec: {cidr: 10.0.0.0/16}
  - apiVersion: projectcalico.org/v3
    kind: IPPool
    metadata: {name: b}
    spec: {cidr: 10.1.0.0/16}
)");
  ASSERT_EQ(intent.ip_pools_size(), 2);
  EXPECT_EQ(intent.ip_pools(0).spec().cidr(), "10.0.0.0/16");
  EXPECT_EQ(intent.ip_pools(1).metadata().name(), "b");
}

TEST(Manifest, AsNumbersTakeStringsAndAsdot) {
  const auto intent = read_ok(R"(apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: p}
spec: {peerIP: 10.0.0.1, asNumber: "1.10", localASNumber: "64512"}
)");
  EXPECT_EQ(intent.bgp_peers(0).spec().as_number(), 65546u);
  EXPECT_EQ(intent.bgp_peers(0).spec().local_as_number(), 64512u);
}

TEST(Manifest, ErrorNamesDocumentLineAndField) {
  const auto e = read_err(R"(apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-b
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-a
spec:
  cidr: 10.0.0.0/16
  blockSize: abc
)");
  EXPECT_EQ(e.document, 2u);
  EXPECT_EQ(e.line, 12u);
  EXPECT_EQ(e.field, "spec.blockSize");
  EXPECT_EQ(e.to_string(),
            "manifest document 2 (IPPool \"pool-a\"), line 12: spec.blockSize: expected an "
            "unsigned integer, got \"abc\"");
}

struct ErrorCase {
  const char* name;
  const char* yaml;
  size_t document;
  size_t line;
  const char* field;
  const char* reason_has;
};

class ManifestErrors : public testing::TestWithParam<ErrorCase> {};

TEST_P(ManifestErrors, NameDocumentLineFieldAndReason) {
  const auto& c = GetParam();
  const auto e = read_err(c.yaml);
  EXPECT_EQ(e.document, c.document) << e.to_string();
  EXPECT_EQ(e.line, c.line) << e.to_string();
  EXPECT_EQ(e.field, c.field) << e.to_string();
  EXPECT_NE(e.reason.find(c.reason_has), std::string::npos) << e.to_string();
}

constexpr const char* kPoolHead = "apiVersion: projectcalico.org/v3\nkind: IPPool\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, ManifestErrors,
    testing::Values(
        ErrorCase{"bad_bool",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                  "spec:\n  natOutgoing: yes\n",
                  1, 5, "spec.natOutgoing", "expected true or false, got \"yes\""},
        ErrorCase{"quoted_bool",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                  "spec:\n  natOutgoing: \"true\"\n",
                  1, 5, "spec.natOutgoing", "expected true or false"},
        ErrorCase{"negative_uint",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                  "spec:\n  blockSize: -1\n",
                  1, 5, "spec.blockSize", "expected an unsigned integer, got \"-1\""},
        ErrorCase{"overflow_uint",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                  "spec:\n  blockSize: 4294967296\n",
                  1, 5, "spec.blockSize", "out of range"},
        ErrorCase{"list_for_string",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                  "spec:\n  cidr: [10.0.0.0/8]\n",
                  1, 5, "spec.cidr", "expected a string, got a list"},
        ErrorCase{"scalar_for_list",
                  "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
                  "metadata: {name: default}\nspec:\n  serviceClusterIPs: 10.96.0.0/12\n",
                  1, 5, "spec.serviceClusterIPs", "expected a list"},
        ErrorCase{"unknown_key",
                  "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: a}\n"
                  "spec:\n  asNumber: 64512\n  peerIp: 10.0.0.1\n",
                  1, 6, "spec.peerIp", "unknown field (did you mean \"peerIP\"?)"},
        ErrorCase{"unknown_top_level_key",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                  "specs: {}\n",
                  1, 4, "specs", "unknown field"},
        ErrorCase{"unknown_nested_key",
                  "---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
                  "metadata: {name: default}\nspec:\n  prefixAdvertisements:\n"
                  "    - cidr: 10.0.0.0/8\n    - cidr: 10.1.0.0/16\n      community: [a]\n",
                  1, 9, "spec.prefixAdvertisements[1].community", "did you mean \"communities\"?"},
        ErrorCase{"unknown_kind",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n---\n"
                  "apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\n"
                  "metadata: {name: default}\n",
                  2, 6, "kind", "unknown kind \"FelixConfiguration\""},
        ErrorCase{"bad_api_version",
                  "apiVersion: projectcalico.org/v2\nkind: IPPool\nmetadata: {name: a}\n", 1, 1,
                  "apiVersion", "\"projectcalico.org/v2\" does not serve IPPool"},
        ErrorCase{"secret_needs_v1",
                  "apiVersion: projectcalico.org/v3\nkind: Secret\nmetadata: {name: a}\n", 1, 1,
                  "apiVersion", "(expected v1)"},
        ErrorCase{"missing_api_version", "kind: IPPool\nmetadata: {name: a}\n", 1, 1, "apiVersion",
                  "required"},
        ErrorCase{"missing_kind", "apiVersion: projectcalico.org/v3\nmetadata: {name: a}\n", 1, 1,
                  "kind", "required"},
        ErrorCase{"missing_name",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n---\n"
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n"
                  "  labels: {x: y}\nspec: {cidr: 10.0.0.0/8}\n",
                  2, 8, "metadata.name", "required"},
        ErrorCase{"no_metadata_at_all",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nspec: {cidr: 10.0.0.0/8}\n", 1,
                  1, "metadata.name", "required"},
        ErrorCase{"duplicate_key",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                  "spec:\n  cidr: 10.0.0.0/8\n  cidr: 10.1.0.0/16\n",
                  1, 6, "spec.cidr", "duplicate key"},
        ErrorCase{"yaml_syntax_error",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n---\n"
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: b\n"
                  "spec:\n  cidr: 10.0.0.0/8\n",
                  2, 8, "", "YAML syntax: end of map flow not found"},
        ErrorCase{"yaml_bad_indent",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: a\n"
                  " spec: x\n",
                  1, 5, "", "YAML syntax"},
        ErrorCase{"not_a_mapping", "- a\n- b\n", 1, 1, "", "expected a resource"},
        ErrorCase{"list_item_path",
                  "apiVersion: v1\nkind: List\nitems:\n"
                  "- apiVersion: projectcalico.org/v3\n  kind: IPPool\n  metadata: {name: a}\n"
                  "  spec: {cidr: 10.0.0.0/8}\n"
                  "- apiVersion: projectcalico.org/v3\n  kind: IPPool\n  metadata: {name: b}\n"
                  "  spec: {blockSize: big}\n",
                  1, 11, "items[1].spec.blockSize", "expected an unsigned integer"},
        ErrorCase{"deleted_affinity",
                  "apiVersion: crd.projectcalico.org/v1\nkind: BlockAffinity\n"
                  "metadata: {name: a}\nspec:\n  deleted: \"true\"\n",
                  1, 5, "spec.deleted", "only \"false\""},
        // Found by fuzz_manifest: yaml-cpp passes invalid UTF-8 through, protobuf would store
        // it and then refuse to parse the store back.
        ErrorCase{"invalid_utf8_value",
                  "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                  "spec:\n  cidr: \"192.\xeb\xff\x7f"
                  "168.0.0/16\"\n",
                  1, 5, "spec.cidr", "the value is not valid UTF-8 (byte 0xeb at offset 4)"},
        ErrorCase{"invalid_utf8_label_key",
                  "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: a\n"
                  "  labels:\n    \"r\xc0\xaf"
                  "ck\": x\n",
                  1, 6, "metadata.labels", "the key is not valid UTF-8 (byte 0xc0 at offset 1)"},
        ErrorCase{"invalid_utf8_label_value",
                  "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: a\n"
                  "  labels:\n    rack: \"\xed\xa0\x80\"\n",
                  1, 6, "metadata.labels.rack", "the value is not valid UTF-8"},
        ErrorCase{"invalid_utf8_list_item",
                  "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: a}\n"
                  "spec:\n  filters: [ok, \"f\xff\"]\n",
                  1, 5, "spec.filters[1]", "the value is not valid UTF-8 (byte 0xff at offset 1)"},
        // Found by fuzz_manifest: a map (labels) took the same key twice, and which value won
        // was up to protobuf.
        ErrorCase{"duplicate_label_key",
                  "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: a\n"
                  "  labels:\n    rack: r1\n    zone: z\n    rack: r2\n",
                  1, 8, "metadata.labels.rack", "duplicate key"},
        ErrorCase{"label_value_map",
                  "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: a\n"
                  "  labels:\n    rack: {x: 1}\n",
                  1, 6, "metadata.labels.rack", "expected a string"}),
    [](const testing::TestParamInfo<ErrorCase>& info) { return info.param.name; });

// An empty document still counts, and a syntax error is numbered like any other error.
TEST(Manifest, DocumentNumbersAgreeAcrossErrorKinds) {
  std::string text = kCluster;
  const auto at = text.find("blockSize: 26");
  ASSERT_NE(at, std::string::npos);
  std::string bad_value = text, bad_syntax = text;
  bad_value.replace(at, 13, "blockSize: x");
  bad_syntax.replace(at, 13, "blockSize: [26");
  const auto value_error = read_err(bad_value);
  const auto syntax_error = read_err(bad_syntax);
  EXPECT_EQ(value_error.document, 8u) << value_error.to_string();
  EXPECT_EQ(syntax_error.document, 8u) << syntax_error.to_string();
}

TEST(Manifest, SyntaxErrorLineIsReported) {
  const auto e = read_err(
      "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n---\n"
      "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: b\n"
      "spec:\n  cidr: 10.0.0.0/8\n");
  EXPECT_GE(e.line, 7u);
  EXPECT_NE(e.to_string().find("manifest document 2, line "), std::string::npos) << e.to_string();
}

TEST(Manifest, FileErrorsNameTheFile) {
  auto r = read_manifest_file("/nonexistent/tern-intent.yaml");
  ASSERT_TRUE(std::holds_alternative<ManifestError>(r));
  EXPECT_EQ(std::get<ManifestError>(r).to_string(),
            "/nonexistent/tern-intent.yaml: cannot open: No such file or directory");
}

TEST(Manifest, ReadsFileAndNamesItInErrors) {
  char path[] = "/tmp/tern-manifest-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream out(path);
    out << kCluster;
  }
  auto r = read_manifest_file(path);
  ASSERT_TRUE(std::holds_alternative<api::Intent>(r));
  EXPECT_TRUE(same(std::get<api::Intent>(r), parse_text(kClusterText)));
  {
    std::ofstream out(path);
    out << kPoolHead << "metadata: {name: a}\nspec: {blockSize: x}\n";
  }
  r = read_manifest_file(path);
  ASSERT_TRUE(std::holds_alternative<ManifestError>(r));
  EXPECT_EQ(std::get<ManifestError>(r).to_string(),
            std::string(path) +
                ": manifest document 1 (IPPool \"a\"), line 4: spec.blockSize: expected an "
                "unsigned integer, got \"x\"");
  std::remove(path);
}

}  // namespace
}  // namespace tern::intent

namespace tern::intent {
namespace {

// Whatever the text, the reader answers with a value: yaml-cpp's exceptions stay inside.
TEST(Manifest, HostileTextIsAnError) {
  const std::string deep(5000, '[');
  const std::string deep_map = [] {
    std::string s;
    for (int i = 0; i < 3000; ++i)
      s += "{a: ";
    return s;
  }();
  for (const std::string& text :
       {std::string("*undefined"), std::string("{"), std::string("\t- x"), std::string("a: b: c"),
        std::string("? [a]\n: b\n"), std::string("\x00\x01", 2), deep, deep_map,
        std::string("apiVersion: v1\nkind: List\nitems: 3\n"),
        std::string("apiVersion: v1\nkind: List\nitems: [3]\n"),
        std::string("apiVersion: [v1]\nkind: IPPool\n"), std::string("kind: {a: b}\n"),
        std::string("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: [a]\n"),
        std::string("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                    "spec: {[a]: b}\n")}) {
    auto r = read_manifests(text);
    EXPECT_TRUE(std::holds_alternative<ManifestError>(r)) << text.substr(0, 40);
  }
}

}  // namespace
}  // namespace tern::intent

namespace tern::intent {
namespace {

// What the reader accepts must survive the store: protobuf parses back what it serialized.
TEST(Manifest, NonAsciiTextIsKeptAndStorable) {
  auto r = read_manifests(
      "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: n\n"
      "  labels:\n    zone: \"z\xc3\xbcrich-\xe2\x82\xac-\xf0\x9f\x98\x80\"\n");
  ASSERT_TRUE(std::holds_alternative<api::Intent>(r)) << std::get<ManifestError>(r).to_string();
  const auto& intent = std::get<api::Intent>(r);
  EXPECT_EQ(intent.nodes(0).metadata().labels().at("zone"),
            "z\xc3\xbcrich-\xe2\x82\xac-\xf0\x9f\x98\x80");
  api::Intent back;
  ASSERT_TRUE(back.ParseFromString(intent.SerializeAsString()));
  EXPECT_TRUE(same(intent, back));
}

}  // namespace
}  // namespace tern::intent

namespace tern::intent {
namespace {

// Found by fuzz_manifest: aliases nested two deep made 2.9 KB of YAML read as 90,000 filter
// rules (1 GB, half a minute). Reading stops at a budget proportional to the text.
TEST(Manifest, AliasBombIsRefused) {
  std::string text =
      "apiVersion: v1\nkind: List\nitems:\n- &r\n  apiVersion: projectcalico.org/v3\n"
      "  kind: BGPFilter\n  metadata: {name: f}\n  spec:\n"
      "    exportV4: [&a {action: Accept, matchOperator: In, cidr: 10.0.0.0/8}";
  for (int i = 0; i < 300; ++i)
    text += ", *a";
  text += "]\n";
  for (int i = 0; i < 300; ++i)
    text += "- *r\n";
  const auto e = read_err(text);
  EXPECT_NE(e.reason.find("aliases (*name) repeat its anchors too often"), std::string::npos)
      << e.to_string();
  EXPECT_EQ(e.document, 1u);
  EXPECT_GT(e.line, 0u);
}

// Anchors as people use them (one label set for many nodes; an anchor lives in one document,
// so in one List) stay well inside the budget.
TEST(Manifest, SharedAnchorsAreRead) {
  std::string text =
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: Node\n"
      "  metadata:\n    name: n0\n    labels: &l {rack: r1, zone: z1, role: worker, tier: a}\n";
  for (int i = 1; i < 200; ++i)
    text += "- {apiVersion: projectcalico.org/v3, kind: Node, metadata: {name: n" +
            std::to_string(i) + ", labels: *l}}\n";
  auto r = read_manifests(text);
  ASSERT_TRUE(std::holds_alternative<api::Intent>(r)) << std::get<ManifestError>(r).to_string();
  const auto& intent = std::get<api::Intent>(r);
  ASSERT_EQ(intent.nodes_size(), 200);
  EXPECT_EQ(intent.nodes(199).metadata().labels().at("tier"), "a");
}

}  // namespace
}  // namespace tern::intent

namespace tern::intent {
namespace {

// Found by fuzz_manifest: yaml-cpp 0.7's LoadAll never returns on a stray ',' before any node
// (it appends empty documents until memory runs out). The reader answers with a syntax error.
TEST(Manifest, StrayFlowTokenIsASyntaxError) {
  for (const std::string& text :
       {std::string(","), std::string(", The clus, trsiomesh"), std::string("]"),
        std::string("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
                    "---\n, a\n")}) {
    const auto e = read_err(text);
    EXPECT_NE(e.reason.find("YAML syntax"), std::string::npos) << text << ": " << e.to_string();
  }
  const auto e = read_err(
      "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: a}\n"
      "---\n, a\n");
  EXPECT_EQ(e.document, 2u) << e.to_string();
}

}  // namespace
}  // namespace tern::intent
