#include "daemon/plan/peers.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "daemon/intent/duration.hpp"
#include "daemon/intent/peer_ip.hpp"
#include "daemon/plan/export_policy.hpp"

namespace tern::plan::detail {

namespace {

// One remote side of a peering, before it is rendered (confd's v1 bgpPeer).
struct Candidate {
  bool global = false;
  bgp::IpAddr ip;
  std::string ip_text;
  std::optional<uint16_t> port;  // set: the name carries _port_<p>
  uint32_t peer_as = 0;
  std::string rr_cluster_id;  // of the remote node, when it is one
  bool calico_node = false;   // a peerIP that is some node's address (the passive rule)
  bool from_node = false;     // expanded from a Node (selector or reverse): no notes
  const api::BGPPeer* from = nullptr;
};

// confd's v1 key: global or this node's, peer address and port (0: none).
using Key = std::tuple<bool, std::string, uint16_t>;

struct ParsedPeer {
  const api::BGPPeer* peer = nullptr;
  std::string where;  // "BGPPeer <name>"
  std::optional<intent::Selector> node_selector, peer_selector;
  bool global = false;
};

std::optional<intent::Selector> parse_selector(const Context& c, const std::string& text,
                                               const std::string& where, const char* field,
                                               bool& ok) {
  if (text.empty()) return std::nullopt;
  auto r = intent::Selector::parse(text);
  if (auto* e = std::get_if<intent::SelectorError>(&r)) {
    c.notes.add(where + ": " + field + " '" + text + "': " + e->to_string() + "; skipped");
    ok = false;
    return std::nullopt;
  }
  return std::get<intent::Selector>(std::move(r));
}

// Calico's nodeAsBGPPeers: a node as remote peer, per family it has an address of.
void node_candidates(const NodeView& n, bool v4, bool v6, bool global, const api::BGPPeer* from,
                     std::vector<Candidate>& out) {
  for (auto afi : {bgp::Afi::kIpv4, bgp::Afi::kIpv6}) {
    if ((afi == bgp::Afi::kIpv4 ? !v4 : !v6) || !n.addr(afi)) continue;
    Candidate cand;
    cand.global = global;
    cand.ip = *n.addr(afi);
    cand.ip_text = n.text(afi);
    cand.port = n.listen_port;
    cand.peer_as = n.as;
    cand.rr_cluster_id = n.rr_cluster_id;
    cand.from_node = true;
    cand.from = from;
    out.push_back(std::move(cand));
  }
}

uint32_t peer_as_or_global(const Context& c, const api::BGPPeerSpec& s) {
  return s.has_as_number() && s.as_number() != 0 ? s.as_number() : c.global_as;
}

// Nodes a peerIP (and its AS, and port when given) designates: the targets of reverse peering.
bool node_is_peer_ip(const Context& c, const NodeView& n, const intent::PeerIp& a,
                     const api::BGPPeerSpec& s) {
  if (!n.addr(a.address.afi) || *n.addr(a.address.afi) != a.address) return false;
  if (n.as != peer_as_or_global(c, s)) return false;
  return !a.port || n.listen_port.value_or(179) == *a.port;
}

class PeerPlanner {
 public:
  explicit PeerPlanner(const Context& c) : c_(c), self_(*c.self) {
    export_[0] = calico_export(c, bgp::Afi::kIpv4);
    export_[1] = calico_export(c, bgp::Afi::kIpv6);
  }

  std::vector<PlannedPeer> run() {
    mesh();
    parse_peers();
    for (bool global_pass : {true, false})
      for (const auto& p : peers_)
        if (p.global == global_pass) forward(p);
    for (const auto& p : peers_)
      reverse(p);
    for (const auto& [key, cand] : emitted_)
      render(cand);
    std::sort(out_.begin(), out_.end(),
              [](const PlannedPeer& a, const PlannedPeer& b) { return a.name < b.name; });
    check_duplicate_addresses();
    return std::move(out_);
  }

 private:
  const rib::RouteFilter& base_export(bgp::Afi afi) const {
    return export_[afi == bgp::Afi::kIpv4 ? 0 : 1];
  }

  // Section 3.2: route reflectors neither mesh nor are meshed with.
  void mesh() {
    if (!c_.mesh_enabled || !self_.rr_cluster_id.empty()) return;
    std::optional<std::string> password;
    uint32_t restart = kDefaultRestartTime;
    if (c_.global) {
      if (!c_.global->node_mesh_password().secret_key_ref().name().empty())
        password = c_.secret(c_.global->node_mesh_password().secret_key_ref(), "nodeMeshPassword");
      if (!c_.global->node_mesh_max_restart_time().empty()) {
        if (auto t = intent::parse_duration_seconds(c_.global->node_mesh_max_restart_time())) {
          restart = *t;
        } else {
          c_.notes.add("nodeMeshMaxRestartTime '" + c_.global->node_mesh_max_restart_time() +
                       "' is not a duration; 120s used");
        }
      }
    }
    for (auto afi : {bgp::Afi::kIpv4, bgp::Afi::kIpv6}) {
      if (!self_.addr(afi)) continue;
      for (const auto& n : c_.nodes) {
        if (!n.addr(afi) || !n.rr_cluster_id.empty() || n.text(afi) == self_.text(afi)) continue;
        PlannedPeer p;
        p.name = "Mesh_" + name_part(n.text(afi));
        if (std::any_of(out_.begin(), out_.end(),
                        [&](const auto& q) { return q.name == p.name; })) {
          c_.notes.add("node " + n.name + " shares address " + n.text(afi) +
                       " with another node; one mesh session only");
          continue;
        }
        p.kind = PeerKind::kMesh;
        p.address = *n.addr(afi);
        p.port = n.listen_port.value_or(179);
        p.peer_as = n.as;
        p.local_as = self_.as;
        p.ebgp = p.peer_as != p.local_as;
        // The node whose address sorts lower as text waits; both ends must agree (3.2).
        p.passive = n.text(afi) > self_.text(afi);
        p.source_address = self_.addr(afi);
        if (password) p.password = *password;
        p.restart_time = restart;
        p.export_filter = base_export(afi);
        out_.push_back(std::move(p));
      }
    }
  }

  void parse_peers() {
    std::vector<const api::BGPPeer*> sorted;
    for (const auto& p : c_.intent->bgp_peers())
      sorted.push_back(&p);
    // confd walks a Go map; name order makes "first writer wins" deterministic.
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
      return a->metadata().name() < b->metadata().name();
    });
    for (const auto* p : sorted) {
      ParsedPeer pp;
      pp.peer = p;
      pp.where = "BGPPeer " + p->metadata().name();
      bool ok = true;
      const auto& s = p->spec();
      pp.node_selector = parse_selector(c_, s.node_selector(), pp.where, "nodeSelector", ok);
      pp.peer_selector = parse_selector(c_, s.peer_selector(), pp.where, "peerSelector", ok);
      if (!ok) continue;
      pp.global = s.node().empty() && s.node_selector().empty();
      if (s.peer_selector().empty() && s.peer_ip().empty()) {
        c_.notes.add(pp.where + ": neither peerIP nor peerSelector; skipped");
        continue;
      }
      peers_.push_back(std::move(pp));
    }
  }

  bool selects_self(const ParsedPeer& p) const {
    if (p.node_selector) return p.node_selector->matches(self_.labels);
    if (!p.peer->spec().node().empty()) return p.peer->spec().node() == self_.name;
    return true;
  }

  void emit(Candidate cand) {
    const uint16_t port = cand.port.value_or(0);
    Key key{cand.global, cand.ip_text, port};
    if (emitted_.count(key)) return;  // the first writer wins
    if (!cand.global && emitted_.count(Key{true, cand.ip_text, port})) return;
    emitted_.emplace(std::move(key), std::move(cand));
  }

  // Passes 1 and 2 of updatePeersV1: this node's side of the BGPPeers that select it.
  void forward(const ParsedPeer& p) {
    if (!p.global && !selects_self(p)) return;
    const auto& s = p.peer->spec();
    std::vector<Candidate> cands;
    if (p.peer_selector) {
      for (const auto& n : c_.nodes)
        if (p.peer_selector->matches(n.labels))
          node_candidates(n, true, true, p.global, p.peer, cands);
    } else {
      const auto parsed = intent::parse_peer_ip(s.peer_ip());
      const auto* a = std::get_if<intent::PeerIp>(&parsed);
      if (!a) {
        c_.notes.add(p.where + ": peerIP '" + s.peer_ip() + "': " + std::get<std::string>(parsed) +
                     "; skipped");
        return;
      }
      if (!s.has_as_number() || s.as_number() == 0) {
        c_.notes.add(p.where + ": peerIP without asNumber; skipped");
        return;
      }
      Candidate cand;
      cand.global = p.global;
      cand.ip = a->address;
      cand.ip_text = bgp::to_string(a->address);
      cand.port = a->port;
      cand.peer_as = s.as_number();
      cand.from = p.peer;
      for (const auto& n : c_.nodes) {
        if (n.addr(a->address.afi) != a->address) continue;
        cand.calico_node = true;
        // Without a port, a peerIP that is a Calico node (address and AS) gets its listen port.
        if (!a->port && !cand.port && node_is_peer_ip(c_, n, *a, s)) cand.port = n.listen_port;
      }
      cands.push_back(std::move(cand));
    }
    for (auto& cand : cands)
      emit(std::move(cand));
  }

  // Pass 3: when this node is a BGPPeer's remote side, peer back with the nodes it selects.
  void reverse(const ParsedPeer& p) {
    const auto& s = p.peer->spec();
    if (s.reverse_peering() == "Manual") return;
    bool v4 = false, v6 = false;
    if (p.peer_selector) {
      if (!p.peer_selector->matches(self_.labels)) return;
      v4 = v6 = true;
    } else {
      const auto parsed = intent::parse_peer_ip(s.peer_ip());
      const auto* a = std::get_if<intent::PeerIp>(&parsed);
      if (!a || !node_is_peer_ip(c_, self_, *a, s)) return;
      (a->address.afi == bgp::Afi::kIpv4 ? v4 : v6) = true;
    }
    std::vector<Candidate> cands;
    for (const auto& n : c_.nodes) {
      const bool local = p.node_selector     ? p.node_selector->matches(n.labels)
                         : !s.node().empty() ? s.node() == n.name
                                             : true;
      if (local) node_candidates(n, v4, v6, false, p.peer, cands);
    }
    for (auto& cand : cands)
      emit(std::move(cand));
  }

  void render(const Candidate& cand) {
    const bgp::Afi afi = cand.ip.afi;
    const auto& s = cand.from->spec();
    const std::string where = "BGPPeer " + cand.from->metadata().name();
    if (!self_.addr(afi)) {
      if (!cand.from_node)
        c_.notes.add(where + ": " + cand.ip_text + " is " +
                     (afi == bgp::Afi::kIpv4 ? "IPv4" : "IPv6") +
                     " but this node has no address of that family; skipped");
      return;
    }
    if (*self_.addr(afi) == cand.ip) return;  // ourselves
    PlannedPeer p;
    p.name = std::string(cand.global ? "Global_" : "Node_") + name_part(cand.ip_text);
    if (cand.port) p.name += "_port_" + std::to_string(*cand.port);
    p.kind = cand.global ? PeerKind::kGlobal : PeerKind::kNode;
    p.address = cand.ip;
    p.port = cand.port.value_or(179);
    p.peer_as = cand.peer_as;
    p.local_as =
        s.has_local_as_number() && s.local_as_number() != 0 ? s.local_as_number() : self_.as;
    p.ebgp = p.peer_as != p.local_as;
    // calico_node: only global peerings to a Calico node's address follow the mesh's rule;
    // node-specific ones connect from both ends.
    p.passive = cand.global && cand.calico_node && cand.ip_text > self_.text(afi);
    p.rr_client =
        !self_.rr_cluster_id.empty() && !p.ebgp && cand.rr_cluster_id != self_.rr_cluster_id;
    if (s.source_address() == "None") {
      p.source_address.reset();
    } else {
      if (!s.source_address().empty() && s.source_address() != "UseNodeIP")
        c_.notes.add(where + ": sourceAddress '" + s.source_address() +
                     "' is unknown; UseNodeIP used");
      p.source_address = self_.addr(afi);
    }
    if (!s.password().secret_key_ref().name().empty())
      if (auto pw = c_.secret(s.password().secret_key_ref(), where)) p.password = *pw;
    p.restart_time = duration(s.max_restart_time(), kDefaultRestartTime, where, "maxRestartTime");
    p.keepalive_time = duration(s.keepalive_time(), 0, where, "keepaliveTime");
    if (s.has_ttl_security())
      p.ttl_security = static_cast<uint8_t>(std::min<uint32_t>(s.ttl_security(), 255));
    if (s.next_hop_mode() == "Self") {
      p.next_hop_self = true;
    } else if (s.next_hop_mode() == "Keep") {
      p.keep_next_hop = true;
    } else if (!s.next_hop_mode().empty() && s.next_hop_mode() != "Auto") {
      c_.notes.add(where + ": nextHopMode '" + s.next_hop_mode() + "' is unknown; Auto used");
    }
    // The deprecated flag keeps next hops toward eBGP peers only (iBGP keeps them anyway).
    if (s.keep_original_next_hop() && p.ebgp) p.keep_next_hop = true;
    if (s.has_num_allowed_local_as_numbers()) p.allow_local_as = s.num_allowed_local_as_numbers();
    if (!s.reachable_by().empty()) {
      if (auto gw = bgp::IpAddr::parse(s.reachable_by()); gw && gw->afi == afi) {
        p.reachable_by = gw;
      } else {
        c_.notes.add(where + ": reachableBy '" + s.reachable_by() +
                     "' is not an address of the peer's family; ignored");
      }
    }
    p.filters.assign(s.filters().begin(), s.filters().end());
    p.import_filter.rules = bgpfilter_rules(c_, p.filters, Direction::kImport, afi, p.ebgp, where);
    p.import_filter.default_accept = true;
    p.export_filter = base_export(afi);
    auto filter_rules = bgpfilter_rules(c_, p.filters, Direction::kExport, afi, p.ebgp, where);
    p.export_filter.rules.insert(p.export_filter.rules.begin(), filter_rules.begin(),
                                 filter_rules.end());
    out_.push_back(std::move(p));
  }

  uint32_t duration(const std::string& text, uint32_t dflt, const std::string& where,
                    const char* field) const {
    if (text.empty()) return dflt;
    if (auto t = intent::parse_duration_seconds(text)) return *t;
    c_.notes.add(where + ": " + field + " '" + text + "' is not a duration; default used");
    return dflt;
  }

  // Calico renders a mesh session and a BGPPeer session to the same node side by side; a
  // speaker sees two sessions to one neighbour, which the operator should hear about.
  void check_duplicate_addresses() const {
    std::vector<const PlannedPeer*> by_address;
    for (const auto& p : out_)
      by_address.push_back(&p);
    auto key = [](const PlannedPeer* p) { return std::tie(p->address.afi, p->address.b, p->port); };
    std::stable_sort(by_address.begin(), by_address.end(),
                     [&](const auto* a, const auto* b) { return key(a) < key(b); });
    for (size_t i = 1; i < by_address.size(); ++i) {
      const PlannedPeer& a = *by_address[i - 1];
      const PlannedPeer& b = *by_address[i];
      if (key(&a) == key(&b))
        c_.notes.add("peers " + a.name + " and " + b.name + " both go to " +
                     bgp::to_string(a.address) + " port " + std::to_string(a.port));
    }
  }

  const Context& c_;
  const NodeView& self_;
  rib::RouteFilter export_[2];
  std::vector<ParsedPeer> peers_;
  std::map<Key, Candidate> emitted_;
  std::vector<PlannedPeer> out_;
};

}  // namespace

std::vector<PlannedPeer> plan_peers(const Context& c) {
  return PeerPlanner(c).run();
}

}  // namespace tern::plan::detail
