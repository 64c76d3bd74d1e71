#include "daemon/speaker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tern {

using bgp::Family;

namespace {

// A member takes more UPDATEs only while its socket has less than this queued.
constexpr size_t kLowWater = 64 * 1024;

// Two paths with the same attributes from the same peer are exported alike to any group.
bool same_source(const rib::Path& a, const rib::Path& b) {
  return a.attrs == b.attrs && a.peer == b.peer;
}

// BIRD's default ("graceful restart aware"): we keep a restarting peer's routes; we preserve
// no forwarding state of our own across a restart, so no family is listed.
bgp::GracefulRestartCap helper_capability() {
  bgp::GracefulRestartCap cap;
  cap.restart_time = 120;
  return cap;
}

bgp::Message refresh(Family f, bgp::RefreshSubtype subtype) {
  bgp::RouteRefresh r;
  r.afi = static_cast<uint16_t>(f.afi);
  r.safi = static_cast<uint8_t>(f.safi);
  r.subtype = subtype;
  return bgp::Message{r};
}

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

Speaker::~Speaker() {
  // Groups let go of their Loc-RIB entries before the RIBs go.
  for (int f = 0; f < bgp::kFamilyCount; ++f)
    for (auto& g : groups_[f])
      g->out->clear(*ribs_[f]);
}

std::string Speaker::listen(const bgp::asio::ip::tcp::endpoint& at) {
  auto err = listener_.listen(at);
  listening_ = err.empty();
  // Peers added before the socket existed get their keys now.
  if (listening_)
    for (auto& [id, p] : peers_)
      if (!p->session->config().md5_password.empty()) key_listener(p->session->config().remote);
  return err;
}

void Speaker::key_listener(const bgp::asio::ip::address& remote) {
  if (!listening_) return;
  std::string key;
  for (auto& [id, p] : peers_) {
    const auto& c = p->session->config();
    if (c.remote == remote && !c.md5_password.empty()) {
      key = c.md5_password;
      break;
    }
  }
  if (auto e = listener_.set_md5(remote, key); !e.empty())
    spdlog::warn("TCP MD5 key for {} on the listening socket: {}", remote.to_string(), e);
}

rib::PeerId Speaker::add_peer(SpeakerPeer cfg) {
  auto p = std::make_unique<Peer>(io_);
  p->id = free_id();
  if (p->id == 0) {
    spdlog::error("peer {}: no peer id left (65,535 peers)", cfg.session.name);
    return 0;
  }
  p->policy = cfg.policy;
  p->import_filter = std::move(cfg.import_filter);
  p->export_filter = std::move(cfg.export_filter);
  p->limits = cfg.limits;
  if (!cfg.session.settings.graceful_restart)
    cfg.session.settings.graceful_restart = helper_capability();
  p->session = std::make_shared<bgp::Session>(io_, std::move(cfg.session));
  Peer* raw = p.get();
  p->session->on_update(
      [this, raw](bgp::Session&, bgp::Update&& u) { on_update(*raw, std::move(u)); });
  p->session->on_state(
      [this, raw](bgp::Session&, bgp::State from, bgp::State to) { on_state(*raw, from, to); });
  p->session->on_route_refresh(
      [this, raw](bgp::Session&, const bgp::RouteRefresh& r) { on_refresh(*raw, r); });
  p->session->on_drain([this, raw](bgp::Session&) { flush(*raw); });
  const auto& sc = p->session->config();
  for (auto& r : ribs_) {
    r->set_peer(p->id, rib::PeerInfo{cfg.policy.ebgp, sc.settings.peer_as, 0,
                                     bgp::IpAddr::parse(sc.remote.to_string()).value()});
  }
  const rib::PeerId id = p->id;
  peers_[id] = std::move(p);
  if (!raw->session->config().md5_password.empty()) key_listener(raw->session->config().remote);
  if (started_) raw->session->start();
  return id;
}

rib::PeerId Speaker::free_id() const {
  // Paths store their peer in 16 bits; a removed peer's id is free again (its paths are gone).
  for (rib::PeerId id = 1; id <= 0xffff; ++id)
    if (!peers_.contains(id)) return id;
  return 0;
}

void Speaker::remove_peer(rib::PeerId id) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  Peer& p = *it->second;
  p.session->on_state(nullptr);
  p.session->on_update(nullptr);
  p.session->on_drain(nullptr);
  p.session->on_route_refresh(nullptr);
  p.session->stop("peer removed");
  p.gr_timer.cancel();
  for (int f = 0; f < bgp::kFamilyCount; ++f) {
    leave_group(p, f);
    changed(bgp::kFamilies[f].family, ribs_[f]->drop_peer(id));
  }
  const auto remote = p.session->config().remote;
  const bool keyed = !p.session->config().md5_password.empty();
  peers_.erase(it);
  if (keyed) key_listener(remote);
  schedule_flush();
}

void Speaker::start() {
  started_ = true;
  for (auto& [id, p] : peers_)
    p->session->start();
}

void Speaker::restart_done() {
  for (auto& [id, p] : peers_)
    p->session->restart_done();
}

void Speaker::stop() {
  for (auto& [id, p] : peers_) {
    p->session->stop("tern stopping");
    p->gr_timer.cancel();
  }
  listener_.close();
}

void Speaker::originate(const bgp::Prefix& p, bgp::PathAttributes attrs) {
  const Family f = p.family();
  if (auto c = ribs_[bgp::family_index(f)]->announce(p, rib::kLocalPeer, 0,
                                                     pool_.intern(std::move(attrs))))
    changed(f, *c);
  schedule_flush();
}

void Speaker::withdraw_local(const bgp::Prefix& p) {
  const Family f = p.family();
  if (auto c = ribs_[bgp::family_index(f)]->withdraw(p, rib::kLocalPeer, 0)) changed(f, *c);
  schedule_flush();
}

bool Speaker::request_refresh(rib::PeerId id, Family f) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return false;
  const auto& n = it->second->session->negotiated();
  if (it->second->session->state() != bgp::State::kEstablished || !n || !n->route_refresh ||
      !n->families[bgp::family_index(f)])
    return false;
  return it->second->session->send(refresh(f, bgp::RefreshSubtype::kNormal));
}

bool Speaker::set_filters(rib::PeerId id, rib::RouteFilter import_filter,
                          rib::RouteFilter export_filter) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return false;
  Peer& p = *it->second;
  const bool up = p.session->state() == bgp::State::kEstablished;
  const auto& n = p.session->negotiated();
  const bool import_changed = !(import_filter == p.import_filter);
  if (import_changed && up && (!n || !n->route_refresh)) return false;
  const bool export_changed = !(export_filter == p.export_filter);
  p.import_filter = std::move(import_filter);
  p.export_filter = std::move(export_filter);
  if (!up || !n) return true;  // the next session starts with them
  for (int fi = 0; fi < bgp::kFamilyCount; ++fi) {
    if (!p.families[fi]) continue;
    const Family f = bgp::kFamilies[fi].family;
    if (import_changed) request_refresh(id, f);
    if (!export_changed) continue;
    // A peer still getting its initial table gets the rest under the new filter and still
    // needs its End-of-RIB; anything else is a refresh of what it has.
    if (p.finish[fi] == Finish::kEndOfRib) {
      catch_up(p, fi, Finish::kEndOfRib);
    } else if (n->enhanced_route_refresh) {
      p.session->send(refresh(f, bgp::RefreshSubtype::kBeginOfRib));
      catch_up(p, fi, Finish::kEndOfRefresh);
    } else {
      // The re-sent table carries a withdrawal for every prefix the filter now holds back.
      catch_up(p, fi, Finish::kNothing);
    }
  }
  schedule_flush();
  return true;
}

// ---- inbound ----

void Speaker::on_update(Peer& from, bgp::Update&& u) {
  if (from.over_limit) return;
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
    from.end_of_rib[bgp::family_index(*u.end_of_rib)] = true;
    if (on_end_of_rib) on_end_of_rib(from.id, *u.end_of_rib);
    // After a restart, whatever the peer did not send again is gone (RFC 4724 4.2).
    apply(from, from.gr.end_of_rib(*u.end_of_rib));
    arm_gr_timer(from);
  }
  schedule_flush();
}

void Speaker::learn(Peer& from, Family f, const std::vector<bgp::Nlri>& nlri,
                    const bgp::PathAttributes* attrs) {
  if (nlri.empty()) return;
  auto& rib = *ribs_[bgp::family_index(f)];
  // The table is far larger than the caches: start loading a few prefixes ahead.
  constexpr size_t kAhead = 8;
  for (size_t i = 0; i < std::min(kAhead, nlri.size()); ++i)
    rib.prefetch(nlri[i].prefix);
  auto ahead = [&](size_t i) {
    if (i + kAhead < nlri.size()) rib.prefetch(nlri[i + kAhead].prefix);
  };
  rib::BestChange c;  // one for the whole message: its path sets keep their storage
  if (!attrs) {
    for (size_t i = 0; i < nlri.size(); ++i) {
      ahead(i);
      const auto& n = nlri[i];
      if (rib.withdraw(c, n.prefix, from.id, n.path_id)) changed(f, c);
    }
    return;
  }
  // A refused path is kept as received, marked with the reason, out of the decision.
  const auto verdict = rib::check_import(*attrs, from.policy, me_);
  rib::AttrRef accepted, refused;
  auto refused_attrs = [&] {
    if (!refused) refused = pool_.intern(*attrs);
    return refused;
  };
  if (verdict == rib::ImportVerdict::kAccept) {
    bgp::PathAttributes a = from.import_filter.apply(*attrs);
    if (!from.limits.keep_unknown_attributes) a.unknown.clear();
    if (from.policy.ebgp && !a.local_pref) a.local_pref = 100;
    accepted = pool_.intern(std::move(a));
  }
  for (size_t i = 0; i < nlri.size(); ++i) {
    ahead(i);
    const auto& n = nlri[i];
    bool moved;
    if (!accepted) {
      moved = rib.announce(c, n.prefix, from.id, n.path_id, refused_attrs(),
                           static_cast<uint8_t>(verdict));
    } else if (!from.import_filter.decide(n.prefix).accept) {
      moved = rib.announce(c, n.prefix, from.id, n.path_id, refused_attrs(),
                           static_cast<uint8_t>(rib::ImportVerdict::kFilteredOut));
    } else {
      moved = rib.announce(c, n.prefix, from.id, n.path_id, accepted);
    }
    if (moved) changed(f, c);
  }
  if (from.limits.max_prefixes && rib.counts(from.id).received > from.limits.max_prefixes)
    over_limit(from, f);
}

void Speaker::over_limit(Peer& p, Family f) {
  if (p.over_limit) return;
  p.over_limit = true;
  const uint32_t limit = p.limits.max_prefixes;
  const std::string reason =
      "more than " + std::to_string(limit) + " " + bgp::to_string(f) +
      " prefixes (the limit); restarting " +
      (p.limits.restart_after.count() > 0
           ? "in " + std::to_string(p.limits.restart_after.count() / 1000) + " s"
           : "only when reconfigured");
  spdlog::warn("peer {}: {}", p.session->config().name, reason);
  // RFC 4486 4: AFI, SAFI and the upper bound.
  bgp::Notification n{bgp::err::kCease, bgp::err::kMaxPrefixes, {}};
  n.data = {static_cast<uint8_t>(static_cast<uint16_t>(f.afi) >> 8),
            static_cast<uint8_t>(static_cast<uint16_t>(f.afi)),
            static_cast<uint8_t>(f.safi),
            static_cast<uint8_t>(limit >> 24),
            static_cast<uint8_t>(limit >> 16),
            static_cast<uint8_t>(limit >> 8),
            static_cast<uint8_t>(limit)};
  // Posted: the session is in the middle of handing us this UPDATE.
  bgp::asio::post(io_, [this, id = p.id, n = std::move(n), reason,
                        alive = std::weak_ptr<bool>(alive_)]() mutable {
    if (alive.expired()) return;
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    Peer& peer = *it->second;
    peer.session->automatic_stop(std::move(n), reason, peer.limits.restart_after);
  });
}

void Speaker::on_refresh(Peer& p, const bgp::RouteRefresh& r) {
  const auto idx = bgp::family_index(r.afi, r.safi);
  if (!idx || !p.families[*idx]) return;  // RFC 2918 4: a family not negotiated is ignored
  const int fi = *idx;
  const Family f = bgp::kFamilies[fi].family;
  auto& rib = *ribs_[fi];
  switch (r.subtype) {
    case bgp::RefreshSubtype::kNormal: {
      // Everything again, framed by BoRR/EoRR where enhanced route refresh was agreed.
      const bool enhanced = p.session->negotiated()->enhanced_route_refresh;
      if (enhanced) {
        p.session->send(refresh(f, bgp::RefreshSubtype::kBeginOfRib));
      }
      catch_up(p, fi, enhanced ? Finish::kEndOfRefresh : Finish::kNothing);
      break;
    }
    case bgp::RefreshSubtype::kBeginOfRib:
      // RFC 7313 4: what the peer does not send again before EoRR is gone.
      changed(f, rib.mark_stale(p.id));
      break;
    case bgp::RefreshSubtype::kEndOfRib:
      changed(f, rib.sweep_stale(p.id));
      break;
  }
  schedule_flush();
}

// ---- graceful restart ----

void Speaker::apply(Peer& p, const rib::GrHelper::Actions& a) {
  for (int f = 0; f < bgp::kFamilyCount; ++f) {
    auto& rib = *ribs_[f];
    const Family fam = bgp::kFamilies[f].family;
    if (a.drop[f]) changed(fam, rib.drop_peer(p.id));
    if (a.mark_stale[f]) {
      spdlog::info("peer {}: graceful restart, keeping its {} routes as stale",
                   p.session->config().name, bgp::kFamilies[f].name);
      changed(fam, rib.mark_stale(p.id));
    }
    if (a.sweep[f]) changed(fam, rib.sweep_stale(p.id));
  }
}

void Speaker::arm_gr_timer(Peer& p) {
  const auto next = p.gr.next_deadline();
  if (!next) {
    p.gr_timer.cancel();
    return;
  }
  p.gr_timer.expires_at(*next);
  p.gr_timer.async_wait([this, id = p.id](const boost::system::error_code& ec) {
    if (ec) return;
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    apply(*it->second, it->second->gr.expire(rib::GrHelper::Clock::now()));
    arm_gr_timer(*it->second);
    flush_all();
  });
}

// ---- sessions ----

std::string Speaker::peer_name(rib::PeerId id) const {
  if (id == rib::kLocalPeer) return "local";
  auto it = peers_.find(id);
  return it == peers_.end() ? "" : it->second->session->config().name;
}

void Speaker::on_state(Peer& p, bgp::State before, bgp::State now) {
  if (on_session_change) on_session_change(*p.session, before, now);
  if (now == bgp::State::kEstablished) {
    const auto& n = *p.session->negotiated();
    const auto& sc = p.session->config();
    for (auto& r : ribs_) {
      r->set_peer(p.id, rib::PeerInfo{n.ebgp, n.peer_as, n.peer_id,
                                      bgp::IpAddr::parse(sc.remote.to_string()).value()});
    }
    p.families = n.families;
    p.end_of_rib = {};
    p.expect_eor = n.families;
    p.ever_established = true;
    if (p.router_id != n.peer_id) {
      // What its paths are reflected with (ORIGINATOR_ID) may change.
      p.router_id = n.peer_id;
      for (auto& gs : groups_)
        for (auto& g : gs)
          forget_exports(*g);
    }
    apply(p, p.gr.established(n.peer_graceful_restart, rib::GrHelper::Clock::now()));
    arm_gr_timer(p);
    for (int f = 0; f < bgp::kFamilyCount; ++f)
      if (n.families[f]) catch_up(p, f, Finish::kEndOfRib);
    // Posted: the session completes its own transition before the table goes out.
    bgp::asio::post(io_, [this, id = p.id, alive = std::weak_ptr<bool>(alive_)] {
      if (alive.expired()) return;
      auto it = peers_.find(id);
      if (it != peers_.end() && it->second->session->state() == bgp::State::kEstablished)
        flush(*it->second);
    });
    return;
  }
  if (before == bgp::State::kEstablished) {
    p.over_limit = false;
    const auto& n = p.session->negotiated();
    const auto families = p.families;
    p.families = {};
    for (int f = 0; f < bgp::kFamilyCount; ++f)
      leave_group(p, f);
    apply(p, p.gr.session_down(p.session->ended_gracefully(),
                               n ? n->peer_graceful_restart : std::nullopt, families,
                               rib::GrHelper::Clock::now()));
    arm_gr_timer(p);
    flush_all();
  }
}

std::vector<bgp::SessionSnapshot> Speaker::sessions() const {
  std::vector<bgp::SessionSnapshot> out;
  for (const auto& [id, p] : peers_)
    out.push_back(p->session->snapshot());
  return out;
}

bool Speaker::initial_exchange_done() const {
  for (const auto& [id, p] : peers_) {
    if (!p->ever_established) return false;
    for (int f = 0; f < bgp::kFamilyCount; ++f)
      if (p->expect_eor[f] && !p->end_of_rib[f]) return false;
  }
  return true;
}

std::vector<size_t> Speaker::update_groups(Family f) const {
  std::vector<size_t> out;
  for (const auto& g : groups_[bgp::family_index(f)])
    out.push_back(g->members.size());
  return out;
}

// ---- outbound ----

Speaker::GroupKey Speaker::key_for(const Peer& p, int family) const {
  const auto& n = *p.session->negotiated();
  GroupKey k;
  k.ebgp = p.policy.ebgp;
  k.peer_as = p.policy.ebgp ? n.peer_as : 0;
  k.local_as = p.policy.local_as;
  k.rr_client = p.policy.rr_client;
  k.next_hop_self = p.policy.next_hop_self;
  k.keep_next_hop = p.policy.keep_next_hop;
  k.local_address = bgp::kFamilies[family].family == bgp::kIpv6Unicast ? p.policy.local_address_v6
                                                                       : p.policy.local_address;
  k.filter = p.export_filter;
  k.four_octet_as = n.codec.four_octet_as;
  k.add_path = n.codec.add_path_send[family];
  k.extended_message = n.codec.extended_message;
  return k;
}

bool Speaker::passes(const Group& g, const bgp::Prefix& p, const rib::Path& path,
                     rib::RouteFilter::Verdict& verdict) const {
  // Never back to where it came from. With several members the one that sent it gets it too
  // and drops it by its own loop checks (FRR's update groups do the same): one encoding for
  // the whole group is worth that.
  const bool local = path.peer == rib::kLocalPeer;
  if (!local && g.members.size() == 1 && g.members[0]->id == path.peer) return false;
  verdict = g.key.filter.decide(p, local);
  return verdict.accept;
}

bool Speaker::loops_back(const Group& g, const bgp::PathAttributes& a) const {
  // An eBGP peer would discard a path through its own AS (RFC 4271 9.1.2): not sent.
  return g.key.ebgp && a.as_path && rib::count_as(*a.as_path, g.key.peer_as) > 0;
}

rib::PathOrigin Speaker::origin_of(const rib::Path& path) const {
  rib::PathOrigin origin;
  origin.local = path.peer == rib::kLocalPeer;
  if (!origin.local) {
    auto src = peers_.find(path.peer);
    if (src != peers_.end()) {
      origin.ebgp = src->second->policy.ebgp;
      origin.from_rr_client = src->second->policy.rr_client;
      origin.peer_router_id = src->second->router_id;
    }
  }
  return origin;
}

bool Speaker::sends(const Group& g, const bgp::Prefix& p, const rib::Path& path) const {
  rib::RouteFilter::Verdict verdict;
  return passes(g, p, path, verdict) && !loops_back(g, path.attrs->attrs()) &&
         rib::may_export(origin_of(path), g.policy, me_);
}

rib::AttrRef Speaker::export_path(Group& g, const bgp::Prefix& p, const rib::Path& path) {
  rib::RouteFilter::Verdict verdict;
  if (!passes(g, p, path, verdict)) return nullptr;
  const ExportCache::Key key{path.attrs.get(), path.peer, verdict.communities};
  if (const rib::AttrRef* hit = g.exports.find(key)) return *hit;

  rib::AttrRef out;
  const bgp::PathAttributes& in = path.attrs->attrs();
  if (!loops_back(g, in)) {
    if (auto a = rib::export_attrs(in, origin_of(path), g.policy, me_))
      out = pool_.intern(g.key.filter.apply(std::move(*a), verdict.communities));
  }
  g.exports.put(key, path.attrs, out);
  return out;
}

void Speaker::forget_exports(Group& g) {
  g.exports.clear();
}

void Speaker::changed(Family f, const std::vector<rib::BestChange>& cs) {
  for (const auto& c : cs)
    changed(f, c);
}

void Speaker::changed(Family f, const rib::BestChange& c) {
  if (on_best_change) on_best_change(c);
  const int fi = bgp::family_index(f);
  rib::RouteEntry* e = c.entry;
  for (auto& g : groups_[fi]) {
    bool differs = false;
    if (g->out->add_path()) {
      // Each path of the multipath set is its own announcement, keyed by its out_id.
      for (const auto& b : c.before) {
        auto a = std::find_if(c.after.begin(), c.after.end(),
                              [&](const rib::Path& x) { return x.out_id == b.out_id; });
        if (a == c.after.end()) {
          if (sends(*g, c.prefix, b)) g->out->withdraw_path(c.prefix, b.out_id);
        } else if (!same_source(b, *a) &&
                   export_path(*g, c.prefix, b) != export_path(*g, c.prefix, *a)) {
          differs = true;
        }
      }
      for (const auto& a : c.after) {
        const bool fresh = std::none_of(c.before.begin(), c.before.end(),
                                        [&](const rib::Path& x) { return x.out_id == a.out_id; });
        if (fresh && sends(*g, c.prefix, a)) differs = true;
      }
    } else if (!c.before.empty() && !c.after.empty()) {
      const rib::Path& b = c.before.front();
      const rib::Path& a = c.after.front();
      differs = !same_source(b, a) && export_path(*g, c.prefix, b) != export_path(*g, c.prefix, a);
    } else {
      // Announced or withdrawn: what it is sent as is the pull's business (a table arriving
      // would otherwise build every export twice, once here and once when sent).
      const rib::Path& only = c.before.empty() ? c.after.front() : c.before.front();
      differs = sends(*g, c.prefix, only);
    }
    if (differs) g->out->mark(c.prefix, *e);
  }
}

Speaker::Group* Speaker::new_group(int family, const GroupKey& key, const rib::PeerPolicy& policy) {
  int slot = 0;
  while (slot < rib::kOutSlots && (slots_used_[family] & (1u << slot)))
    ++slot;
  if (slot == rib::kOutSlots) return nullptr;
  slots_used_[family] |= 1u << slot;
  auto g = std::make_unique<Group>();
  g->key = key;
  g->policy = policy;
  if (bgp::kFamilies[family].family == bgp::kIpv6Unicast)
    g->policy.local_address = policy.local_address_v6;
  // The group's codec: the members' negotiated one; they agree on everything that matters.
  bgp::CodecContext ctx;
  ctx.four_octet_as = key.four_octet_as;
  ctx.extended_message = key.extended_message;
  ctx.ebgp = key.ebgp;
  ctx.add_path_send[family] = key.add_path;
  g->out = std::make_unique<rib::AdjRibOut>(bgp::kFamilies[family].family, ctx, slot);
  groups_[family].push_back(std::move(g));
  return groups_[family].back().get();
}

void Speaker::catch_up(Peer& p, int family, Finish finish) {
  leave_group(p, family);
  p.waiting[family] = false;
  p.finish[family] = finish;
  const GroupKey key = key_for(p, family);
  for (auto& other : groups_[family]) {
    if (!other->fresh || !(other->key == key)) continue;
    p.group[family] = other.get();
    other->members.push_back(&p);
    forget_exports(*other);
    // Paths its lone member sent were left out of its queue (passes()); the newcomer needs
    // them. Marking is idempotent, and this happens once per group.
    if (other->members.size() == 2) other->out->mark_all(*ribs_[family]);
    return;
  }
  Group* g = new_group(family, key, p.policy);
  if (!g) {
    // Every slot is in use by other catch-ups; this one starts when one of them is done.
    p.waiting[family] = true;
    return;
  }
  p.group[family] = g;
  g->members.push_back(&p);
  g->out->mark_all(*ribs_[family]);
  g->fresh = true;
}

void Speaker::leave_group(Peer& p, int family) {
  p.waiting[family] = false;
  p.finish[family] = Finish::kNothing;
  Group* g = p.group[family];
  if (!g) return;
  p.group[family] = nullptr;
  std::erase(g->members, &p);
  // A group's export treats a lone member's own paths differently: start over cleanly.
  forget_exports(*g);
  if (g->members.empty()) destroy(*g);
}

void Speaker::destroy(Group& g) {
  const int family = bgp::family_index(g.out->family());
  g.out->clear(*ribs_[family]);
  slots_used_[family] &= ~(1u << g.out->slot());
  std::erase_if(groups_[family], [&](const auto& x) { return x.get() == &g; });
  // A slot is free: the peers waiting for one start their catch-up, in one group where their
  // keys agree (those that find no slot wait on).
  bool started = false;
  for (auto& [id, p] : peers_) {
    if (!p->waiting[family]) continue;
    catch_up(*p, family, p->finish[family]);
    started |= !p->waiting[family];
  }
  if (started) schedule_flush();
}

void Speaker::drained(Group& g) {
  for (Peer* m : g.members) {
    const int family = bgp::family_index(g.out->family());
    switch (std::exchange(m->finish[family], Finish::kNothing)) {
      case Finish::kNothing:
        break;
      case Finish::kEndOfRib:
        // The initial table is complete (RFC 4724 2).
        m->session->send_encoded(std::make_shared<const bgp::Bytes>(g.out->end_of_rib()));
        break;
      case Finish::kEndOfRefresh:
        m->session->send(refresh(g.out->family(), bgp::RefreshSubtype::kEndOfRib));
        break;
    }
  }
  if (g.steady) return;
  const int family = bgp::family_index(g.out->family());
  for (auto& other : groups_[family]) {
    if (other.get() == &g || !other->steady || !(other->key == g.key)) continue;
    // Up to date: join the group of its kind. The other group's queue may repeat a little
    // of what these peers already have, which BGP tolerates.
    for (Peer* m : g.members) {
      m->group[family] = other.get();
      other->members.push_back(m);
    }
    forget_exports(*other);
    g.members.clear();
    destroy(g);
    return;
  }
  g.steady = true;
}

void Speaker::flush(Group& g) {
  g.fresh = false;  // from here on its members may have been sent part of the table
  const int family = bgp::family_index(g.out->family());
  auto exporter = [this, &g](const bgp::Prefix& p, const rib::Path& path) {
    return export_path(g, p, path);
  };
  while (g.out->pending()) {
    std::vector<Peer*> slow;
    for (Peer* m : g.members)
      if (m->session->queued_bytes() >= kLowWater) slow.push_back(m);
    if (slow.size() == g.members.size()) return;  // on_drain brings us back
    if (!slow.empty()) {
      // Some members can take more and some cannot: the slow ones continue from a copy of
      // the queue, the others go on now.
      if (Group* lag = new_group(family, g.key, g.policy)) {
        lag->out->copy_queue(*g.out, *ribs_[family]);
        for (Peer* m : slow) {
          std::erase(g.members, m);
          m->group[family] = lag;
          lag->members.push_back(m);
        }
        forget_exports(g);
      } else {
        return;  // no slot to split into: wait for everyone
      }
    }
    std::vector<std::shared_ptr<const bgp::Bytes>> msgs;
    for (auto& m : g.out->pull(kLowWater, *ribs_[family], exporter))
      msgs.push_back(std::make_shared<const bgp::Bytes>(std::move(m)));
    for (Peer* m : g.members)
      for (const auto& msg : msgs)
        m->session->send_encoded(msg);
  }
  drained(g);
}

void Speaker::flush(Peer& p) {
  for (int f = 0; f < bgp::kFamilyCount; ++f)
    if (p.group[f]) flush(*p.group[f]);
}

void Speaker::schedule_flush() {
  // Several UPDATEs read in one go, or many routes originated in a row, go out together:
  // the flush runs once the loop has nothing else queued.
  if (flush_posted_) return;
  flush_posted_ = true;
  bgp::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    flush_posted_ = false;
    flush_all();
  });
}

void Speaker::flush_all() {
  for (int f = 0; f < bgp::kFamilyCount; ++f) {
    // flush() may merge and destroy groups: walk a snapshot, checking each is still there.
    std::vector<Group*> gs;
    for (auto& g : groups_[f])
      gs.push_back(g.get());
    for (Group* g : gs) {
      const bool alive = std::any_of(groups_[f].begin(), groups_[f].end(),
                                     [&](const auto& x) { return x.get() == g; });
      if (alive) flush(*g);
    }
  }
}

}  // namespace tern
