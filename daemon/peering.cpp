#include "daemon/peering.hpp"

#include <algorithm>

namespace tern {

namespace {
constexpr int kMultihopTtl = 64;  // Calico's `multihop` without a number (BIRD's default)
}  // namespace

bool only_filters_differ(const plan::PlannedPeer& running, plan::PlannedPeer next) {
  next.filters = running.filters;
  next.import_filter = running.import_filter;
  next.export_filter = running.export_filter;
  return next == running;
}

SpeakerPeer speaker_peer(const plan::PlannedPeer& p, const plan::Plan& plan, bool restarting) {
  SpeakerPeer out;
  auto& s = out.session;
  s.name = p.name;
  s.remote = bgp::asio::ip::make_address(bgp::to_string(p.address));
  s.remote_port = p.port;
  if (p.source_address) s.local = bgp::asio::ip::make_address(bgp::to_string(*p.source_address));
  s.passive = p.passive;
  s.md5_password = p.password;
  s.ttl_security_hops = p.ttl_security;
  if (!p.ttl_security) s.multihop_ttl = kMultihopTtl;
  auto& st = s.settings;
  st.local_as = p.local_as;
  st.router_id = plan.router_id;
  st.peer_as = p.peer_as;
  // Our sessions negotiate a hold time, not a keepalive interval: asking for three times the
  // keepalive keeps the keepalive Calico asked for whenever the peer accepts our hold time.
  if (p.keepalive_time)
    st.hold_time = static_cast<uint16_t>(std::min<uint32_t>(p.keepalive_time * 3, 65535));
  const bool v6 = p.address.afi == bgp::Afi::kIpv6;
  st.families = {!v6, v6};
  bgp::GracefulRestartCap gr;
  gr.restarting = restarting;
  gr.restart_time = static_cast<uint16_t>(std::min<uint32_t>(p.restart_time, 4095));
  // Routes stay in the kernel across our restarts: forwarding state is preserved.
  gr.families.push_back({v6 ? bgp::kIpv6Unicast : bgp::kIpv4Unicast, true});
  st.graceful_restart = gr;

  auto& pol = out.policy;
  pol.ebgp = p.ebgp;
  pol.local_as = p.local_as;
  pol.rr_client = p.rr_client;
  pol.next_hop_self = p.next_hop_self;
  pol.keep_next_hop = p.keep_next_hop;
  pol.allow_local_as = p.allow_local_as;
  // The next hop we announce is our node address even with sourceAddress None: peers use it
  // as the tunnel endpoint.
  if (plan.ipv4_address) pol.local_address = *plan.ipv4_address;
  if (p.source_address && p.source_address->afi == bgp::Afi::kIpv4)
    pol.local_address = *p.source_address;
  if (plan.ipv6_address) pol.local_address_v6 = *plan.ipv6_address;
  out.import_filter = p.import_filter;
  out.export_filter = p.export_filter;
  return out;
}

bgp::PathAttributes origination_attrs() {
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.as_path = bgp::AsPath{};
  return a;
}

Peering::Changes Peering::apply(const plan::Plan& next, bool restarting,
                                std::optional<bgp::Clock::time_point> delay_since) {
  Changes ch;
  std::map<std::string, const plan::PlannedPeer*> wanted;
  for (const auto& p : next.peers)
    wanted.emplace(p.name, &p);
  for (auto it = running_.begin(); it != running_.end();) {
    auto w = wanted.find(it->first);
    if (w == wanted.end()) {
      speaker_.remove_peer(it->second.id);
      ch.removed.push_back(it->first);
      it = running_.erase(it);
    } else if (*w->second == it->second.planned) {
      ++it;
    } else if (only_filters_differ(it->second.planned, *w->second) &&
               speaker_.set_filters(it->second.id, w->second->import_filter,
                                    w->second->export_filter)) {
      it->second.planned = *w->second;
      ch.refiltered.push_back(it->first);
      ++it;
    } else {
      speaker_.remove_peer(it->second.id);
      it->second.id = speaker_.add_peer(peer_for(*w->second, next, restarting, delay_since));
      it->second.planned = *w->second;
      ch.replaced.push_back(it->first);
      ++it;
    }
  }
  for (const auto& [name, p] : wanted) {
    if (running_.count(name)) continue;
    running_[name] = Running{*p, speaker_.add_peer(peer_for(*p, next, restarting, delay_since))};
    ch.added.push_back(name);
  }

  std::vector<plan::Origination> want = next.originate;
  auto by_prefix = [](const plan::Origination& a, const plan::Origination& b) {
    return a.prefix < b.prefix;
  };
  std::sort(want.begin(), want.end(), by_prefix);
  for (const auto& o : originated_)
    if (!std::binary_search(want.begin(), want.end(), o, by_prefix)) {
      speaker_.withdraw_local(o.prefix);
      ++ch.withdrawn;
    }
  for (const auto& o : want)
    if (!std::binary_search(originated_.begin(), originated_.end(), o, by_prefix)) {
      speaker_.originate(o.prefix, origination_attrs());
      ++ch.originated;
    }
  originated_ = std::move(want);
  return ch;
}

SpeakerPeer Peering::peer_for(const plan::PlannedPeer& p, const plan::Plan& plan, bool restarting,
                              std::optional<bgp::Clock::time_point> delay_since) const {
  SpeakerPeer s = speaker_peer(p, plan, restarting);
  s.session.connect_delay_since = delay_since;
  s.limits = limits_;
  s.session.settings.min_hold_time = min_hold_time_;
  s.session.send_hold = send_hold_;
  return s;
}

rib::PeerId Peering::id(const std::string& name) const {
  auto it = running_.find(name);
  return it == running_.end() ? 0 : it->second.id;
}

}  // namespace tern
