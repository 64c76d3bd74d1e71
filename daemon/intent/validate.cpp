#include "daemon/intent/validate.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "api/json_quote.hpp"
#include "bgp/wire/family.hpp"
#include "daemon/intent/base64.hpp"
#include "daemon/intent/community.hpp"
#include "daemon/intent/duration.hpp"
#include "daemon/intent/peer_ip.hpp"
#include "daemon/intent/selector.hpp"

namespace tern::intent {
namespace {

using bgp::Afi;
using bgp::IpAddr;
using bgp::Prefix;

constexpr size_t kMaxCommunities = 500;
constexpr size_t kMaxPrefixAdvertisements = 64;

std::string idx(std::string_view field, size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

// "A, B or C"
std::string one_of(std::initializer_list<std::string_view> words) {
  std::string out;
  size_t i = 0;
  for (auto w : words) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += w;
    ++i;
  }
  return out;
}

const char* family_name(Afi afi) {
  return afi == Afi::kIpv4 ? "IPv4" : "IPv6";
}
bool overlaps(const Prefix& a, const Prefix& b) {
  if (a.afi != b.afi) return false;
  const unsigned len = std::min(a.len, b.len);
  for (unsigned bit = 0; bit < len; bit += 8) {
    const unsigned n = std::min(8u, len - bit);
    const uint8_t mask = static_cast<uint8_t>(0xff << (8 - n));
    if ((a.b[bit / 8] & mask) != (b.b[bit / 8] & mask)) return false;
  }
  return true;
}

class Checker {
 public:
  explicit Checker(const api::Intent& intent) : in_(intent) {
    for (const auto& s : in_.secrets())
      secrets_[s.metadata().name()] = &s;
    for (const auto& f : in_.bgp_filters())
      filters_.insert(f.metadata().name());
    for (const auto& c : in_.bgp_configurations())
      if (c.metadata().name() == "default") default_config_ = &c;
  }

  std::vector<ValidationError> run() {
    names("BGPConfiguration", in_.bgp_configurations());
    for (const auto& c : in_.bgp_configurations())
      bgp_configuration(c);
    names("BGPPeer", in_.bgp_peers());
    for (const auto& p : in_.bgp_peers())
      bgp_peer(p);
    names("Node", in_.nodes());
    for (const auto& n : in_.nodes())
      node(n);
    names("IPPool", in_.ip_pools());
    pools();
    names("BlockAffinity", in_.block_affinities());
    for (const auto& b : in_.block_affinities())
      block_affinity(b);
    names("BorrowedAddress", in_.borrowed_addresses());
    for (const auto& b : in_.borrowed_addresses())
      borrowed_address(b);
    names("BGPFilter", in_.bgp_filters());
    for (const auto& f : in_.bgp_filters())
      bgp_filter(f);
    names("Secret", in_.secrets());
    for (const auto& s : in_.secrets())
      secret(s);
    return std::move(errors_);
  }

 private:
  void at(std::string_view kind, const api::ObjectMeta& meta) {
    kind_ = kind;
    name_ = meta.name();
  }

  void err(std::string field, std::string reason) {
    errors_.push_back({std::string(kind_), name_, std::move(field), std::move(reason)});
  }

  // Names are required and unique per kind; the later duplicate carries the error.
  template <typename List>
  void names(std::string_view kind, const List& list) {
    std::set<std::string> seen;
    for (const auto& r : list) {
      at(kind, r.metadata());
      if (r.metadata().name().empty()) {
        err("metadata.name", "required");
      } else if (!seen.insert(r.metadata().name()).second) {
        err("metadata.name", "another " + std::string(kind) + " has the same name");
      }
    }
  }

  // A network in canonical form: the address carries no bits beyond the length.
  std::optional<Prefix> cidr(const std::string& field, const std::string& text, bool required) {
    if (text.empty()) {
      if (required) err(field, "required");
      return std::nullopt;
    }
    auto p = Prefix::parse(text);
    if (!p) {
      err(field, api::json_quote(text) + " is not a CIDR (address/length)");
      return std::nullopt;
    }
    auto addr = IpAddr::parse(std::string_view(text).substr(0, text.find('/')));
    if (addr && addr->b != p->b) {
      err(field,
          api::json_quote(text) + " has host bits set (the network is " + bgp::to_string(*p) + ")");
      return std::nullopt;
    }
    return p;
  }

  void one_of_or_empty(const std::string& field, const std::string& value,
                       std::initializer_list<std::string_view> allowed) {
    if (value.empty()) return;
    for (auto a : allowed)
      if (value == a) return;
    err(field, api::json_quote(value) + " is not one of " + one_of(allowed));
  }

  void duration(const std::string& field, const std::string& text) {
    if (!text.empty() && !parse_duration_seconds(text))
      err(field, api::json_quote(text) + " is not a duration (e.g. \"120s\", \"2m30s\", \"1h\")");
  }

  void selector(const std::string& field, const std::string& text) {
    auto s = Selector::parse(text);
    if (auto* e = std::get_if<SelectorError>(&s)) err(field, "bad selector: " + e->to_string());
  }

  void as_number(const std::string& field, bool has, uint32_t value) {
    if (has && value == 0) err(field, "AS number 0 is reserved (expected 1-4294967295)");
  }

  void password(const std::string& field, const api::BGPPassword& pw) {
    if (!pw.has_secret_key_ref()) {
      err(field + ".secretKeyRef", "required");
      return;
    }
    const auto& ref = pw.secret_key_ref();
    const std::string f = field + ".secretKeyRef";
    if (ref.name().empty()) return err(f + ".name", "required");
    if (ref.key().empty()) return err(f + ".key", "required");
    auto it = secrets_.find(ref.name());
    if (it == secrets_.end()) return err(f + ".name", "no Secret " + api::json_quote(ref.name()));
    const auto& s = *it->second;
    if (!s.string_data().contains(ref.key()) && !s.data().contains(ref.key()))
      err(f + ".key",
          "Secret " + api::json_quote(ref.name()) + " has no key " + api::json_quote(ref.key()));
  }

  // --- BGPConfiguration ---

  void bgp_configuration(const api::BGPConfiguration& c) {
    at("BGPConfiguration", c.metadata());
    const auto& name = c.metadata().name();
    const bool is_default = name == "default";
    if (!name.empty() && !is_default && (name.rfind("node.", 0) != 0 || name.size() == 5))
      err("metadata.name",
          api::json_quote(name) + " is neither \"default\" nor \"node.<nodename>\"");
    const auto& s = c.spec();
    if (!is_default) {
      // Only the cluster-wide resource speaks for the cluster.
      auto global = [&](bool set, const char* field) {
        if (set) err(std::string("spec.") + field, "only BGPConfiguration \"default\" may set it");
      };
      global(s.has_as_number(), "asNumber");
      global(s.has_node_to_node_mesh_enabled(), "nodeToNodeMeshEnabled");
      global(s.service_cluster_ips_size() > 0, "serviceClusterIPs");
      global(s.service_external_ips_size() > 0, "serviceExternalIPs");
      global(s.service_load_balancer_ips_size() > 0, "serviceLoadBalancerIPs");
      global(s.communities_size() > 0, "communities");
      global(s.has_node_mesh_password(), "nodeMeshPassword");
      global(!s.node_mesh_max_restart_time().empty(), "nodeMeshMaxRestartTime");
      global(!s.bind_mode().empty(), "bindMode");
      global(s.ignored_interfaces_size() > 0, "ignoredInterfaces");
    }
    one_of_or_empty("spec.logSeverityScreen", s.log_severity_screen(),
                    {"Debug", "Info", "Warning", "Error", "Fatal"});
    one_of_or_empty("spec.bindMode", s.bind_mode(), {"None", "NodeIP"});
    one_of_or_empty("spec.serviceLoadBalancerAggregation", s.service_load_balancer_aggregation(),
                    {"Enabled", "Disabled"});
    one_of_or_empty("spec.programClusterRoutes", s.program_cluster_routes(),
                    {"Disabled", "Enabled", "EnabledIPIPOnly", "EnabledNoEncapOnly"});
    if (s.has_listen_port() && (s.listen_port() == 0 || s.listen_port() > 65535))
      err("spec.listenPort", std::to_string(s.listen_port()) + " is not a port (1-65535)");
    as_number("spec.asNumber", s.has_as_number(), s.as_number());
    auto services = [&](const char* field, const auto& list) {
      for (int i = 0; i < list.size(); ++i)
        cidr(idx(std::string("spec.") + field, i) + ".cidr", list[i].cidr(), true);
    };
    services("serviceClusterIPs", s.service_cluster_ips());
    services("serviceExternalIPs", s.service_external_ips());
    services("serviceLoadBalancerIPs", s.service_load_balancer_ips());

    if (s.communities_size() > static_cast<int>(kMaxCommunities))
      err("spec.communities", "at most " + std::to_string(kMaxCommunities) + " communities");
    std::set<std::string> community_names;
    for (int i = 0; i < s.communities_size(); ++i) {
      const auto& cm = s.communities(i);
      const auto f = idx("spec.communities", i);
      if (cm.name().empty()) {
        err(f + ".name", "required");
      } else if (!community_names.insert(cm.name()).second) {
        err(f + ".name", "another community has the name " + api::json_quote(cm.name()));
      }
      if (!parse_community(cm.value()))
        err(f + ".value", api::json_quote(cm.value()) +
                              " is not a community (\"aa:nn\" with 16-bit parts or \"aa:nn:mm\" "
                              "with 32-bit parts)");
    }
    // A node's prefixAdvertisements may name the cluster's communities.
    if (!is_default && default_config_)
      for (const auto& cm : default_config_->spec().communities())
        community_names.insert(cm.name());

    if (s.prefix_advertisements_size() > static_cast<int>(kMaxPrefixAdvertisements))
      err("spec.prefixAdvertisements",
          "at most " + std::to_string(kMaxPrefixAdvertisements) + " prefix advertisements");
    for (int i = 0; i < s.prefix_advertisements_size(); ++i) {
      const auto& pa = s.prefix_advertisements(i);
      const auto f = idx("spec.prefixAdvertisements", i);
      cidr(f + ".cidr", pa.cidr(), true);
      for (int j = 0; j < pa.communities_size(); ++j) {
        const auto& ref = pa.communities(j);
        if (!community_names.count(ref) && !parse_community(ref))
          err(idx(f + ".communities", j),
              api::json_quote(ref) +
                  " is neither a community defined in spec.communities nor a value");
      }
    }
    if (s.has_node_mesh_password()) password("spec.nodeMeshPassword", s.node_mesh_password());
    duration("spec.nodeMeshMaxRestartTime", s.node_mesh_max_restart_time());
  }

  // --- BGPPeer ---

  void bgp_peer(const api::BGPPeer& p) {
    at("BGPPeer", p.metadata());
    const auto& s = p.spec();
    if (!s.node().empty() && !s.node_selector().empty())
      err("spec.nodeSelector", "node and nodeSelector are mutually exclusive");
    if (!s.node_selector().empty()) selector("spec.nodeSelector", s.node_selector());
    // With both set, which AS rule applies is unknowable: the exclusivity error says it all.
    const bool both = !s.peer_ip().empty() && !s.peer_selector().empty();
    if (both) {
      err("spec.peerSelector", "peerIP and peerSelector are mutually exclusive");
    } else if (s.peer_ip().empty() && s.peer_selector().empty()) {
      err("spec.peerIP", "one of peerIP or peerSelector is required");
    }
    if (!s.peer_ip().empty()) {
      auto ip = parse_peer_ip(s.peer_ip());
      if (auto* why = std::get_if<std::string>(&ip))
        err("spec.peerIP", api::json_quote(s.peer_ip()) + ": " + *why);
      if (!both && !s.has_as_number()) err("spec.asNumber", "required with peerIP");
    }
    if (!s.peer_selector().empty()) {
      selector("spec.peerSelector", s.peer_selector());
      if (!both && s.has_as_number())
        err("spec.asNumber", "must be empty with peerSelector (the selected nodes' AS is used)");
    }
    as_number("spec.asNumber", s.has_as_number(), s.as_number());
    as_number("spec.localASNumber", s.has_local_as_number(), s.local_as_number());
    one_of_or_empty("spec.nextHopMode", s.next_hop_mode(), {"Auto", "Self", "Keep"});
    if (!s.next_hop_mode().empty() && s.keep_original_next_hop())
      err("spec.nextHopMode", "nextHopMode and keepOriginalNextHop are mutually exclusive");
    if (s.has_password()) password("spec.password", s.password());
    one_of_or_empty("spec.sourceAddress", s.source_address(), {"UseNodeIP", "None"});
    duration("spec.maxRestartTime", s.max_restart_time());
    duration("spec.keepaliveTime", s.keepalive_time());
    if (s.has_ttl_security() && s.ttl_security() > 255)
      err("spec.ttlSecurity", std::to_string(s.ttl_security()) + " hops is more than 255");
    if (!s.reachable_by().empty() && !IpAddr::parse(s.reachable_by()))
      err("spec.reachableBy", api::json_quote(s.reachable_by()) + " is not an IP address");
    for (int i = 0; i < s.filters_size(); ++i)
      if (!filters_.count(s.filters(i)))
        err(idx("spec.filters", i), "no BGPFilter " + api::json_quote(s.filters(i)));
    one_of_or_empty("spec.reversePeering", s.reverse_peering(), {"Auto", "Manual"});
  }

  // --- Node ---

  void node_address(const std::string& field, const std::string& text, Afi afi) {
    if (text.empty()) return;
    const auto slash = text.find('/');
    auto addr = IpAddr::parse(std::string_view(text).substr(0, slash));
    if (slash == std::string::npos || !addr || !Prefix::parse(text)) {
      err(field, api::json_quote(text) + " is not an address in CIDR form (" +
                     (afi == Afi::kIpv4 ? "a.b.c.d/len" : "addr/len") + ")");
    } else if (addr->afi != afi) {
      err(field, api::json_quote(text) + " is not an " + family_name(afi) + " address");
    }
  }

  void node(const api::Node& n) {
    at("Node", n.metadata());
    if (!n.spec().has_bgp()) return;
    const auto& b = n.spec().bgp();
    node_address("spec.bgp.ipv4Address", b.ipv4_address(), Afi::kIpv4);
    node_address("spec.bgp.ipv6Address", b.ipv6_address(), Afi::kIpv6);
    as_number("spec.bgp.asNumber", b.has_as_number(), b.as_number());
    if (!b.route_reflector_cluster_id().empty()) {
      auto id = IpAddr::parse(b.route_reflector_cluster_id());
      if (!id || id->afi != Afi::kIpv4)
        err("spec.bgp.routeReflectorClusterID",
            api::json_quote(b.route_reflector_cluster_id()) + " is not a dotted IPv4 value");
    }
    if (!b.ipv4_ipip_tunnel_addr().empty()) {
      auto a = IpAddr::parse(b.ipv4_ipip_tunnel_addr());
      if (!a || a->afi != Afi::kIpv4)
        err("spec.bgp.ipv4IPIPTunnelAddr",
            api::json_quote(b.ipv4_ipip_tunnel_addr()) + " is not an IPv4 address");
    }
  }

  // --- IPPool ---

  void pools() {
    std::vector<std::pair<const api::IPPool*, Prefix>> seen;
    for (const auto& pool : in_.ip_pools()) {
      at("IPPool", pool.metadata());
      const auto& s = pool.spec();
      auto p = cidr("spec.cidr", s.cidr(), true);
      one_of_or_empty("spec.ipipMode", s.ipip_mode(), {"Always", "CrossSubnet", "Never"});
      one_of_or_empty("spec.vxlanMode", s.vxlan_mode(), {"Always", "CrossSubnet", "Never"});
      const bool ipip = !s.ipip_mode().empty() && s.ipip_mode() != "Never";
      const bool vxlan = !s.vxlan_mode().empty() && s.vxlan_mode() != "Never";
      if (ipip && vxlan) err("spec.vxlanMode", "ipipMode and vxlanMode cannot both be enabled");
      if (p && ipip && p->afi == Afi::kIpv6)
        err("spec.ipipMode", "IPIP is not allowed on IPv6 pools");
      if (p && s.has_block_size()) {
        const unsigned lo = p->afi == Afi::kIpv4 ? 20 : 116;
        const unsigned hi = bgp::max_prefix_len(p->afi);
        if (s.block_size() < lo || s.block_size() > hi) {
          err("spec.blockSize", "must be " + std::to_string(lo) + "-" + std::to_string(hi) +
                                    " for an " + family_name(p->afi) + " pool, got " +
                                    std::to_string(s.block_size()));
        } else if (s.block_size() < p->len) {
          err("spec.blockSize", "a /" + std::to_string(s.block_size()) +
                                    " block is larger than the pool's /" + std::to_string(p->len));
        }
      }
      if (!s.node_selector().empty()) selector("spec.nodeSelector", s.node_selector());
      if (!p) continue;
      for (const auto& [other, q] : seen) {
        if (overlaps(*p, q)) {
          err("spec.cidr", bgp::to_string(*p) + " overlaps IPPool " +
                               api::json_quote(other->metadata().name()) + " (" +
                               bgp::to_string(q) + ")");
          break;
        }
      }
      seen.emplace_back(&pool, *p);
    }
  }

  // --- IPAM ---

  void block_affinity(const api::BlockAffinity& b) {
    at("BlockAffinity", b.metadata());
    if (b.spec().node().empty()) err("spec.node", "required");
    cidr("spec.cidr", b.spec().cidr(), true);
    one_of_or_empty("spec.state", b.spec().state(), {"confirmed", "pending", "pendingDeletion"});
  }

  void borrowed_address(const api::BorrowedAddress& b) {
    at("BorrowedAddress", b.metadata());
    if (b.spec().node().empty()) err("spec.node", "required");
    if (b.spec().address().empty()) {
      err("spec.address", "required");
    } else if (!IpAddr::parse(b.spec().address())) {
      err("spec.address", api::json_quote(b.spec().address()) + " is not an IP address");
    }
  }

  // --- BGPFilter ---

  void filter_rules(const std::string& list_name,
                    const google::protobuf::RepeatedPtrField<api::BGPFilterRule>& rules, Afi afi) {
    for (int i = 0; i < rules.size(); ++i) {
      const auto& r = rules[i];
      const auto f = idx("spec." + list_name, i);
      if (r.action().empty()) err(f + ".action", "required");
      one_of_or_empty(f + ".action", r.action(), {"Accept", "Reject"});
      if (r.cidr().empty() != r.match_operator().empty())
        err(r.cidr().empty() ? f + ".cidr" : f + ".matchOperator",
            "cidr and matchOperator must be set together");
      one_of_or_empty(f + ".matchOperator", r.match_operator(),
                      {"Equal", "NotEqual", "In", "NotIn"});
      auto p = cidr(f + ".cidr", r.cidr(), false);
      if (p && p->afi != afi)
        err(f + ".cidr", api::json_quote(r.cidr()) + " is not an " + family_name(afi) +
                             " CIDR (in " + list_name + ")");
      if (r.has_prefix_length()) {
        const auto& pl = r.prefix_length();
        const unsigned top = bgp::max_prefix_len(afi);
        if (pl.has_min() && pl.min() > top)
          err(f + ".prefixLength.min",
              std::to_string(pl.min()) + " is longer than /" + std::to_string(top));
        if (pl.has_max() && pl.max() > top)
          err(f + ".prefixLength.max",
              std::to_string(pl.max()) + " is longer than /" + std::to_string(top));
        if (pl.has_min() && pl.has_max() && pl.min() > pl.max())
          err(f + ".prefixLength", "min " + std::to_string(pl.min()) + " is greater than max " +
                                       std::to_string(pl.max()));
      }
      one_of_or_empty(f + ".source", r.source(), {"RemotePeers"});
      one_of_or_empty(f + ".peerType", r.peer_type(), {"eBGP", "iBGP"});
    }
  }

  void bgp_filter(const api::BGPFilter& bf) {
    at("BGPFilter", bf.metadata());
    filter_rules("exportV4", bf.spec().export_v4(), Afi::kIpv4);
    filter_rules("importV4", bf.spec().import_v4(), Afi::kIpv4);
    filter_rules("exportV6", bf.spec().export_v6(), Afi::kIpv6);
    filter_rules("importV6", bf.spec().import_v6(), Afi::kIpv6);
  }

  // --- Secret ---

  void secret(const api::Secret& s) {
    at("Secret", s.metadata());
    for (const auto& [key, value] : s.data())
      if (!base64_decode(value)) err("data." + key, "not base64");
  }

  const api::Intent& in_;
  std::map<std::string, const api::Secret*> secrets_;
  std::set<std::string> filters_;
  const api::BGPConfiguration* default_config_ = nullptr;
  std::string_view kind_;
  std::string name_;
  std::vector<ValidationError> errors_;
};

}  // namespace

std::string ValidationError::to_string() const {
  std::string out = kind + " " + api::json_quote(name) + ": ";
  if (!field.empty()) out += field + ": ";
  return out + reason;
}

std::vector<ValidationError> validate(const api::Intent& intent) {
  return Checker(intent).run();
}

}  // namespace tern::intent
