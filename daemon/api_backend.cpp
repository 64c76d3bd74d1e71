#include "daemon/api_backend.hpp"

#include <future>

#include "api/kinds.hpp"
#include "daemon/intent/objects.hpp"
#include "daemon/intent/validate.hpp"
#include "daemon/plan_diff.hpp"
#include "daemon/route_feed.hpp"
#include "fib/encap.hpp"
#include "rib/policy.hpp"

namespace tern {

namespace {

using namespace std::chrono;

constexpr auto kLoopTimeout = seconds(10);
constexpr uint32_t kDefaultLimit = 10000;

int64_t unix_ms(system_clock::time_point t) {
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

int64_t unix_ms(bgp::Clock::time_point t) {
  return unix_ms(system_clock::now() -
                 duration_cast<system_clock::duration>(bgp::Clock::now() - t));
}

std::string dotted(uint32_t v) {
  return bgp::to_string(bgp::IpAddr::v4(v));
}

const char* peer_type(plan::PeerKind k) {
  switch (k) {
    case plan::PeerKind::kMesh:
      return "node-to-node mesh";
    case plan::PeerKind::kGlobal:
      return "global";
    case plan::PeerKind::kNode:
      return "node specific";
  }
  return "";
}

std::vector<std::string> capabilities(const bgp::Negotiated& n) {
  std::vector<std::string> c;
  if (n.codec.four_octet_as) c.push_back("4-octet-as");
  if (n.route_refresh) c.push_back("route-refresh");
  if (n.enhanced_route_refresh) c.push_back("enhanced-route-refresh");
  if (n.codec.extended_message) c.push_back("extended-message");
  if (n.peer_graceful_restart) c.push_back("graceful-restart");
  if (n.peer_long_lived_gr) c.push_back("long-lived-graceful-restart");
  for (int f = 0; f < bgp::kFamilyCount; ++f) {
    const std::string name = bgp::kFamilies[f].name;
    if (n.families[f]) c.push_back("mp:" + name);
    if (n.codec.add_path_send[f] || n.codec.add_path_receive[f])
      c.push_back("add-path:" + name + ":" +
                  (n.codec.add_path_send[f] && n.codec.add_path_receive[f] ? "both"
                   : n.codec.add_path_send[f]                              ? "send"
                                                                           : "receive"));
  }
  return c;
}

std::string community(uint32_t c) {
  return std::to_string(c >> 16) + ":" + std::to_string(c & 0xffff);
}

void fill_path(const Speaker& sp, const rib::Path& p, bool best, bool multipath,
               api::RoutePath* out) {
  const auto& a = p.attrs->attrs();
  out->set_peer(sp.peer_name(p.peer));
  if (a.next_hop) out->set_next_hop(bgp::to_string(*a.next_hop));
  out->set_path_id(p.path_id);
  if (a.as_path)
    for (const auto& seg : a.as_path->segments)
      for (auto as : seg.asns)
        out->add_as_path(as);
  if (a.origin)
    out->set_origin(*a.origin == bgp::Origin::kIgp   ? "igp"
                    : *a.origin == bgp::Origin::kEgp ? "egp"
                                                     : "incomplete");
  out->set_local_pref(a.local_pref.value_or(0));
  out->set_med(a.med.value_or(0));
  if (a.communities)
    for (auto c : *a.communities)
      out->add_communities(community(c));
  if (a.large_communities)
    for (const auto& c : *a.large_communities)
      out->add_large_communities(std::to_string(c.global) + ":" + std::to_string(c.local1) + ":" +
                                 std::to_string(c.local2));
  if (a.originator_id) out->set_originator_id(dotted(*a.originator_id));
  if (a.cluster_list)
    for (auto c : *a.cluster_list)
      out->add_cluster_list(dotted(c));
  out->set_best(best);
  out->set_multipath(multipath);
  out->set_stale(p.stale);
  if (p.rejected) {
    out->set_refused(rib::to_string(static_cast<rib::ImportVerdict>(p.rejected)));
  } else if (!multipath) {
    out->set_lost_at(rib::to_string(p.lost_at()));
  }
}

void fill_route(const Speaker& sp, const bgp::Prefix& prefix, const rib::RouteEntry& e,
                const std::string& peer, api::Route* out) {
  out->set_prefix(bgp::to_string(prefix));
  const size_t mp = e.multipath().size();
  size_t i = 0;
  for (const auto& p : e.paths()) {
    const bool in_mp = i < mp;
    if (peer.empty() || sp.peer_name(p.peer) == peer)
      fill_path(sp, p, i == 0 && mp > 0, in_mp, out->add_paths());
    ++i;
  }
}

void fill_fib_summary(const fib::FibStatus& f, api::FibSummary* s) {
  s->set_wanted(f.wanted);
  s->set_installed(f.installed);
  s->set_not_ours(f.not_ours);
  s->set_parked(f.parked);
  s->set_failed(f.failed);
  s->set_stale(f.stale);
  s->set_swept(f.swept);
  s->set_routes_written(f.routes_written);
  s->set_routes_deleted(f.routes_deleted);
  s->set_write_errors(f.write_errors);
  s->set_batches(f.batches);
  s->set_last_error(f.last_error);
}

void fill_fib_entry(const fib::FibRouteView& v, api::FibEntry* e) {
  e->set_prefix(bgp::to_string(v.prefix));
  e->set_shape(v.shape);
  e->set_state(v.state);
  e->set_reason(v.attempts ? v.reason + " (" + std::to_string(v.attempts) + " attempts)"
                           : v.reason);
}

std::optional<bgp::Prefix> parse_prefix(const std::string& text) {
  auto p = bgp::Prefix::parse(text);
  if (p) return p;
  // A bare address asks about its host route.
  if (auto a = bgp::IpAddr::parse(text))
    return bgp::Prefix::parse(text + (a->afi == bgp::Afi::kIpv4 ? "/32" : "/128"));
  return std::nullopt;
}

api::Error bad(std::string field, std::string message, int status = 400) {
  return api::Error{status, std::move(field), std::move(message)};
}

// The first validation error names the field; the message lists them all.
api::Error refused(const std::vector<intent::ValidationError>& errors) {
  std::string msg;
  for (size_t i = 0; i < errors.size(); ++i)
    msg += (i ? "; " : "") + errors[i].to_string();
  return api::Error{422, errors.front().field, msg};
}

}  // namespace

class TerndBackend::Handle final : public api::Subscription {
 public:
  Handle(TerndBackend& b, std::shared_ptr<Watcher> w) : b_(b), w_(std::move(w)) {}
  ~Handle() override {
    std::lock_guard lock(b_.mu_);
    w_->done = true;
    if (b_.watchers_.remove(w_) && w_->request.routes()) --b_.route_watchers_;
  }

 private:
  TerndBackend& b_;
  std::shared_ptr<Watcher> w_;
};

TerndBackend::TerndBackend(bgp::asio::io_context& io, Ternd& ternd, std::function<void(bool)> stop)
    : io_(io), ternd_(ternd), stop_(std::move(stop)) {
  ternd_.on_session_change = [this](const bgp::Session& s, bgp::State from, bgp::State to) {
    api::Event e;
    e.set_time_unix_ms(unix_ms(system_clock::now()));
    auto* x = e.mutable_session();
    x->set_name(s.config().name);
    x->set_from_state(bgp::to_string(from));
    x->set_to_state(bgp::to_string(to));
    x->set_reason(s.snapshot().counters.last_error);
    publish(e);
  };
  ternd_.on_route_change = [this](const rib::BestChange& c) {
    // Every route change of a table load passes here: no lock unless someone watches routes.
    if (route_watchers_.load(std::memory_order_relaxed) == 0) return;
    api::Event e;
    e.set_time_unix_ms(unix_ms(system_clock::now()));
    auto* r = e.mutable_route();
    r->set_prefix(bgp::to_string(c.prefix));
    r->set_action(c.after.empty() ? "unreachable" : "best");
    std::string hops;
    for (const auto& p : c.after)
      if (const auto& nh = p.attrs->attrs().next_hop)
        hops += (hops.empty() ? "" : ",") + bgp::to_string(*nh);
    r->set_next_hops(hops);
    if (!c.after.empty() && ternd_.speaker())
      r->set_peer(ternd_.speaker()->peer_name(c.after.front().peer));
    publish(e);
  };
}

TerndBackend::~TerndBackend() {
  ternd_.on_session_change = nullptr;
  ternd_.on_route_change = nullptr;
}

template <typename T>
api::Result<T> TerndBackend::on_loop(std::function<api::Result<T>()> f) {
  auto task = std::make_shared<std::packaged_task<api::Result<T>()>>(std::move(f));
  auto result = task->get_future();
  bgp::asio::post(io_, [task] { (*task)(); });
  if (result.wait_for(kLoopTimeout) != std::future_status::ready)
    return api::Error{503, "", "ternd's main loop did not answer in time"};
  try {
    return result.get();
  } catch (const std::future_error&) {  // the loop ended with the task unrun: ternd stops
    return api::Error{503, "", "ternd is stopping"};
  }
}

api::Result<api::ChangeResponse> TerndBackend::change(
    std::function<std::optional<api::Error>(api::Intent&)> edit, bool dry_run) {
  return on_loop<api::ChangeResponse>([this, edit, dry_run]() -> api::Result<api::ChangeResponse> {
    api::Intent next = ternd_.intent();
    if (auto err = edit(next)) return *err;
    if (auto errors = intent::validate(next); !errors.empty()) return refused(errors);
    const plan::Plan& before = ternd_.current_plan();
    const plan::Plan after = ternd_.plan_for(next);
    api::ChangeResponse r;
    r.set_dry_run(dry_run);
    diff_sessions(before, after, r);
    diff_originations(before, after, r);
    RibWalk walk;
    if (const Speaker* sp = ternd_.speaker()) {
      walk = [sp](const auto& visit) {
        for (int f = 0; f < bgp::kFamilyCount; ++f)
          sp->rib(bgp::kFamilies[f].family)
              .for_each(
                  [&](const bgp::Prefix& p, const rib::RouteEntry& e) { visit(p, e.multipath()); });
      };
    }
    diff_kernel_routes(before, after, walk, r);
    for (const auto& n : after.notes)
      r.add_notes(n);
    if (!dry_run) {
      if (auto err = ternd_.apply_intent(std::move(next)); !err.empty())
        return api::Error{500, "", err};
    }
    r.set_revision(ternd_.intent().revision());
    return r;
  });
}

api::Result<api::ChangeResponse> TerndBackend::create(const api::Object& object, bool dry_run) {
  const auto* kind = api::kind_of(object);
  if (!kind) return bad("", "the object has no kind");
  const std::string name = api::object_name(object);
  if (name.empty()) return bad("metadata.name", "required");
  return change(
      [=](api::Intent& in) -> std::optional<api::Error> {
        if (intent::find(in, *kind, name))
          return api::Error{409, "metadata.name",
                            std::string(kind->kind) + " \"" + name + "\" already exists"};
        intent::upsert(in, object);
        return std::nullopt;
      },
      dry_run);
}

api::Result<api::ChangeResponse> TerndBackend::replace(const api::Object& object, bool dry_run) {
  if (!api::kind_of(object)) return bad("", "the object has no kind");
  if (api::object_name(object).empty()) return bad("metadata.name", "required");
  return change(
      [=](api::Intent& in) -> std::optional<api::Error> {
        intent::upsert(in, object);
        return std::nullopt;
      },
      dry_run);
}

api::Result<api::ChangeResponse> TerndBackend::apply(const api::Intent& objects, bool dry_run) {
  const auto all = intent::objects(objects);
  if (all.empty()) return bad("objects", "no objects to apply");
  for (size_t i = 0; i < all.size(); ++i)
    if (api::object_name(all[i]).empty())
      return bad("objects[" + std::to_string(i) + "].metadata.name", "required");
  return change(
      [all](api::Intent& in) -> std::optional<api::Error> {
        for (const auto& o : all)
          intent::upsert(in, o);
        return std::nullopt;
      },
      dry_run);
}

api::Result<api::ChangeResponse> TerndBackend::remove(const api::ObjectRef& ref, bool dry_run) {
  const auto* kind = api::find_kind(ref.kind());
  if (!kind) return bad("kind", "unknown kind \"" + ref.kind() + "\"", 404);
  return change(
      [kind, ref](api::Intent& in) -> std::optional<api::Error> {
        if (!intent::remove(in, *kind, ref.name()))
          return api::Error{404, "name",
                            std::string(kind->kind) + " \"" + ref.name() + "\" not found"};
        return std::nullopt;
      },
      dry_run);
}

api::Result<api::Object> TerndBackend::get(const api::ObjectRef& ref) {
  const auto* kind = api::find_kind(ref.kind());
  if (!kind) return bad("kind", "unknown kind \"" + ref.kind() + "\"", 404);
  return on_loop<api::Object>([this, kind, ref]() -> api::Result<api::Object> {
    auto o = intent::find(ternd_.intent(), *kind, ref.name());
    if (!o)
      return api::Error{404, "name", std::string(kind->kind) + " \"" + ref.name() + "\" not found"};
    return *o;
  });
}

api::Result<api::ListResponse> TerndBackend::list(const std::string& kind_name) {
  const auto* kind = api::find_kind(kind_name);
  if (!kind) return bad("kind", "unknown kind \"" + kind_name + "\"", 404);
  return on_loop<api::ListResponse>([this, kind]() -> api::Result<api::ListResponse> {
    api::ListResponse r;
    for (auto& o : intent::list(ternd_.intent(), *kind))
      *r.add_objects() = std::move(o);
    return r;
  });
}

api::StatusResponse TerndBackend::status() {
  auto r = on_loop<api::StatusResponse>([this]() -> api::Result<api::StatusResponse> {
    const TerndStatus s = ternd_.status();
    const plan::Plan& plan = ternd_.current_plan();
    api::StatusResponse out;
    out.set_node(s.node_name);
    out.set_backend(s.backend);
    out.set_bgp_enabled(s.bgp_enabled);
    out.set_bgp_needed(s.bgp_needed);
    out.set_router_id(dotted(plan.router_id));
    out.set_as_number(plan.local_as);
    if (plan.cluster_id) out.set_cluster_id(dotted(plan.cluster_id));
    out.set_ready(s.readiness.ready);
    out.set_ready_reason(s.readiness.reason);
    out.set_live(true);
    out.set_intent_revision(s.intent_revision);
    for (const auto& n : s.notes)
      out.add_notes(n);
    out.set_last_error(s.last_error);
    if (s.fib) fill_fib_summary(*s.fib, out.mutable_fib());
    out.set_routes_ipv4(s.routes_v4);
    out.set_routes_ipv6(s.routes_v6);
    out.set_started_unix_ms(unix_ms(ternd_.started()));

    const Speaker* sp = ternd_.speaker();
    for (const auto& planned : plan.peers) {
      auto* p = out.add_peers();
      p->set_name(planned.name);
      std::string addr = bgp::to_string(planned.address);
      if (planned.port != 179) addr += ":" + std::to_string(planned.port);
      p->set_address(addr);
      p->set_type(peer_type(planned.kind));
      p->set_peer_as(planned.peer_as);
      p->set_local_as(planned.local_as);
      const bgp::SessionSnapshot* snap = nullptr;
      for (const auto& x : s.sessions)
        if (x.name == planned.name) snap = &x;
      if (!snap) {
        p->set_state("down");
        p->set_info("not started");
        continue;
      }
      const bool up = snap->state == bgp::State::kEstablished;
      p->set_fsm_state(bgp::to_string(snap->state));
      p->set_state(up ? "up" : "start");
      p->set_since_unix_ms(unix_ms(snap->since));
      std::string info = bgp::to_string(snap->state);
      if (!up && !snap->counters.last_error.empty()) info += ": " + snap->counters.last_error;
      p->set_info(info);
      p->set_last_error(snap->counters.last_error);
      p->set_updates_in(snap->counters.messages_in[2]);
      p->set_updates_out(snap->counters.messages_out[2]);
      p->set_established_count(snap->counters.established_count);
      for (size_t a = 1; a < snap->counters.update_errors.size(); ++a)
        if (const auto n = snap->counters.update_errors[a])
          (*p->mutable_update_errors())[bgp::to_string(static_cast<bgp::Action>(a))] = n;
      if (up && snap->negotiated) {
        const auto& n = *snap->negotiated;
        for (auto& c : capabilities(n))
          p->add_capabilities(c);
        p->set_hold_time(n.hold_time);
        p->set_keepalive_time(n.keepalive_time);
        p->set_peer_router_id(dotted(n.peer_id));
      }
      if (const rib::PeerId id = ternd_.peer_id(planned.name); sp && id) {
        uint64_t received = 0, accepted = 0;
        for (const auto& f : bgp::kFamilies) {
          const rib::PathCounts c = sp->rib(f.family).counts(id);
          received += c.received;
          accepted += c.accepted;
        }
        p->set_prefixes_received(received);
        p->set_prefixes_accepted(accepted);
      }
    }
    return out;
  });
  if (auto* s = std::get_if<api::StatusResponse>(&r)) return *s;
  api::StatusResponse down;
  down.set_live(false);
  down.set_ready_reason(std::get<api::Error>(r).message);
  return down;
}

api::Result<api::RoutesResponse> TerndBackend::routes(const api::RoutesRequest& req) {
  std::optional<bgp::Prefix> exact;
  if (!req.prefix().empty()) {
    exact = parse_prefix(req.prefix());
    if (!exact) return bad("prefix", "\"" + req.prefix() + "\" is not a prefix");
  }
  if (!req.family().empty() && req.family() != "ipv4" && req.family() != "ipv6")
    return bad("family", "must be ipv4 or ipv6, got \"" + req.family() + "\"");
  const size_t limit = req.limit() ? req.limit() : kDefaultLimit;
  return on_loop<api::RoutesResponse>([this, req, exact,
                                       limit]() -> api::Result<api::RoutesResponse> {
    api::RoutesResponse r;
    const Speaker* sp = ternd_.speaker();
    if (!sp) return r;
    for (int f = 0; f < bgp::kFamilyCount; ++f) {
      const auto fam = bgp::kFamilies[f].family;
      if (!req.family().empty() && req.family() != (fam.afi == bgp::Afi::kIpv4 ? "ipv4" : "ipv6"))
        continue;
      const auto& rib = sp->rib(fam);
      if (exact) {
        if (exact->afi != fam.afi) continue;
        if (const auto* e = rib.entry(*exact); e && !e->empty())
          fill_route(*sp, *exact, *e, req.peer(), r.add_routes());
        continue;
      }
      rib.for_each([&](const bgp::Prefix& p, const rib::RouteEntry& e) {
        if (e.empty()) return;
        if (static_cast<size_t>(r.routes_size()) >= limit) {
          r.set_truncated(true);
          return;
        }
        api::Route route;
        fill_route(*sp, p, e, req.peer(), &route);
        if (route.paths_size()) *r.add_routes() = std::move(route);
      });
    }
    return r;
  });
}

api::Result<api::FibResponse> TerndBackend::fib(const api::FibRequest& req) {
  std::optional<bgp::Prefix> prefix;
  if (!req.prefix().empty()) {
    prefix = parse_prefix(req.prefix());
    if (!prefix) return bad("prefix", "\"" + req.prefix() + "\" is not a prefix");
  }
  fib::FibWriter* w = ternd_.writer();
  if (!w) return bad("", "this ternd writes no kernel routes (--no-fib)", 404);
  auto view = w->view(prefix, kDefaultLimit);
  if (view.wait_for(kLoopTimeout) != std::future_status::ready)
    return api::Error{503, "", "the FIB writer did not answer in time"};
  api::FibResponse r;
  fib::FibView v;
  try {
    v = view.get();
  } catch (const std::future_error&) {
    return api::Error{503, "", "the FIB writer has stopped"};
  }
  for (const auto& x : v.routes)
    fill_fib_entry(x, r.add_routes());
  r.set_truncated(v.truncated);
  if (auto s = w->status()) fill_fib_summary(*s, r.mutable_summary());
  return r;
}

api::Result<api::ExplainResponse> TerndBackend::explain(const api::ExplainRequest& req) {
  const auto prefix = parse_prefix(req.prefix());
  if (!prefix) return bad("prefix", "\"" + req.prefix() + "\" is not a prefix");
  auto r = on_loop<api::ExplainResponse>([this, prefix]() -> api::Result<api::ExplainResponse> {
    api::ExplainResponse out;
    out.set_prefix(bgp::to_string(*prefix));
    const plan::Plan& plan = ternd_.current_plan();
    const Speaker* sp = ternd_.speaker();
    const rib::RouteEntry* e = sp ? sp->rib(prefix->family()).entry(*prefix) : nullptr;
    std::span<const rib::Path> mp;
    if (e && !e->empty()) {
      fill_route(*sp, *prefix, *e, "", out.mutable_route());
      mp = e->multipath();
      size_t i = 0;
      for (const auto& p : e->paths()) {
        std::string who = sp->peer_name(p.peer);
        if (const auto& nh = p.attrs->attrs().next_hop; nh && p.peer != rib::kLocalPeer)
          who += " via " + bgp::to_string(*nh);
        if (p.rejected) {
          out.add_decision(who + ": refused on import (" +
                           rib::to_string(static_cast<rib::ImportVerdict>(p.rejected)) + ")");
        } else if (i == 0 && !mp.empty()) {
          out.add_decision(who + ": best path");
        } else if (i < mp.size()) {
          out.add_decision(who + ": equal cost, in the multipath set");
        } else {
          out.add_decision(who + ": lost at " + rib::to_string(p.lost_at()));
        }
        ++i;
      }
    } else {
      out.add_decision("no path to " + bgp::to_string(*prefix) + " in the RIB");
    }
    if (const auto* pool = fib::pool_of(*prefix, plan.encap.pools)) {
      out.set_pool(bgp::to_string(pool->cidr));
      out.set_ipip_mode(fib::to_string(pool->ipip));
      out.set_vxlan_mode(fib::to_string(pool->vxlan));
    }
    if (!mp.empty() && mp.front().peer != rib::kLocalPeer) {
      if (const auto& nh = mp.front().attrs->attrs().next_hop) {
        out.set_next_hop(bgp::to_string(*nh));
        if (plan.encap.node_network) {
          const bool inside = fib::contains(*plan.encap.node_network, *nh);
          out.set_subnet_test(bgp::to_string(*nh) + (inside ? " is inside " : " is outside ") +
                              bgp::to_string(*plan.encap.node_network) + " (this node's subnet)");
        } else {
          out.set_subnet_test("this node's subnet is unknown (no ipv4Address with a mask)");
        }
      }
    }
    if (auto w = wanted_route(*prefix, mp, feed_rules(plan))) {
      const auto shape = fib::decide_shape(*w, plan.encap);
      out.set_shape(shape.kind == fib::ShapeKind::kNone ? "none" : fib::shape_text(shape));
      out.set_encap_reason(shape.reason);
    } else if (!mp.empty()) {
      out.set_shape("none");
      out.set_encap_reason(mp.front().peer == rib::kLocalPeer
                               ? "originated here and not blackholed (a borrowed address: the "
                                 "node agent routes it to the workload)"
                               : "inside a service range: not installed (kube-proxy's traffic)");
    }
    return out;
  });
  auto* out = std::get_if<api::ExplainResponse>(&r);
  if (out && ternd_.writer()) {
    auto view = ternd_.writer()->view(*prefix, 1);
    if (view.wait_for(kLoopTimeout) == std::future_status::ready) {
      try {
        const auto v = view.get();
        if (!v.routes.empty()) fill_fib_entry(v.routes.front(), out->mutable_fib());
      } catch (const std::future_error&) {  // the writer stopped: no FIB part
      }
    }
  }
  return r;
}

api::HealthResponse TerndBackend::health() {
  const auto s = status();
  api::HealthResponse h;
  h.set_live(s.live());
  h.set_ready(s.ready());
  if (!s.ready_reason().empty()) h.add_reasons(s.ready_reason());
  return h;
}

std::unique_ptr<api::Subscription> TerndBackend::watch(
    const api::WatchRequest& request, std::function<bool(const api::Event&)> sink) {
  auto w = std::make_shared<Watcher>();
  w->request = request;
  if (!w->request.sessions() && !w->request.routes()) {
    w->request.set_sessions(true);
    w->request.set_routes(true);
  }
  w->sink = std::move(sink);
  std::lock_guard lock(mu_);
  watchers_.push_back(w);
  if (w->request.routes()) ++route_watchers_;
  return std::make_unique<Handle>(*this, w);
}

void TerndBackend::publish(const api::Event& e) {
  std::lock_guard lock(mu_);
  for (auto it = watchers_.begin(); it != watchers_.end();) {
    auto& w = **it;
    const bool wanted = e.has_session() ? w.request.sessions() : w.request.routes();
    if (wanted && !w.done && !w.sink(e)) {
      w.done = true;
      if (w.request.routes()) --route_watchers_;
      it = watchers_.erase(it);
    } else {
      ++it;
    }
  }
}

void TerndBackend::stop(bool hard) {
  bgp::asio::post(io_, [this, hard] { stop_(hard); });
}

}  // namespace tern
