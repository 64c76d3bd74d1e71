#include "daemon/speaker.hpp"

#include <spdlog/spdlog.h>

namespace tern {

using bgp::Family;

namespace {

// The Adj-RIB-Out pulls more only while the socket has less than this queued.
constexpr size_t kLowWater = 64 * 1024;

}  // namespace

Speaker::Speaker(bgp::asio::io_context& io, rib::LocalIdentity me, rib::DecisionOptions options)
    : io_(io), me_(me), listener_(io, [this](const bgp::asio::ip::address& a) -> bgp::SessionPtr {
        for (auto& [id, p] : peers_)
          if (p->session->config().remote == a) return p->session;
        return nullptr;
      }) {
  for (auto& r : ribs_)
    r = std::make_unique<rib::LocRib>(me.as, options);
}

std::string Speaker::listen(const bgp::asio::ip::tcp::endpoint& at) {
  return listener_.listen(at);
}

void Speaker::add_peer(SpeakerPeer cfg) {
  auto p = std::make_unique<Peer>();
  p->id = next_id_++;
  p->policy = cfg.policy;
  p->session = std::make_shared<bgp::Session>(io_, std::move(cfg.session));
  Peer* raw = p.get();
  p->session->on_update(
      [this, raw](bgp::Session&, bgp::Update&& u) { on_update(*raw, std::move(u)); });
  p->session->on_state(
      [this, raw](bgp::Session&, bgp::State from, bgp::State to) { on_state(*raw, from, to); });
  p->session->on_drain([this, raw](bgp::Session&) { flush(*raw); });
  const auto& sc = p->session->config();
  for (auto& r : ribs_) {
    r->set_peer(p->id, rib::PeerInfo{cfg.policy.ebgp, sc.settings.peer_as, 0,
                                     bgp::IpAddr::parse(sc.remote.to_string()).value()});
  }
  peers_[p->id] = std::move(p);
}

void Speaker::start() {
  for (auto& [id, p] : peers_)
    p->session->start();
}

void Speaker::stop() {
  for (auto& [id, p] : peers_)
    p->session->stop("tern stopping");
  listener_.close();
}

void Speaker::originate(const bgp::Prefix& p, bgp::PathAttributes attrs) {
  const Family f = p.family();
  if (auto c = ribs_[bgp::family_index(f)]->announce(p, rib::kLocalPeer, 0,
                                                     pool_.intern(std::move(attrs))))
    changed(f, *c);
  flush_all();
}

void Speaker::withdraw_local(const bgp::Prefix& p) {
  const Family f = p.family();
  if (auto c = ribs_[bgp::family_index(f)]->withdraw(p, rib::kLocalPeer, 0)) changed(f, *c);
  flush_all();
}

void Speaker::on_update(Peer& from, bgp::Update&& u) {
  // RFC 7606 treat-as-withdraw: every NLRI in the message is withdrawn.
  const bool withdraw_all = u.action == bgp::Action::kTreatAsWithdraw;
  learn(from, bgp::kIpv4Unicast, u.withdrawn, nullptr);
  if (u.mp_unreach) learn(from, u.mp_unreach->family, u.mp_unreach->withdrawn, nullptr);
  if (!u.nlri.empty()) learn(from, bgp::kIpv4Unicast, u.nlri, withdraw_all ? nullptr : &u.attrs);
  if (u.mp_reach) {
    bgp::PathAttributes a = u.attrs;
    a.next_hop = u.mp_reach->next_hop.global;  // the RIB keeps either family's next hop here
    learn(from, u.mp_reach->family, u.mp_reach->nlri, withdraw_all ? nullptr : &a);
  }
  if (u.end_of_rib) {
    // End-of-RIB: whatever the peer did not refresh after a restart is gone (RFC 4724).
    for (const auto& c : ribs_[bgp::family_index(*u.end_of_rib)]->sweep_stale(from.id))
      changed(*u.end_of_rib, c);
  }
  flush_all();
}

void Speaker::learn(Peer& from, Family f, const std::vector<bgp::Nlri>& nlri,
                    const bgp::PathAttributes* attrs) {
  if (nlri.empty()) return;
  auto& rib = *ribs_[bgp::family_index(f)];
  rib::AttrRef ref;
  if (attrs && rib::check_import(*attrs, from.policy, me_) == rib::ImportVerdict::kAccept) {
    bgp::PathAttributes a = *attrs;
    if (from.policy.ebgp && !a.local_pref) a.local_pref = 100;
    ref = pool_.intern(std::move(a));
  }
  for (const auto& n : nlri) {
    // A path that fails the import checks replaces, and so withdraws, what the peer had.
    auto c = ref ? rib.announce(n.prefix, from.id, n.path_id, ref)
                 : rib.withdraw(n.prefix, from.id, n.path_id);
    if (c) changed(f, *c);
  }
}

void Speaker::changed(Family f, const rib::BestChange& c) {
  if (on_best_change) on_best_change(c);
  const rib::RouteEntry* e = ribs_[bgp::family_index(f)]->find(c.prefix);
  for (auto& [id, p] : peers_)
    export_to(*p, f, c.prefix, e);
}

void Speaker::export_to(Peer& to, Family f, const bgp::Prefix& p, const rib::RouteEntry* e) {
  auto& out = to.out[bgp::family_index(f)];
  if (!out) return;  // not Established for this family
  const rib::Path* best = e ? e->best() : nullptr;
  rib::AttrRef send;
  if (best && best->peer != to.id) {  // never back to where it came from
    rib::PathOrigin origin;
    origin.local = best->peer == rib::kLocalPeer;
    if (!origin.local) {
      const Peer& src = *peers_.at(best->peer);
      origin.ebgp = src.policy.ebgp;
      origin.from_rr_client = src.policy.rr_client;
      if (const auto& n = src.session->negotiated()) origin.peer_router_id = n->peer_id;
    }
    rib::PeerPolicy policy = to.policy;
    if (f == bgp::kIpv6Unicast) policy.local_address = to.policy.local_address_v6;
    if (auto a = rib::export_attrs(best->attrs->attrs(), origin, policy, me_))
      send = pool_.intern(std::move(*a));
  }
  out->set(p, std::move(send));
}

void Speaker::flush(Peer& p) {
  for (auto& out : p.out) {
    if (!out) continue;
    while (out->pending() && p.session->queued_bytes() < kLowWater) {
      auto msgs = out->pull(kLowWater);
      if (msgs.empty()) break;
      for (auto& m : msgs)
        p.session->send_encoded(std::move(m));
    }
  }
}

void Speaker::flush_all() {
  for (auto& [id, p] : peers_)
    flush(*p);
}

void Speaker::on_state(Peer& p, bgp::State before, bgp::State now) {
  if (now == bgp::State::kEstablished) {
    const auto& n = *p.session->negotiated();
    const auto& sc = p.session->config();
    for (auto& r : ribs_) {
      r->set_peer(p.id, rib::PeerInfo{n.ebgp, n.peer_as, n.peer_id,
                                      bgp::IpAddr::parse(sc.remote.to_string()).value()});
    }
    for (int i = 0; i < bgp::kFamilyCount; ++i) {
      if (!n.families[i]) continue;
      const Family f = bgp::kFamilies[i].family;
      p.out[i] = std::make_unique<rib::AdjRibOut>(f, n.codec);
      ribs_[i]->for_each(
          [&](const bgp::Prefix& pfx, const rib::RouteEntry& e) { export_to(p, f, pfx, &e); });
    }
    // Posted: the session completes its own transition before the table goes out.
    bgp::asio::post(io_, [this, id = p.id] {
      auto it = peers_.find(id);
      if (it == peers_.end() || it->second->session->state() != bgp::State::kEstablished) return;
      Peer& peer = *it->second;
      // The initial table is sent whole, then End-of-RIB (RFC 4724 2).
      for (auto& out : peer.out) {
        if (!out) continue;
        for (auto& m : out->pull(SIZE_MAX))
          peer.session->send_encoded(std::move(m));
        peer.session->send_encoded(out->end_of_rib());
      }
    });
    return;
  }
  if (before == bgp::State::kEstablished) {
    for (auto& out : p.out)
      out.reset();
    for (int i = 0; i < bgp::kFamilyCount; ++i)
      for (const auto& c : ribs_[i]->drop_peer(p.id))
        changed(bgp::kFamilies[i].family, c);
    flush_all();
  }
}

std::vector<bgp::SessionSnapshot> Speaker::sessions() const {
  std::vector<bgp::SessionSnapshot> out;
  for (const auto& [id, p] : peers_)
    out.push_back(p->session->snapshot());
  return out;
}

}  // namespace tern
