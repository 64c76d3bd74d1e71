#pragma once
// What this node should be doing, as the planner derives it from the cluster intent: the BGP
// sessions it should have and how each one treats routes, what it originates, and what the
// FIB needs to shape kernel routes. Plain values, compared whole, so reconfiguration applies
// only the difference between the running plan and the new one.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bgp/wire/family.hpp"
#include "fib/types.hpp"
#include "rib/filter.hpp"

namespace tern::plan {

enum class PeerKind : uint8_t {
  kMesh,    // node-to-node mesh: Mesh_<ip>
  kGlobal,  // BGPPeer without node/nodeSelector: Global_<ip>
  kNode,    // BGPPeer for this node (node, nodeSelector, peerSelector, reverse): Node_<ip>
};
const char* to_string(PeerKind k);

struct PlannedPeer {
  std::string name;  // Calico's protocol name, e.g. Mesh_10_0_0_2, Node_10_10_1_1_port_1179
  PeerKind kind = PeerKind::kMesh;
  bgp::IpAddr address;
  uint16_t port = 179;
  uint32_t peer_as = 0;
  uint32_t local_as = 0;  // effective: localASNumber, else the node's AS
  bool ebgp = false;      // peer_as != local_as
  bool passive = false;   // wait for the peer to connect
  bool rr_client = false;  // we reflect to it (this node has a cluster id)
  std::optional<bgp::IpAddr> source_address;  // unset: sourceAddress None
  std::string password;                        // TCP MD5; empty: none
  uint32_t restart_time = 120;                 // graceful restart time we advertise, seconds
  uint32_t keepalive_time = 0;                 // 0: hold time / 3
  uint8_t ttl_security = 0;                    // GTSM hops; 0: off
  bool next_hop_self = false;
  bool keep_next_hop = false;
  uint32_t allow_local_as = 0;
  std::optional<bgp::IpAddr> reachable_by;  // static /32 route to the peer via this gateway
  std::vector<std::string> filters;         // BGPFilter names, in order (for status)
  // For the family of `address` (Calico peers v4 over v4 and v6 over v6): BGPFilter import
  // rules then accept; BGPFilter export rules then Calico's export policy then reject.
  rib::RouteFilter import_filter;
  rib::RouteFilter export_filter;
  bool operator==(const PlannedPeer&) const = default;
};

// A route this node originates into BGP (a blackhole in the kernel for blocks and service
// ranges; borrowed addresses are forwarded to the local workload by the node agent).
struct Origination {
  enum class Kind : uint8_t { kBlock, kService, kBorrowed };
  bgp::Prefix prefix;
  Kind kind = Kind::kBlock;
  bool operator==(const Origination&) const = default;
};

struct Plan {
  std::string node_name;
  bool node_known = false;  // the intent has a Node of this name with BGP settings
  // BGP runs: backend bird and a known node. Some pool needs it (not VXLAN-only) is said
  // separately: an operator is told when BGP runs for nothing.
  bool bgp_enabled = false;
  bool bgp_needed = false;
  uint32_t local_as = 64512;
  uint32_t router_id = 0;
  uint32_t cluster_id = 0;  // non-zero: this node is a route reflector
  std::optional<bgp::Prefix> ipv4_network;  // node address with its mask (CrossSubnet)
  std::optional<bgp::IpAddr> ipv4_address;
  std::optional<bgp::IpAddr> ipv6_address;
  uint16_t listen_port = 179;
  std::optional<bgp::IpAddr> bind_address;  // bindMode NodeIP
  std::vector<PlannedPeer> peers;           // sorted by name, unique
  std::vector<Origination> originate;       // sorted by prefix
  std::vector<bgp::Prefix> own_blocks;      // confirmed affinities of this node
  // Calico's rejectcidrs: BGP routes inside these are not installed (kube-proxy's traffic).
  std::vector<bgp::Prefix> no_install;
  fib::EncapConfig encap;  // pools and this node's network, for kernel route shapes
  // Things the operator should know (a peer skipped, a filter missing, BGP not needed...).
  std::vector<std::string> notes;
  bool operator==(const Plan&) const = default;
};

}  // namespace tern::plan
