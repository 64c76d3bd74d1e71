#include "ctl/format.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "golden.hpp"

namespace tern::ctl {
namespace {

using testing::expect_golden;
using testing::kNowMs;
using testing::parse_text;

// 09:17:20 today, 02:00:00 today, and two days ago.
constexpr const char* kMeshOfThree = R"pb(
  node: "node-1"
  backend: "bird"
  bgp_enabled: true
  bgp_needed: true
  router_id: "10.0.0.1"
  as_number: 64512
  ready: false
  ready_reason: "BGP not established with 10.0.0.4"
  live: true
  intent_revision: 7
  peers {
    name: "Mesh_10_0_0_2"
    address: "10.0.0.2"
    type: "node-to-node mesh"
    state: "up"
    fsm_state: "Established"
    since_unix_ms: 1709630240000
    info: "Established"
  }
  peers {
    name: "Mesh_10_0_0_3"
    address: "10.0.0.3"
    type: "node-to-node mesh"
    state: "up"
    fsm_state: "Established"
    since_unix_ms: 1709460000000
    info: "Established"
  }
  peers {
    name: "Mesh_10_0_0_4"
    address: "10.0.0.4"
    type: "node-to-node mesh"
    state: "start"
    fsm_state: "Active"
    since_unix_ms: 1709604000000
    info: "Active Socket: Connection refused"
    last_error: "Connection refused"
  }
)pb";

constexpr const char* kRouteReflector = R"pb(
  node: "rr-1"
  backend: "bird"
  bgp_enabled: true
  bgp_needed: true
  router_id: "10.0.1.1"
  as_number: 64512
  cluster_id: "224.0.0.1"
  ready: true
  live: true
  peers {
    name: "Node_10_0_0_11"
    address: "10.0.0.11"
    type: "node specific"
    state: "up"
    fsm_state: "Established"
    since_unix_ms: 1709630240000
    info: "Established"
  }
  peers {
    name: "Node_10_0_0_12"
    address: "10.0.0.12"
    type: "node specific"
    state: "up"
    fsm_state: "Established"
    since_unix_ms: 1709630241000
    info: "Established"
  }
  peers {
    name: "Node_10_0_0_13"
    address: "10.0.0.13"
    type: "node specific"
    state: "up"
    fsm_state: "Established"
    since_unix_ms: 1709630242000
    info: "Established"
  }
  peers {
    name: "Node_10_0_1_2"
    address: "10.0.1.2"
    type: "node specific"
    state: "up"
    fsm_state: "Established"
    since_unix_ms: 1709600000000
    info: "Established"
  }
  peers {
    name: "Global_192_168_0_1"
    address: "192.168.0.1:1179"
    type: "global"
    state: "start"
    fsm_state: "Connect"
    since_unix_ms: 1709639990000
    info: "Connect"
  }
)pb";

constexpr const char* kDualStack = R"pb(
  node: "node-6"
  backend: "bird"
  bgp_enabled: true
  bgp_needed: true
  router_id: "10.0.0.6"
  as_number: 64512
  ready: true
  live: true
  notes: "IPv6 pool fd00:10:244::/48 has no IPIP (IPv6 routes go direct)"
  peers {
    name: "Mesh_10_0_0_2"
    address: "10.0.0.2"
    type: "node-to-node mesh"
    state: "up"
    since_unix_ms: 1709630240000
    info: "Established"
  }
  peers {
    name: "Mesh_fd00__2"
    address: "fd00::2"
    type: "node-to-node mesh"
    state: "up"
    since_unix_ms: 1709630240000
    info: "Established"
  }
  peers {
    name: "Global_fd00__fe"
    address: "[fd00::fe]:1179"
    type: "global"
    state: "start"
    fsm_state: "OpenSent"
    since_unix_ms: 1709639000000
    info: "OpenSent Received: Bad peer AS"
  }
)pb";

TEST(Status, MeshOfThreeWithOnePeerDown) {
  expect_golden("status_mesh",
                format_status(parse_text<api::StatusResponse>(kMeshOfThree), kNowMs));
}

TEST(Status, RouteReflectorWithClients) {
  expect_golden("status_rr",
                format_status(parse_text<api::StatusResponse>(kRouteReflector), kNowMs));
}

TEST(Status, IPv6Peers) {
  expect_golden("status_ipv6", format_status(parse_text<api::StatusResponse>(kDualStack), kNowMs));
}

TEST(Status, NoPeers) {
  const auto s = parse_text<api::StatusResponse>(R"pb(
    node: "solo"
    backend: "bird"
    bgp_enabled: true
    router_id: "10.0.0.9"
    as_number: 64512
    ready: true
    live: true)pb");
  expect_golden("status_no_peers", format_status(s, kNowMs));
}

TEST(Status, VxlanBackendRunsNoBgp) {
  const auto s = parse_text<api::StatusResponse>(
      R"pb(
        node: "node-1" backend: "vxlan" bgp_enabled: false ready: true live: true)pb");
  const std::string text = format_status(s, kNowMs);
  EXPECT_NE(text.find("BGP is not running (backend vxlan does not use it)."), std::string::npos)
      << text;
  EXPECT_EQ(text.find("BGP status"), std::string::npos) << text;
}

TEST(Status, JsonAndYaml) {
  const auto s = parse_text<api::StatusResponse>(kRouteReflector);
  expect_golden("status_rr_json", format_message(s, Output::kJson));
  expect_golden("status_rr_yaml", format_message(s, Output::kYaml));
}

TEST(Since, TimeOfDayWithinADayElseDate) {
  EXPECT_EQ(format_since(1709630240000, kNowMs), "09:17:20");
  EXPECT_EQ(format_since(kNowMs - 24 * 3600 * 1000 + 1, kNowMs), "12:00:00");
  EXPECT_EQ(format_since(kNowMs - 24 * 3600 * 1000, kNowMs), "2024-03-04");
  EXPECT_EQ(format_since(0, kNowMs), "");
  EXPECT_EQ(format_time(1709630240123), "2024-03-05T09:17:20.123Z");
}

TEST(Routes, PathsMarksAndReasons) {
  const auto r = parse_text<api::RoutesResponse>(R"pb(
    routes {
      prefix: "10.244.0.0/26"
      paths { peer: "local" origin: "IGP" local_pref: 100 best: true multipath: true }
    }
    routes {
      prefix: "10.244.1.0/26"
      paths {
        peer: "Mesh_10_0_0_2"
        next_hop: "10.0.0.2"
        local_pref: 100
        best: true
        multipath: true
        origin: "IGP"
      }
    }
    routes {
      prefix: "192.168.100.0/24"
      paths {
        peer: "Global_192_168_0_1"
        next_hop: "192.168.0.1"
        as_path: [ 64567, 65001 ]
        local_pref: 100
        best: true
        multipath: true
      }
      paths {
        peer: "Global_192_168_0_2"
        next_hop: "192.168.0.2"
        as_path: [ 64567, 65001 ]
        local_pref: 100
        multipath: true
        lost_at: "router id"
      }
      paths {
        peer: "Mesh_10_0_0_3"
        next_hop: "10.0.0.3"
        as_path: [ 64567, 65002, 65001 ]
        local_pref: 100
        lost_at: "AS path length"
        stale: true
      }
      paths {
        peer: "Global_192_168_0_3"
        next_hop: "192.168.0.3"
        as_path: [ 64567, 64512 ]
        local_pref: 100
        refused: "as-loop"
      }
    }
    routes {
      prefix: "fd00:10:244:1::/122"
      paths { peer: "Mesh_fd00__2" next_hop: "fd00::2" local_pref: 100 best: true }
    }
  )pb");
  expect_golden("routes", format_routes(r));
}

TEST(Routes, EmptyAndTruncated) {
  EXPECT_EQ(format_routes(api::RoutesResponse()), "No routes found.\n");
  const auto r = parse_text<api::RoutesResponse>(R"pb(
    routes {
      prefix: "10.244.1.0/26"
      paths { peer: "Mesh_10_0_0_2" next_hop: "10.0.0.2" local_pref: 100 best: true }
    }
    truncated: true)pb");
  EXPECT_NE(format_routes(r).find("(truncated"), std::string::npos);
}

TEST(Fib, ShapesStatesAndSummary) {
  const auto f = parse_text<api::FibResponse>(R"pb(
    routes {
      prefix: "10.244.0.0/26"
      shape: "blackhole"
      state: "installed"
      reason: "this node's block"
    }
    routes {
      prefix: "10.244.1.0/26"
      shape: "via 10.0.0.2 dev eth0"
      state: "installed"
      reason: "pool default-ipv4-ippool, ipipMode CrossSubnet: 10.0.0.2 is inside 10.0.0.0/24"
    }
    routes {
      prefix: "10.244.2.0/26"
      shape: "via 10.0.1.5 dev tunl0 onlink"
      state: "installed"
      reason: "pool default-ipv4-ippool, ipipMode CrossSubnet: 10.0.1.5 is outside 10.0.0.0/24"
    }
    routes {
      prefix: "10.244.3.0/26"
      shape: "via 10.0.0.4 dev tunl0 onlink"
      state: "failed"
      reason: "netlink: Network is unreachable"
    }
    routes {
      prefix: "10.96.0.0/12"
      shape: "none"
      state: "not ours"
      reason: "a proto static route holds it"
    }
    routes {
      prefix: "192.168.100.0/24"
      shape: "via 192.168.0.1 dev eth0"
      state: "parked"
      reason: "no interface reaches 192.168.0.1"
    }
    summary {
      wanted: 5
      installed: 3
      not_ours: 1
      parked: 1
      failed: 1
      swept: true
      last_error: "RTM_NEWROUTE 10.244.3.0/26: Network is unreachable"
    }
  )pb");
  expect_golden("fib", format_fib(f));
}

TEST(Explain, Always) {
  const auto e = parse_text<api::ExplainResponse>(R"pb(
    prefix: "10.244.1.0/26"
    route {
      prefix: "10.244.1.0/26"
      paths {
        peer: "Mesh_10_0_0_2"
        next_hop: "10.0.0.2"
        local_pref: 100
        origin: "IGP"
        best: true
        multipath: true
      }
    }
    decision: "only one path: Mesh_10_0_0_2"
    pool: "default-ipv4-ippool"
    ipip_mode: "Always"
    vxlan_mode: "Never"
    next_hop: "10.0.0.2"
    subnet_test: "not needed: ipipMode Always tunnels every route of the pool"
    shape: "via 10.0.0.2 dev tunl0 onlink"
    encap_reason: "pool default-ipv4-ippool has ipipMode Always: IPIP through tunl0"
    fib { prefix: "10.244.1.0/26" shape: "via 10.0.0.2 dev tunl0 onlink" state: "installed" }
  )pb");
  expect_golden("explain_always", format_explain(e));
}

TEST(Explain, CrossSubnet) {
  const auto e = parse_text<api::ExplainResponse>(R"pb(
    prefix: "10.244.2.0/26"
    route {
      prefix: "10.244.2.0/26"
      paths {
        peer: "Mesh_10_0_1_5"
        next_hop: "10.0.1.5"
        local_pref: 100
        origin: "IGP"
        best: true
        multipath: true
      }
      paths {
        peer: "Node_10_0_0_254"
        next_hop: "10.0.0.254"
        as_path: [ 64567 ]
        local_pref: 100
        origin: "IGP"
        lost_at: "AS path length"
      }
    }
    decision: "highest local preference: both 100"
    decision: "shortest AS path: Mesh_10_0_1_5 has 0 ASes, Node_10_0_0_254 has 1"
    pool: "default-ipv4-ippool"
    ipip_mode: "CrossSubnet"
    vxlan_mode: "Never"
    next_hop: "10.0.1.5"
    subnet_test: "10.0.1.5 is outside 10.0.0.0/24 (this node's subnet): tunnel"
    shape: "via 10.0.1.5 dev tunl0 onlink"
    encap_reason: "ipipMode CrossSubnet and the next hop is on another subnet: IPIP through tunl0"
    fib { prefix: "10.244.2.0/26" shape: "via 10.0.1.5 dev tunl0 onlink" state: "installed" }
  )pb");
  expect_golden("explain_cross_subnet", format_explain(e));
}

TEST(Explain, Never) {
  const auto e = parse_text<api::ExplainResponse>(R"pb(
    prefix: "10.245.3.0/26"
    route {
      prefix: "10.245.3.0/26"
      paths {
        peer: "Mesh_10_0_0_3"
        next_hop: "10.0.0.3"
        local_pref: 100
        origin: "IGP"
        best: true
        multipath: true
      }
    }
    decision: "only one path: Mesh_10_0_0_3"
    pool: "no-encap-pool"
    ipip_mode: "Never"
    vxlan_mode: "Never"
    next_hop: "10.0.0.3"
    subnet_test: "not needed: the pool never encapsulates"
    shape: "via 10.0.0.3 dev eth0"
    encap_reason: "pool no-encap-pool has ipipMode Never and vxlanMode Never: routed directly"
    fib {
      prefix: "10.245.3.0/26"
      shape: "via 10.0.0.3 dev eth0"
      state: "parked"
      reason: "no interface reaches 10.0.0.3"
    }
  )pb");
  expect_golden("explain_never", format_explain(e));
}

TEST(Explain, NoPathNoPool) {
  const auto e = parse_text<api::ExplainResponse>(R"pb(prefix: "172.16.0.0/24")pb");
  const std::string text = format_explain(e);
  EXPECT_NE(text.find("none: no path to this prefix"), std::string::npos) << text;
  EXPECT_NE(text.find("none (no IP pool holds this prefix)"), std::string::npos) << text;
  EXPECT_NE(text.find("not in the kernel"), std::string::npos) << text;
}

constexpr const char* kDryRun = R"pb(
  revision: 7
  dry_run: true
  sessions { name: "Node_192_168_0_1" action: "change" address: "192.168.0.1" detail: "password" }
  sessions { name: "Mesh_10_0_0_4" action: "add" address: "10.0.0.4" }
  sessions { name: "Global_192_168_0_9" action: "remove" address: "192.168.0.9" }
  sessions { name: "Mesh_10_0_0_3" action: "refresh" address: "10.0.0.3" detail: "export policy" }
  kernel_routes { prefix: "10.244.9.0/26" action: "remove" before: "via 10.0.0.9 dev tunl0 onlink" }
  kernel_routes { prefix: "10.244.3.0/26" action: "add" after: "via 10.0.0.4 dev tunl0 onlink" }
  kernel_routes { prefix: "10.244.10.0/26" action: "add" after: "via 10.0.1.10 dev tunl0 onlink" }
  kernel_routes {
    prefix: "10.244.1.0/26"
    action: "change"
    before: "via 10.0.0.2 dev tunl0 onlink"
    after: "via 10.0.0.2 dev eth0"
  }
  kernel_routes { prefix: "fd00:10:244:1::/122" action: "add" after: "via fd00::2 dev eth0" }
  originated: "10.96.0.0/12"
  withdrawn: "172.16.0.0/24"
  notes: "pool default-ipv4-ippool: ipipMode Always -> CrossSubnet re-shapes routes only; no session resets"
)pb";

TEST(Change, DryRunListingIsSorted) {
  expect_golden("apply_dry_run", format_change(parse_text<api::ChangeResponse>(kDryRun),
                                               ChangeVerb::kApply, object_count_words(3)));
}

TEST(Change, AppliedAndDeleted) {
  auto applied = parse_text<api::ChangeResponse>(kDryRun);
  applied.set_dry_run(false);
  applied.set_revision(8);
  const std::string text = format_change(applied, ChangeVerb::kApply, object_count_words(3));
  EXPECT_EQ(text.substr(0, text.find('\n')), "applied: 3 objects, intent revision 8");

  const auto none = parse_text<api::ChangeResponse>("revision: 9");
  EXPECT_EQ(format_change(none, ChangeVerb::kDelete, "IPPool pool-a"),
            "deleted: IPPool pool-a, intent revision 9\n");
  const auto dry = parse_text<api::ChangeResponse>("revision: 9 dry_run: true");
  EXPECT_EQ(format_change(dry, ChangeVerb::kApply, object_count_words(1)),
            "dry run: applying 1 object changes nothing on this node (intent revision 9, "
            "nothing applied)\n");
}

TEST(Events, OnePerLine) {
  const auto a = parse_text<api::Event>(R"pb(
    time_unix_ms: 1709630240123
    session {
      name: "Mesh_10_0_0_2"
      from_state: "Established"
      to_state: "Idle"
      reason: "hold timer expired"
    })pb");
  const auto b =
      parse_text<api::Event>(
          R"pb(
            time_unix_ms: 1709630241000
            route {
              prefix: "10.244.1.0/26"
              action: "best"
              next_hops: "10.0.0.3"
              peer: "Mesh_10_0_0_3"
            })pb");
  const auto c = parse_text<api::Event>(R"pb(
    time_unix_ms: 1709630242000
    route { prefix: "10.244.9.0/26" action: "unreachable" })pb");
  EXPECT_EQ(format_event(a),
            "2024-03-05T09:17:20.123Z session Mesh_10_0_0_2: Established -> Idle "
            "(hold timer expired)\n");
  EXPECT_EQ(format_event(b),
            "2024-03-05T09:17:21.000Z route 10.244.1.0/26: best via 10.0.0.3 from Mesh_10_0_0_3\n");
  EXPECT_EQ(format_event(c), "2024-03-05T09:17:22.000Z route 10.244.9.0/26: unreachable\n");
}

TEST(Health, ReadyOrReasons) {
  EXPECT_EQ(format_health(parse_text<api::HealthResponse>("live: true ready: true")),
            "ternd is live and ready.\n");
  EXPECT_EQ(format_health(parse_text<api::HealthResponse>(
                R"pb(live: true reasons: "BGP not established with 10.0.0.4")pb")),
            "ternd is live but not ready:\n  BGP not established with 10.0.0.4\n");
}

}  // namespace
}  // namespace tern::ctl
