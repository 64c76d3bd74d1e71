#include "daemon/ternd.hpp"

#include <spdlog/spdlog.h>

#include <fstream>

#include "daemon/intent/manifest.hpp"
#include "daemon/intent/store.hpp"
#include "daemon/intent/validate.hpp"
#include "daemon/status_json.hpp"
#include "fib/netlink_writer.hpp"

namespace tern {

namespace {

// Everything but the store's revision counter.
bool same_intent(const api::Intent& a, const api::Intent& b) {
  api::Intent x = a, y = b;
  x.set_revision(0);
  y.set_revision(0);
  return x.SerializeAsString() == y.SerializeAsString();
}

// What makes the speaker itself: a change here restarts every session (as a Calico node's
// BIRD restarts when its AS or router id changes).
bool same_identity(const plan::Plan& a, const plan::Plan& b) {
  return a.bgp_enabled == b.bgp_enabled && a.local_as == b.local_as && a.router_id == b.router_id &&
         a.cluster_id == b.cluster_id && a.listen_port == b.listen_port &&
         a.bind_address == b.bind_address && a.ipv4_address == b.ipv4_address &&
         a.ipv6_address == b.ipv6_address;
}

const char* backend_name(plan::Backend b) {
  switch (b) {
    case plan::Backend::kBird:
      return "bird";
    case plan::Backend::kVxlan:
      return "vxlan";
    case plan::Backend::kNone:
      return "none";
  }
  return "?";
}

}  // namespace

// The plan's encap with the tunnel settings this ternd was started with.
fib::EncapConfig Ternd::encap_for(const plan::Plan& p) const {
  auto encap = p.encap;
  encap.tunnel_device = options_.tunnel_device;
  encap.tunnel_routes_owned_by_agent = options_.agent_owns_tunnels;
  return encap;
}

Ternd::Ternd(bgp::asio::io_context& io, TerndOptions options)
    : io_(io), options_(std::move(options)), timer_(io) {}

Ternd::~Ternd() {
  // The descriptor belongs to the monitor's socket, which closes it.
  if (monitor_fd_) monitor_fd_->release();
}

const api::Intent& Ternd::intent() const {
  return store_->intent();
}

std::string Ternd::start() {
  auto opened = intent::IntentStore::open(options_.store_path);
  if (auto* e = std::get_if<intent::StoreError>(&opened)) return e->message;
  store_ = std::make_unique<intent::IntentStore>(std::move(std::get<intent::IntentStore>(opened)));
  restarting_ = store_->intent().revision() > 0;
  if (!options_.intent_file.empty())
    if (auto err = reload(); !err.empty()) return err;

  if (options_.fib && options_.backend == plan::Backend::kBird) start_learning();
  base_plan_ = plan::make_plan(store_->intent(), options_.node_name, options_.backend);
  plan_ = with_learned(base_plan_);
  for (const auto& n : plan_.notes)
    spdlog::warn("plan: {}", n);

  if (options_.fib) {
    std::string error;
    auto w = fib::NetlinkWriter::start(options_.writer, &error);
    if (!w) return "cannot start the FIB writer: " + error;
    writer_ = std::move(w);
    writer_->set_config(encap_for(plan_));
    feed_ = std::make_unique<RouteFeed>(*writer_);
    feed_->set_rules(feed_rules(plan_));
  }
  if (plan_.bgp_enabled) start_bgp(constructed_);
  check_initial_sync();
  spdlog::info("ternd: node {} backend {} intent revision {}; BGP {}", options_.node_name,
               backend_name(options_.backend), store_->intent().revision(),
               plan_.bgp_enabled ? "on" : "off");
  tick();
  return "";
}

std::string Ternd::reload() {
  if (options_.intent_file.empty()) return "";
  auto read = intent::read_manifest_file(options_.intent_file);
  if (auto* e = std::get_if<intent::ManifestError>(&read)) {
    last_error_ = e->to_string();
    spdlog::error("intent {}: {}", options_.intent_file, last_error_);
    return last_error_;
  }
  return apply_intent(std::move(std::get<api::Intent>(read)));
}

std::string Ternd::apply_intent(api::Intent next) {
  if (auto errors = intent::validate(next); !errors.empty()) {
    std::string msg = "intent refused (" + std::to_string(errors.size()) + " error" +
                      (errors.size() > 1 ? "s" : "") + "): ";
    for (size_t i = 0; i < errors.size(); ++i)
      msg += (i ? "; " : "") + errors[i].to_string();
    last_error_ = msg;
    spdlog::error("{}", msg);
    return msg;
  }
  next.set_revision(store_->intent().revision());
  if (same_intent(next, store_->intent())) return "";
  if (auto err = store_->commit(std::move(next))) {
    last_error_ = "intent not saved: " + err->message;
    spdlog::error("{}", last_error_);
    return last_error_;
  }
  last_error_.clear();
  spdlog::info("intent revision {} saved", store_->intent().revision());
  // Before start() has run there is nothing to apply yet.
  if (writer_ || speaker_)
    apply_plan(plan::make_plan(store_->intent(), options_.node_name, options_.backend));
  return "";
}

plan::Plan Ternd::plan_for(const api::Intent& intent) const {
  return with_learned(plan::make_plan(intent, options_.node_name, options_.backend));
}

plan::Plan Ternd::with_learned(plan::Plan p) const {
  if (learned_.empty() || !p.bgp_enabled) return p;
  const std::vector<bgp::Prefix> learned(learned_.begin(), learned_.end());
  for (const auto& b : fib::borrowed(learned, p.encap.pools, p.own_blocks)) {
    const bool known = std::any_of(p.originate.begin(), p.originate.end(),
                                   [&](const plan::Origination& o) { return o.prefix == b; });
    if (!known) p.originate.push_back({b, plan::Origination::Kind::kBorrowed});
  }
  std::sort(p.originate.begin(), p.originate.end(),
            [](const auto& a, const auto& b) { return a.prefix < b.prefix; });
  return p;
}

void Ternd::start_learning() {
  fib::WorkloadMonitorOptions mo;
  mo.learn.our_protocol = options_.writer.protocol;
  std::string error;
  monitor_ = fib::WorkloadMonitor::open(mo, &error);
  if (!monitor_) {
    spdlog::error("cannot watch workload routes (borrowed addresses are not learned): {}", error);
    return;
  }
  for (const auto& r : monitor_->read().added)
    learned_.insert(r.prefix);
  monitor_fd_ = std::make_unique<boost::asio::posix::stream_descriptor>(io_, monitor_->fd());
  wait_learned();
}

void Ternd::wait_learned() {
  monitor_fd_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                          [this](const boost::system::error_code& ec) {
                            if (ec) return;
                            const auto ch = monitor_->read();
                            for (const auto& r : ch.removed)
                              learned_.erase(r.prefix);
                            for (const auto& r : ch.added)
                              learned_.insert(r.prefix);
                            if (!ch.empty() && (writer_ || speaker_)) apply_plan(base_plan_);
                            wait_learned();
                          });
}

void Ternd::apply_plan(plan::Plan planned) {
  base_plan_ = planned;
  plan::Plan next = with_learned(std::move(planned));
  for (const auto& n : next.notes)
    if (std::find(plan_.notes.begin(), plan_.notes.end(), n) == plan_.notes.end())
      spdlog::warn("plan: {}", n);
  if (writer_) {
    if (!(next.encap == plan_.encap)) writer_->set_config(encap_for(next));
  }
  const bool identity = same_identity(plan_, next);
  const bool rules_changed = feed_ && feed_->set_rules(feed_rules(next));
  if (!identity) {
    if (speaker_) {
      spdlog::info("BGP identity changed: restarting every session");
      stop_bgp(true);
    }
    plan_ = std::move(next);
    if (plan_.bgp_enabled) {
      start_bgp();
    } else if (writer_) {
      // Nothing will come back: what the old speaker installed goes now.
      for (const auto& p : leftovers_)
        writer_->withdraw(p);
      leftovers_.clear();
    }
    check_initial_sync();
    return;
  }
  plan_ = std::move(next);
  if (speaker_) {
    auto ch = peering_->apply(plan_, false);
    for (const auto& n : ch.added)
      spdlog::info("peer {} added", n);
    for (const auto& n : ch.removed)
      spdlog::info("peer {} removed", n);
    for (const auto& n : ch.replaced)
      spdlog::info("peer {} changed: session reset", n);
    for (const auto& n : ch.refiltered)
      spdlog::info("peer {} filters changed: routes refreshed, session kept", n);
    if (ch.originated || ch.withdrawn)
      spdlog::info("originated {} routes, withdrew {}", ch.originated, ch.withdrawn);
  }
  if (rules_changed) replay_rib();
}

void Ternd::start_bgp(std::optional<bgp::Clock::time_point> delay_since) {
  speaker_ = std::make_unique<Speaker>(
      io_, rib::LocalIdentity{plan_.local_as, plan_.router_id, plan_.cluster_id});
  speaker_->on_best_change = [this](const rib::BestChange& c) {
    if (feed_) feed_->on_change(c.prefix, {c.after.data(), c.after.size()});
    if (on_route_change) on_route_change(c);
  };
  speaker_->on_session_change = [this](const bgp::Session& s, bgp::State from, bgp::State to) {
    if (on_session_change) on_session_change(s, from, to);
  };
  speaker_->on_end_of_rib = [this](rib::PeerId, bgp::Family) { check_initial_sync(); };
  bgp::asio::ip::address at;
  if (plan_.bind_address) {
    at = bgp::asio::ip::make_address(bgp::to_string(*plan_.bind_address));
  } else if (!plan_.ipv4_address && plan_.ipv6_address) {
    at = bgp::asio::ip::address_v6::any();
  } else {
    at = bgp::asio::ip::address_v4::any();
  }
  if (auto err = speaker_->listen({at, plan_.listen_port}); !err.empty()) {
    // Outgoing sessions still work; passive ones wait for the port.
    last_error_ = "cannot listen on port " + std::to_string(plan_.listen_port) + ": " + err;
    spdlog::error("{}", last_error_);
  }
  peering_ = std::make_unique<Peering>(*speaker_, options_.peer_limits, options_.min_hold_time,
                                       options_.send_hold);
  auto ch = peering_->apply(plan_, restarting_, delay_since);
  spdlog::info("BGP: AS {} router id {}; {} peers, {} routes originated", plan_.local_as,
               bgp::to_string(bgp::IpAddr::v4(plan_.router_id)), ch.added.size(), ch.originated);
  speaker_->start();
  bgp_started_ = std::chrono::steady_clock::now();
  initial_sync_sent_ = false;
}

void Ternd::stop_bgp(bool hard) {
  if (!speaker_) return;
  for (int f = 0; f < bgp::kFamilyCount; ++f)
    speaker_->rib(bgp::kFamilies[f].family)
        .for_each([&](const bgp::Prefix& p, const rib::RouteEntry&) { leftovers_.insert(p); });
  // The stopping sessions flush their routes from the old RIB; those withdrawals must not
  // reach the kernel, or every learned route would be gone until the new sessions are back
  // (a forwarding gap on any identity change). The leftovers are judged once they are.
  speaker_->on_best_change = nullptr;
  if (hard) speaker_->stop();
  peering_.reset();
  speaker_.reset();
  restarting_ = false;
}

void Ternd::replay_rib() {
  if (!speaker_ || !feed_) return;
  for (int f = 0; f < bgp::kFamilyCount; ++f)
    speaker_->rib(bgp::kFamilies[f].family)
        .for_each([&](const bgp::Prefix& p, const rib::RouteEntry& e) {
          feed_->on_change(p, e.multipath());
        });
}

void Ternd::check_initial_sync() {
  if (initial_sync_sent_) return;
  if (speaker_ && !speaker_->initial_exchange_done()) return;
  initial_sync_sent_ = true;
  // Our restart, if this was one, is over: sessions opened from now on say so.
  if (speaker_) speaker_->restart_done();
  if (!writer_) return;
  if (speaker_) {
    for (const auto& p : leftovers_) {
      const auto& rib = speaker_->rib(p.family());
      if (!rib.entry(p) || rib.entry(p)->multipath().empty()) writer_->withdraw(p);
    }
  } else {
    for (const auto& p : leftovers_)
      writer_->withdraw(p);
  }
  leftovers_.clear();
  writer_->initial_sync_done();
  spdlog::info("initial route exchange complete: stale kernel routes may go");
}

TerndStatus Ternd::status() const {
  TerndStatus s;
  s.node_name = options_.node_name;
  s.backend = backend_name(options_.backend);
  s.node_known = plan_.node_known;
  s.bgp_enabled = plan_.bgp_enabled;
  s.bgp_needed = plan_.bgp_needed;
  s.intent_revision = store_ ? store_->intent().revision() : 0;
  s.notes = plan_.notes;
  s.last_error = last_error_;
  if (writer_) s.fib = writer_->status();
  ReadinessInput in;
  in.bgp_enabled = plan_.bgp_enabled;
  if (speaker_) {
    s.sessions = speaker_->sessions();
    in.bgp_uptime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - bgp_started_);
    for (const auto& snap : s.sessions)
      in.sessions.push_back({snap.name, snap.state == bgp::State::kEstablished});
    in.graceful_restart_pending = restarting_ && !initial_sync_sent_;
    s.routes_v4 = speaker_->rib(bgp::kIpv4Unicast).size();
    s.routes_v6 = speaker_->rib(bgp::kIpv6Unicast).size();
  }
  s.readiness = judge_readiness(in);
  return s;
}

void Ternd::tick() {
  check_initial_sync();
  // A peer that never comes back does not keep us restarting past the FIB's own deferral.
  if (speaker_ && restarting_ && !initial_sync_sent_ &&
      std::chrono::steady_clock::now() - bgp_started_ >= options_.writer.stale_deferral)
    speaker_->restart_done();
  write_status();
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

void Ternd::write_status() const {
  if (options_.status_path.empty()) return;
  const std::string tmp = options_.status_path + ".tmp";
  {
    std::ofstream out(tmp);
    out << status_json(status());
  }
  std::rename(tmp.c_str(), options_.status_path.c_str());
}

void Ternd::stop(bool hard) {
  timer_.cancel();
  if (speaker_ && hard) speaker_->stop();
  if (writer_) {
    // What the kernel was asked for is written before we go; nothing is withdrawn.
    writer_->flush().wait_for(std::chrono::seconds(2));
  }
  write_status();
}

}  // namespace tern
