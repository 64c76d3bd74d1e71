#pragma once
// The planner's view of the intent, looked up and parsed once: the two BGPConfigurations that
// apply to this node, every node's BGP addresses and AS, this node's own routes and pools. The
// session and policy steps read it; notes collect what had to be skipped.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/tern.pb.h"
#include "bgp/wire/family.hpp"
#include "daemon/intent/selector.hpp"
#include "rib/filter.hpp"

namespace tern::plan::detail {

inline constexpr uint32_t kDefaultAs = 64512;
inline constexpr uint32_t kDefaultRestartTime = 120;  // BIRD's graceful restart time

struct NodeView {
  std::string name;
  intent::Labels labels;
  std::optional<bgp::IpAddr> v4, v6;
  std::string v4_text, v6_text;           // canonical text: names and the passive rule use it
  std::optional<bgp::Prefix> v4_network;  // the address with its mask
  uint32_t as = kDefaultAs;               // the node's own AS, else the global one
  std::string rr_cluster_id;              // as written; non-empty: a route reflector
  std::optional<uint16_t> listen_port;    // node-level listenPort, else the global one, if set

  const std::optional<bgp::IpAddr>& addr(bgp::Afi afi) const {
    return afi == bgp::Afi::kIpv4 ? v4 : v6;
  }
  const std::string& text(bgp::Afi afi) const { return afi == bgp::Afi::kIpv4 ? v4_text : v6_text; }
};

struct PoolView {
  bgp::Prefix cidr;
  bool disabled = false;
  bool disable_bgp_export = false;
  std::string vxlan_mode, ipip_mode;
};

class Notes {
 public:
  void add(std::string text);
  std::vector<std::string> take() { return std::move(notes_); }

 private:
  std::vector<std::string> notes_;
};

struct Context {
  const api::Intent* intent = nullptr;
  std::string node_name;
  const api::BGPConfigurationSpec* global = nullptr;  // BGPConfiguration "default"
  const api::BGPConfigurationSpec* local = nullptr;   // BGPConfiguration "node.<name>"
  uint32_t global_as = kDefaultAs;
  bool mesh_enabled = true;
  std::optional<uint16_t> global_listen_port;
  std::vector<NodeView> nodes;  // every Node, sorted by name
  const NodeView* self = nullptr;
  std::vector<PoolView> pools;  // sorted by cidr

  // This node's routes (Calico's calico_aggr and /staticroutes).
  std::vector<bgp::Prefix> own_blocks;              // confirmed or state-less affinities, sorted
  std::vector<bgp::Prefix> service_ranges;          // originated and accepted unless excluded
  bool advertise_services = true;                   // false: exclude-from-external-load-balancers
  std::vector<bgp::Prefix> rr_service_ranges;       // re-advertised by route reflectors
  std::vector<rib::CommunityRule> community_rules;  // both families

  mutable Notes notes;

  const NodeView* find_node(std::string_view name) const;
  // The value a secretKeyRef names (stringData, else base64 data); nullopt with a note.
  std::optional<std::string> secret(const api::SecretKeyRef& ref, std::string_view user) const;
};

Context make_context(const api::Intent& intent, std::string_view node_name);

// Total order: IPv4 before IPv6, then address bytes, then length.
bool prefix_less(const bgp::Prefix& a, const bgp::Prefix& b);
// Calico's protocol name part: dots and colons become underscores.
std::string name_part(const std::string& ip_text);

}  // namespace tern::plan::detail
