#include "daemon/plan/context.hpp"

#include <algorithm>
#include <tuple>

#include "daemon/intent/base64.hpp"
#include "daemon/intent/community.hpp"

namespace tern::plan::detail {

namespace {

constexpr std::string_view kExcludeLabel =
    "node.kubernetes.io/exclude-from-external-load-balancers";

// "a.b.c.d/len" as Calico writes Node.spec.bgp.ipv4Address; a bare address counts as a host route.
bool parse_node_address(const std::string& text, bgp::Afi afi, std::optional<bgp::IpAddr>& addr,
                        std::optional<bgp::Prefix>& network) {
  const auto slash = text.find('/');
  auto ip = bgp::IpAddr::parse(std::string_view(text).substr(0, slash));
  if (!ip || ip->afi != afi) return false;
  auto net = bgp::Prefix::parse(
      slash == std::string::npos ? text + (afi == bgp::Afi::kIpv4 ? "/32" : "/128") : text);
  if (!net) return false;
  addr = ip;
  network = net;
  return true;
}

bool single_address(const bgp::Prefix& p) {
  return p.len == bgp::max_prefix_len(p.afi);
}

void sort_unique(std::vector<bgp::Prefix>& v) {
  std::sort(v.begin(), v.end(), prefix_less);
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

void read_nodes(Context& c) {
  for (const auto& n : c.intent->nodes()) {
    NodeView v;
    v.name = n.metadata().name();
    for (const auto& [k, val] : n.metadata().labels())
      v.labels.emplace(k, val);
    const auto& bgp = n.spec().bgp();
    std::optional<bgp::Prefix> v6_net;
    if (!bgp.ipv4_address().empty() &&
        !parse_node_address(bgp.ipv4_address(), bgp::Afi::kIpv4, v.v4, v.v4_network))
      c.notes.add("node " + v.name + ": ipv4Address '" + bgp.ipv4_address() +
                  "' is not an IPv4 CIDR; ignored");
    if (!bgp.ipv6_address().empty() &&
        !parse_node_address(bgp.ipv6_address(), bgp::Afi::kIpv6, v.v6, v6_net))
      c.notes.add("node " + v.name + ": ipv6Address '" + bgp.ipv6_address() +
                  "' is not an IPv6 CIDR; ignored");
    if (v.v4) v.v4_text = bgp::to_string(*v.v4);
    if (v.v6) v.v6_text = bgp::to_string(*v.v6);
    v.as = bgp.has_as_number() ? bgp.as_number() : c.global_as;
    v.rr_cluster_id = bgp.route_reflector_cluster_id();
    v.listen_port = c.global_listen_port;
    c.nodes.push_back(std::move(v));
  }
  std::sort(c.nodes.begin(), c.nodes.end(),
            [](const NodeView& a, const NodeView& b) { return a.name < b.name; });
  for (size_t i = 1; i < c.nodes.size(); ++i)
    if (c.nodes[i].name == c.nodes[i - 1].name)
      c.notes.add("node " + c.nodes[i].name + " is listed twice; the first one is used");
  c.nodes.erase(std::unique(c.nodes.begin(), c.nodes.end(),
                            [](const NodeView& a, const NodeView& b) { return a.name == b.name; }),
                c.nodes.end());
}

// Node-level BGPConfigurations override the listen port of their node, here and as a remote.
void read_node_configs(Context& c) {
  for (const auto& cfg : c.intent->bgp_configurations()) {
    const std::string& name = cfg.metadata().name();
    if (name.rfind("node.", 0) != 0) continue;
    const std::string node = name.substr(5);
    if (node == c.node_name) c.local = &cfg.spec();
    if (cfg.spec().has_listen_port() && cfg.spec().listen_port() != 0) {
      for (auto& n : c.nodes)
        if (n.name == node) n.listen_port = static_cast<uint16_t>(cfg.spec().listen_port());
    }
  }
}

void read_pools(Context& c) {
  for (const auto& p : c.intent->ip_pools()) {
    auto cidr = bgp::Prefix::parse(p.spec().cidr());
    if (!cidr) {
      c.notes.add("IPPool " + p.metadata().name() + ": cidr '" + p.spec().cidr() +
                  "' is invalid; ignored");
      continue;
    }
    c.pools.push_back(PoolView{*cidr, p.spec().disabled(), p.spec().disable_bgp_export(),
                               p.spec().vxlan_mode(), p.spec().ipip_mode()});
  }
  std::stable_sort(c.pools.begin(), c.pools.end(), [](const PoolView& a, const PoolView& b) {
    return prefix_less(a.cidr, b.cidr);
  });
}

void read_own_blocks(Context& c) {
  for (const auto& a : c.intent->block_affinities()) {
    if (a.spec().node() != c.node_name) continue;
    // Calico acts on confirmed affinities only (an empty state is an old, confirmed one); the
    // statics of pending ones exist but calico_aggr does not list them, so they are not exported.
    const std::string& state = a.spec().state();
    if (!state.empty() && state != "confirmed") continue;
    auto cidr = bgp::Prefix::parse(a.spec().cidr());
    if (!cidr) {
      c.notes.add("BlockAffinity " + a.metadata().name() + ": cidr '" + a.spec().cidr() +
                  "' is invalid; ignored");
      continue;
    }
    c.own_blocks.push_back(*cidr);
  }
  sort_unique(c.own_blocks);
}

std::vector<bgp::Prefix> read_ranges(const Context& c,
                                     const google::protobuf::RepeatedPtrField<api::ServiceCidr>& v,
                                     const char* field) {
  std::vector<bgp::Prefix> out;
  for (const auto& s : v) {
    if (auto p = bgp::Prefix::parse(s.cidr())) {
      out.push_back(*p);
    } else {
      c.notes.add(std::string("BGPConfiguration default: ") + field + " '" + s.cidr() +
                  "' is invalid; ignored");
    }
  }
  return out;
}

// Calico's /staticroutes and /rejectcidrs: cluster IP ranges, external IP ranges and (with
// aggregation) load balancer ranges; single addresses are per-service routes, which need
// Services and endpoints tern does not watch.
void read_services(Context& c) {
  if (!c.global) return;
  const auto& g = *c.global;
  for (const auto& p : read_ranges(c, g.service_cluster_ips(), "serviceClusterIPs"))
    c.service_ranges.push_back(p);
  const auto external = read_ranges(c, g.service_external_ips(), "serviceExternalIPs");
  const auto lb = read_ranges(c, g.service_load_balancer_ips(), "serviceLoadBalancerIPs");
  for (const auto& p : external)
    if (!single_address(p)) c.service_ranges.push_back(p);
  if (g.service_load_balancer_aggregation() != "Disabled")
    for (const auto& p : lb)
      if (!single_address(p)) c.service_ranges.push_back(p);
  c.rr_service_ranges = lb;
  c.rr_service_ranges.insert(c.rr_service_ranges.end(), external.begin(), external.end());
  sort_unique(c.service_ranges);
  sort_unique(c.rr_service_ranges);
  if (c.self) {
    auto it = c.self->labels.find(kExcludeLabel);
    c.advertise_services = !(it != c.self->labels.end() && it->second == "true");
  }
}

// prefixAdvertisements: the node-level BGPConfiguration's list replaces the default one. Names
// are looked up in the same resource's communities, then in the default's (where clusters
// define them).
void read_communities(Context& c) {
  const api::BGPConfigurationSpec* src = nullptr;
  if (c.local && c.local->prefix_advertisements_size() > 0) {
    src = c.local;
  } else if (c.global) {
    src = c.global;
  }
  if (!src) return;
  auto lookup = [&](const std::string& name) -> const std::string* {
    for (const auto* spec : {src, c.global}) {
      if (!spec) continue;
      for (const auto& def : spec->communities())
        if (def.name() == name) return &def.value();
    }
    return nullptr;
  };
  for (const auto& adv : src->prefix_advertisements()) {
    auto cidr = bgp::Prefix::parse(adv.cidr());
    if (!cidr) {
      c.notes.add("prefixAdvertisements: cidr '" + adv.cidr() + "' is invalid; ignored");
      continue;
    }
    rib::CommunityRule rule{*cidr, {}, {}};
    for (const auto& word : adv.communities()) {
      auto value = intent::parse_community(word);
      if (!value) {
        if (const std::string* named = lookup(word)) value = intent::parse_community(*named);
      }
      if (!value) {
        c.notes.add("prefixAdvertisements " + adv.cidr() + ": community '" + word +
                    "' is neither a value nor a defined name; ignored");
        continue;
      }
      if (const auto* large = std::get_if<bgp::LargeCommunity>(&*value)) {
        rule.large.push_back(*large);
      } else {
        rule.communities.push_back(std::get<uint32_t>(*value));
      }
    }
    std::sort(rule.communities.begin(), rule.communities.end());
    rule.communities.erase(std::unique(rule.communities.begin(), rule.communities.end()),
                           rule.communities.end());
    auto key = [](const bgp::LargeCommunity& x) {
      return std::tuple(x.global, x.local1, x.local2);
    };
    std::sort(rule.large.begin(), rule.large.end(),
              [&](const auto& a, const auto& b) { return key(a) < key(b); });
    rule.large.erase(std::unique(rule.large.begin(), rule.large.end()), rule.large.end());
    // confd leaves out an advertisement that adds nothing.
    if (!rule.communities.empty() || !rule.large.empty())
      c.community_rules.push_back(std::move(rule));
  }
}

}  // namespace

void Notes::add(std::string text) {
  if (std::find(notes_.begin(), notes_.end(), text) == notes_.end())
    notes_.push_back(std::move(text));
}

bool prefix_less(const bgp::Prefix& a, const bgp::Prefix& b) {
  return std::tie(a.afi, a.b, a.len) < std::tie(b.afi, b.b, b.len);
}

std::string name_part(const std::string& ip_text) {
  std::string out = ip_text;
  std::replace(out.begin(), out.end(), '.', '_');
  std::replace(out.begin(), out.end(), ':', '_');
  return out;
}

const NodeView* Context::find_node(std::string_view name) const {
  for (const auto& n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

std::optional<std::string> Context::secret(const api::SecretKeyRef& ref,
                                           std::string_view user) const {
  for (const auto& s : intent->secrets()) {
    if (s.metadata().name() != ref.name()) continue;
    if (auto it = s.string_data().find(ref.key()); it != s.string_data().end()) return it->second;
    if (auto it = s.data().find(ref.key()); it != s.data().end()) {
      if (auto decoded = intent::base64_decode(it->second)) return decoded;
      notes.add(std::string(user) + ": Secret " + ref.name() + " key " + ref.key() +
                " is not valid base64; no password");
      return std::nullopt;
    }
    notes.add(std::string(user) + ": Secret " + ref.name() + " has no key " + ref.key() +
              "; no password");
    return std::nullopt;
  }
  notes.add(std::string(user) + ": Secret " + ref.name() + " not found; no password");
  return std::nullopt;
}

Context make_context(const api::Intent& intent, std::string_view node_name) {
  Context c;
  c.intent = &intent;
  c.node_name = std::string(node_name);
  for (const auto& cfg : intent.bgp_configurations())
    if (cfg.metadata().name() == "default") c.global = &cfg.spec();
  if (c.global) {
    if (c.global->has_as_number()) c.global_as = c.global->as_number();
    if (c.global->has_node_to_node_mesh_enabled())
      c.mesh_enabled = c.global->node_to_node_mesh_enabled();
    if (c.global->has_listen_port() && c.global->listen_port() != 0)
      c.global_listen_port = static_cast<uint16_t>(c.global->listen_port());
  }
  read_nodes(c);
  read_node_configs(c);
  c.self = c.find_node(node_name);
  read_pools(c);
  read_own_blocks(c);
  read_services(c);
  read_communities(c);
  return c;
}

}  // namespace tern::plan::detail
