#include "daemon/plan/plan_text.hpp"

#include <sstream>

namespace tern::plan {

namespace {

std::string dotted(uint32_t v) {
  return bgp::to_string(bgp::IpAddr::v4(v));
}

template <typename T>
std::string opt(const std::optional<T>& v) {
  return v ? bgp::to_string(*v) : "-";
}

const char* yes(bool b) {
  return b ? "yes" : "no";
}

const char* match_text(rib::PrefixRule::Match m) {
  switch (m) {
    case rib::PrefixRule::Match::kExact:
      return "exact";
    case rib::PrefixRule::Match::kOrLonger:
      return "or-longer";
    case rib::PrefixRule::Match::kNotExact:
      return "not-exact";
    case rib::PrefixRule::Match::kNotOrLonger:
      return "not-or-longer";
  }
  return "?";
}

const char* kind_text(Origination::Kind k) {
  switch (k) {
    case Origination::Kind::kBlock:
      return "block";
    case Origination::Kind::kService:
      return "service";
    case Origination::Kind::kBorrowed:
      return "borrowed";
  }
  return "?";
}

std::string community_text(uint32_t c) {
  return std::to_string(c >> 16) + ":" + std::to_string(c & 0xffff);
}

}  // namespace

const char* to_string(PeerKind k) {
  switch (k) {
    case PeerKind::kMesh:
      return "mesh";
    case PeerKind::kGlobal:
      return "global";
    case PeerKind::kNode:
      return "node";
  }
  return "?";
}

std::string filter_text(const rib::RouteFilter& f, const std::string& indent) {
  std::ostringstream o;
  for (const auto& r : f.rules) {
    o << indent << (r.accept ? "accept " : "reject ") << match_text(r.match) << ' '
      << bgp::to_string(r.cidr);
    if (r.min_len != 0 || r.max_len != 128)
      o << " len " << unsigned{r.min_len} << ".." << unsigned{r.max_len};
    if (r.source == rib::PrefixRule::Source::kRemotePeers) o << " from remote-peers";
    if (r.source == rib::PrefixRule::Source::kLocal) o << " from local";
    o << '\n';
  }
  o << indent << "default " << (f.default_accept ? "accept" : "reject") << '\n';
  for (const auto& cr : f.community_rules) {
    o << indent << "communities " << bgp::to_string(cr.cidr) << ':';
    for (uint32_t c : cr.communities)
      o << ' ' << community_text(c);
    for (const auto& l : cr.large)
      o << ' ' << l.global << ':' << l.local1 << ':' << l.local2;
    o << '\n';
  }
  if (!f.add_communities.empty()) {
    o << indent << "add communities:";
    for (uint32_t c : f.add_communities)
      o << ' ' << community_text(c);
    o << '\n';
  }
  return o.str();
}

std::string plan_text(const Plan& p, const PlanTextOptions& options) {
  std::ostringstream o;
  o << "node " << p.node_name << '\n'
    << "  known: " << yes(p.node_known) << '\n'
    << "  bgp enabled: " << yes(p.bgp_enabled) << '\n'
    << "  bgp needed: " << yes(p.bgp_needed) << '\n'
    << "  local as: " << p.local_as << '\n'
    << "  router id: " << dotted(p.router_id) << '\n'
    << "  cluster id: " << (p.cluster_id ? dotted(p.cluster_id) : "-") << '\n'
    << "  ipv4 address: " << opt(p.ipv4_address) << '\n'
    << "  ipv4 network: " << opt(p.ipv4_network) << '\n'
    << "  ipv6 address: " << opt(p.ipv6_address) << '\n'
    << "  listen port: " << p.listen_port << '\n'
    << "  bind address: " << opt(p.bind_address) << '\n';
  for (const auto& peer : p.peers) {
    o << "\npeer " << peer.name << '\n'
      << "  kind: " << to_string(peer.kind) << '\n'
      << "  address: " << bgp::to_string(peer.address) << " port " << peer.port << '\n'
      << "  peer as: " << peer.peer_as << "  local as: " << peer.local_as
      << (peer.ebgp ? "  (eBGP)" : "  (iBGP)") << '\n'
      << "  passive: " << yes(peer.passive) << '\n'
      << "  rr client: " << yes(peer.rr_client) << '\n'
      << "  source address: " << opt(peer.source_address) << '\n'
      << "  password: "
      << (peer.password.empty()  ? "-"
          : options.show_secrets ? "\"" + peer.password + "\""
                                 : std::string("(set)"))
      << '\n'
      << "  restart time: " << peer.restart_time << '\n'
      << "  keepalive time: " << peer.keepalive_time << '\n'
      << "  ttl security: " << unsigned{peer.ttl_security} << '\n'
      << "  next hop self: " << yes(peer.next_hop_self) << '\n'
      << "  keep next hop: " << yes(peer.keep_next_hop) << '\n'
      << "  allow local as: " << peer.allow_local_as << '\n'
      << "  reachable by: " << opt(peer.reachable_by) << '\n'
      << "  filters:";
    if (peer.filters.empty()) o << " -";
    for (const auto& f : peer.filters)
      o << ' ' << f;
    o << '\n'
      << "  import:\n"
      << filter_text(peer.import_filter, "    ") << "  export:\n"
      << filter_text(peer.export_filter, "    ");
  }
  o << "\noriginate:\n";
  for (const auto& r : p.originate)
    o << "  " << bgp::to_string(r.prefix) << ' ' << kind_text(r.kind) << '\n';
  o << "own blocks:\n";
  for (const auto& b : p.own_blocks)
    o << "  " << bgp::to_string(b) << '\n';
  o << "no install:\n";
  for (const auto& b : p.no_install)
    o << "  " << bgp::to_string(b) << '\n';
  o << "encap:\n";
  for (const auto& pool : p.encap.pools)
    o << "  pool " << bgp::to_string(pool.cidr) << " ipip " << fib::to_string(pool.ipip)
      << " vxlan " << fib::to_string(pool.vxlan) << '\n';
  o << "  node network: " << opt(p.encap.node_network) << '\n';
  o << "notes:\n";
  for (const auto& n : p.notes)
    o << "  - " << n << '\n';
  return o.str();
}

}  // namespace tern::plan
