#include "fib/fib_engine.hpp"

#include <linux/rtnetlink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tern::fib {
namespace {

constexpr int kMonitorBuffer = 32 << 20;  // a burst of our own echoes while a batch lands
constexpr int kRequestBuffer = 8 << 20;   // error answers of a whole batch
// A round writes its ops in segments of this many: a table of a million routes then keeps a
// few megabytes of ops alive, not forty, at the cost of one pipeline drain per segment.
constexpr size_t kOpsSegment = 1 << 16;

// Grows a table once for a whole batch instead of rehashing its way there, and
// geometrically, so batches of a few routes each do not rehash every round.
template <typename Map>
void grow_for(Map& m, size_t n) {
  if (n <= m.bucket_count() * m.max_load_factor()) return;
  m.reserve(std::max(n, 2 * m.size()));
}

bool has_direct_hop(const RouteShape& s) {
  return std::any_of(s.hops.begin(), s.hops.end(),
                     [](const ShapeHop& h) { return h.via == HopVia::kDirect; });
}

}  // namespace

std::unique_ptr<FibEngine> FibEngine::open(WriterOptions options, std::string* error) {
  auto req = nl::Socket::open({}, kRequestBuffer, error);
  if (!req) return nullptr;
  // Subscribed before the first dump, so nothing that happens in between is missed.
  auto mon = nl::Socket::open({RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
                               RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE},
                              kMonitorBuffer, error);
  if (!mon) return nullptr;
  auto batches = nl::Socket::open({}, kRequestBuffer, error);
  if (!batches) return nullptr;
  // Every route we write would echo back as an RTM_NEWROUTE that the kernel queues and we
  // parse only to ignore (a third of a bulk write's cost); the filter drops them in the kernel.
  if (int err = mon->drop_own_route_echoes(options.protocol, options.table); err != 0)
    spdlog::warn("fib: no socket filter for our own route echoes ({}); reading them instead",
                 std::strerror(err));
  auto engine = std::make_unique<FibEngine>(std::move(options), std::move(req), std::move(mon),
                                            std::move(batches));
  if (int err = engine->host_.load_links(); err != 0) {
    *error = std::string("link dump: ") + std::strerror(err);
    return nullptr;
  }
  if (int err = engine->load_kernel_routes(); err != 0) {
    *error = std::string("route dump: ") + std::strerror(err);
    return nullptr;
  }
  // Whatever a previous run left is kept until the RIB has had its chance to want it again.
  for (const auto& [p, e] : engine->routes_)
    if (e.installed) engine->stale_.insert(p);
  engine->stale_deadline_ = Clock::now() + engine->opts_.stale_deferral;
  if (engine->installed_count_ > 0)
    spdlog::info("fib: adopted {} routes of protocol {} from a previous run as stale",
                 engine->installed_count_, engine->opts_.protocol);
  engine->publish();
  return engine;
}

FibEngine::FibEngine(WriterOptions options, std::unique_ptr<nl::Socket> requests,
                     std::unique_ptr<nl::Socket> monitor, std::unique_ptr<nl::Socket> batches)
    : opts_(std::move(options)),
      req_(std::move(requests)),
      monitor_(std::move(monitor)),
      host_(*req_, opts_.protocol),
      sender_(std::make_unique<nl::BatchSender>(std::move(batches))) {}

nl::RouteTag FibEngine::tag_for(std::optional<uint32_t> metric) const {
  return nl::RouteTag{opts_.protocol, opts_.table, metric.value_or(opts_.metric)};
}

WantedRoute FibEngine::wanted_route(const Prefix& p, const Entry& e) const {
  return WantedRoute{p, hop_lists_[e.next_hops], e.local};
}

void FibEngine::set_wanted(Entry& e, HopsId next_hops, bool local) {
  if (!e.next_hops && next_hops) ++wanted_count_;
  if (e.next_hops && !next_hops) --wanted_count_;
  hop_lists_.release(e.next_hops);
  e.next_hops = next_hops;
  e.local = local;
  e.direct = false;
}

void FibEngine::set_installed(Entry& e, FwdId fwd) {
  if (!e.installed && fwd) ++installed_count_;
  if (e.installed && !fwd) --installed_count_;
  forwardings_.release(e.installed);
  e.installed = fwd;
}

void FibEngine::adopt(const Prefix& p, KernelRoute&& route) {
  set_installed(routes_[p],
                forwardings_.acquire(KernelForwarding{route.blackhole, std::move(route.hops)}));
}

void FibEngine::clear_installed() {
  for (auto& [p, e] : routes_) {
    set_installed(e, 0);
    drop_later(p, e);
  }
}

void FibEngine::drop_later(const Prefix& p, const Entry& e) {
  if (!e.wanted() && !e.installed) emptied_.push_back(p);
}

int FibEngine::load_kernel_routes() {
  clear_installed();
  conflicts_.clear();
  odd_metric_.clear();
  for (uint8_t family : {uint8_t{AF_INET}, uint8_t{AF_INET6}}) {
    const uint32_t seq = req_->next_seq();
    const int err =
        req_->dump(nl::dump_request(seq, family, opts_.table), seq, [&](const nlmsghdr* h) {
          auto p = nl::parse_route(h);
          if (!p || p->cloned || p->table != opts_.table) return;
          const Prefix& dst = p->route.dst;
          if (p->protocol != opts_.protocol) {
            if (p->metric == our_metric(dst.afi)) conflicts_[dst] = p->protocol;
            return;
          }
          if (p->metric != our_metric(dst.afi)) {
            odd_metric_.emplace_back(dst, p->metric);
            return;
          }
          adopt(dst, std::move(p->route));
        });
    if (err != 0) return err;
  }
  return 0;
}

int FibEngine::timeout_ms() const {
  auto next = Clock::time_point::max();
  if (!swept_) next = stale_deadline_;
  for (const auto& [p, f] : failed_)
    next = std::min(next, f.next);
  if (next == Clock::time_point::max()) return -1;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count() + 1;
  return static_cast<int>(std::clamp<int64_t>(ms, 0, 60'000));
}

void FibEngine::apply(QueuedWork& work) {
  if (work.config && *work.config != config_) {
    config_ = std::move(*work.config);
    all_dirty_ = true;
  }
  // Two works before one round could name a prefix twice: the earlier ones go through dirty_.
  if (!fresh_.empty()) {
    for (const auto& [p, w] : fresh_)
      dirty_.insert(p);
    fresh_.clear();
  }
  grow_for(routes_, routes_.size() + work.routes.size());
  fresh_.reserve(work.routes.size());
  std::vector<HopsId> ids(work.hop_lists.size(), 0);  // the work's lists, interned once
  for (const auto& r : work.routes) {
    const Prefix& prefix = r.prefix;
    // Entries are erased only at the end of a round, so this one stays put until the round
    // evaluates it.
    Entry* entry = nullptr;
    if (r.wanted) {
      HopsId& id = ids[r.next_hops];
      if (id == 0) {
        id = hop_lists_.acquire(work.hop_lists[r.next_hops]);
      } else {
        hop_lists_.ref(id);
      }
      entry = &routes_[prefix];
      set_wanted(*entry, id, r.local_block);
      if (!stale_.empty()) stale_.erase(prefix);  // claimed: current from now on
    } else if (auto it = routes_.find(prefix); it != routes_.end()) {
      entry = &it->second;
      set_wanted(*entry, 0, false);
      drop_later(prefix, *entry);
    }
    fresh_.emplace_back(prefix, entry);
  }
  // Everything is in routes_ now; a table's worth of queued routes need not live through the
  // round that writes it.
  std::vector<QueuedRoute>().swap(work.routes);
  if (work.initial_sync_done && !sync_done_) {
    sync_done_ = true;
    spdlog::debug("fib: initial exchange complete");
  }
  if (work.reconcile) reconcile_ = true;
}

void FibEngine::on_monitor_message(const nlmsghdr* h) {
  switch (h->nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
      if (host_.apply_link(h)) links_changed_ = true;
      return;
    case RTM_NEWADDR:
    case RTM_DELADDR:
      reachability_changed_ = true;
      return;
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
      break;
    default:
      return;
  }
  auto p = nl::parse_route(h);
  if (!p || p->cloned) return;
  const Prefix& dst = p->route.dst;
  if (p->protocol == opts_.protocol && p->table == opts_.table) {
    // Our own writes echo back here. A delete of a route we still think installed was done by
    // someone else (an admin, or the kernel dropping it with its device): write it again.
    if (p->deleted && p->metric == our_metric(dst.afi)) {
      if (writing_) {
        // A round's pending ops point into routes_: nothing changes under them.
        deleted_while_writing_.push_back(std::move(p->route));
      } else {
        forget_if_installed(p->route);
      }
    }
    return;
  }
  if (p->table == opts_.table && p->metric == our_metric(dst.afi)) {
    if (p->deleted) {
      conflicts_.erase(dst);
    } else {
      conflicts_[dst] = p->protocol;
    }
    dirty_.insert(dst);
  }
  // Another program's route changed: a next hop we resolved may now be reached differently.
  reachability_changed_ = true;
}

void FibEngine::forget_if_installed(const KernelRoute& route) {
  auto it = routes_.find(route.dst);
  if (it == routes_.end() || !it->second.installed) return;
  const KernelForwarding& held = forwardings_[it->second.installed];
  if (held.blackhole == route.blackhole && held.hops == route.hops) {
    set_installed(it->second, 0);
    dirty_.insert(route.dst);
    drop_later(route.dst, it->second);
  }
}

void FibEngine::read_monitor() {
  const int err = monitor_->drain([this](const nlmsghdr* h) { on_monitor_message(h); });
  if (err == ENOBUFS) {
    // Notifications were lost: rebuild everything they could have told us.
    spdlog::warn("fib: netlink notifications overflowed; reloading links and routes");
    host_.load_links();
    links_changed_ = true;
    reconcile_ = true;
  } else if (err != 0) {
    last_error_ = std::string("monitor: ") + std::strerror(err);
  }
}

void FibEngine::forget_decisions() {
  for (const auto& [key, d] : decided_)
    forwardings_.release(d.fwd);
  decided_.clear();
  last_key_ = nullptr;
  last_decided_ = nullptr;
}

const FibEngine::Decided& FibEngine::decide(const Prefix& p, const Entry& w) {
  const IpPool* pool = pool_of(p, config_.pools);
  if (last_key_ && last_key_->pool == pool && last_key_->afi == p.afi &&
      last_key_->local == w.local && last_key_->next_hops == w.next_hops)
    return *last_decided_;
  // The key's next-hop id holds no reference: decisions never outlive the round, and the
  // entries (which hold them) change what they want only between rounds.
  if (decided_.size() >= 4096) forget_decisions();
  auto [it, inserted] = decided_.try_emplace(ShapeKey{pool, p.afi, w.local, w.next_hops});
  if (inserted) {
    const RouteShape shape = decide_shape(wanted_route(p, w), config_);
    Decided& d = it->second;
    d.none = shape.kind == ShapeKind::kNone;
    d.direct = has_direct_hop(shape);
    if (!d.none) {
      Realized r = realize(p, shape, host_);
      if (!r.parked.empty()) {
        d.parked = std::move(r.parked);
      } else if (r.route) {
        d.fwd =
            forwardings_.acquire(KernelForwarding{r.route->blackhole, std::move(r.route->hops)});
      }
    }
  }
  last_key_ = &it->first;
  last_decided_ = &it->second;
  return it->second;
}

void FibEngine::evaluate(const Prefix& p, std::vector<Op>& ops) {
  auto e = routes_.find(p);
  evaluate(p, e == routes_.end() ? nullptr : &e->second, ops);
}

void FibEngine::evaluate(const Prefix& p, Entry* e, std::vector<Op>& ops) {
  if (!parked_.empty()) parked_.erase(p);
  if (!none_.empty()) none_.erase(p);
  const bool present = e && e->installed;
  FwdId target = 0;
  if (e && e->wanted()) {
    const Decided& shape = decide(p, *e);
    e->direct = shape.direct;
    std::unordered_map<Prefix, uint8_t, PrefixHash>::const_iterator c;
    if (shape.none) {
      none_.insert(p);
    } else if (!conflicts_.empty() && (c = conflicts_.find(p)) != conflicts_.end()) {
      // REPLACE would overwrite whichever route holds the key first, which may be theirs.
      parked_[p] = "a route of protocol " + std::to_string(c->second) +
                   " holds this prefix at metric " + std::to_string(our_metric(p.afi)) +
                   " in table " + std::to_string(opts_.table);
      failed_.erase(p);
      return;  // ours, if any, stays as it is
    } else if (!shape.parked.empty()) {
      parked_[p] = shape.parked;
    } else {
      target = shape.fwd;
    }
  } else if (!stale_.empty() && stale_.count(p)) {
    return;  // adopted from the previous run: kept until the sweep
  }
  if (target != 0) {
    // Interned: the same forwarding is the same id.
    if (present && e->installed == target) {
      if (!failed_.empty()) failed_.erase(p);
      return;
    }
    forwardings_.ref(target);
    ops.push_back(Op{p, target, opts_.metric, e});
  } else if (present) {
    ops.push_back(Op{p, 0, opts_.metric, e});
  } else if (!failed_.empty()) {
    failed_.erase(p);
  }
}

void FibEngine::submit_chunk(std::vector<Op>& ops, size_t begin, size_t end) {
  // Two batches in flight: one the kernel is applying, one queued behind it.
  while (inflight_.size() >= 2)
    finish_oldest(ops);
  std::unique_ptr<nl::BatchSender::Batch> batch;
  if (!spare_batches_.empty()) {
    batch = std::move(spare_batches_.back());
    spare_batches_.pop_back();
  } else {
    batch = std::make_unique<nl::BatchSender::Batch>();
    batch->buf.reserve(opts_.batch_bytes);
  }
  auto& buf = batch->buf;
  buf.clear();
  nl::Socket& sock = sender_->socket();  // its sequence numbers are only drawn here
  const uint32_t first_seq = sock.next_seq();
  uint32_t seq = first_seq;
  size_t last_at = 0;
  for (size_t i = begin; i < end; ++i, seq = sock.next_seq()) {
    last_at = buf.size();
    const Op& op = ops[i];
    if (op.fwd != 0) {
      nl::append_replace(buf, seq, false, op.prefix, forwardings_[op.fwd], tag_for());
    } else {
      nl::append_delete(buf, seq, false, op.prefix, tag_for(op.metric));
    }
  }
  // Only the last request asks for an ack: the kernel answers failures anyway, so one ack
  // tells that the whole batch was handled.
  auto* last = reinterpret_cast<nlmsghdr*>(buf.data() + last_at);
  last->nlmsg_flags |= NLM_F_ACK;
  batch->last_seq = last->nlmsg_seq;
  sender_->submit(batch.get());
  inflight_.push_back(InFlight{begin, end, first_seq, std::move(batch)});
}

void FibEngine::finish_oldest(std::vector<Op>& ops) {
  InFlight f = std::move(inflight_.front());
  inflight_.pop_front();
  sender_->wait(f.batch.get());
  ++batches_;
  apply_results(ops, f.begin, f.end, f.first_seq, *f.batch);
  spare_batches_.push_back(std::move(f.batch));
}

void FibEngine::apply_results(std::vector<Op>& ops, size_t begin, size_t end, uint32_t first_seq,
                              const nl::BatchSender::Batch& batch) {
  if (batch.err != 0) {
    // The fate of each request is unknown: the dump will tell.
    last_error_ = std::string("netlink batch: ") + std::strerror(batch.err);
    spdlog::warn("fib: {}; reconciling", last_error_);
    reconcile_ = true;
    for (size_t i = begin; i < end; ++i)
      forwardings_.release(ops[i].fwd);
    return;
  }
  std::unordered_map<uint32_t, const nl::RequestError*> by_seq;
  for (const auto& e : batch.errors)
    by_seq.emplace(e.seq, &e);
  const auto now = Clock::now();
  for (size_t i = begin; i < end; ++i) {
    Op& op = ops[i];
    const bool replace = op.fwd != 0;
    auto e = by_seq.find(first_seq + static_cast<uint32_t>(i - begin));
    const bool gone = e != by_seq.end() && !replace && e->second->error == ESRCH;
    if (e == by_seq.end() || gone) {
      // No entry is erased while a round writes, so the one evaluate saw is still there.
      if (replace) {
        set_installed(*op.entry, op.fwd);  // the op's reference moves into the entry
        op.fwd = 0;
        ++written_;
      } else {
        if (op.entry) {
          set_installed(*op.entry, 0);
          drop_later(op.prefix, *op.entry);
        }
        ++deleted_;
      }
      if (!failed_.empty()) failed_.erase(op.prefix);
      continue;
    }
    ++errors_;
    Failure& f = failed_[op.prefix];
    ++f.attempts;
    const auto delay = std::min<std::chrono::milliseconds>(
        opts_.retry_max, opts_.retry_first * (1 << std::min(f.attempts - 1, 16)));
    f.next = now + delay;
    f.reason = (replace ? "replace: " : "delete: ") + e->second->reason;
    forwardings_.release(op.fwd);
    op.fwd = 0;
    last_error_ = bgp::to_string(op.prefix) + ": " + f.reason;
    if (f.attempts == 1) spdlog::warn("fib: {}", last_error_);
  }
}

void FibEngine::chunk(std::vector<Op>& ops) {
  // Requests are about 60-100 bytes; the chunk closes when the next one could overflow.
  constexpr size_t kMaxRequest = 512;
  for (; scanned_ < ops.size(); ++scanned_) {
    const Op& op = ops[scanned_];
    chunk_bytes_ += op.fwd != 0 ? 64 + 32 * forwardings_[op.fwd].hops.size() : 48;
    if (chunk_bytes_ + kMaxRequest >= opts_.batch_bytes) {
      submit_chunk(ops, chunk_begin_, scanned_ + 1);
      chunk_begin_ = scanned_ + 1;
      chunk_bytes_ = 0;
    }
  }
}

void FibEngine::pump(std::vector<Op>& ops) {
  chunk(ops);
  if (ops.size() >= kOpsSegment) {
    finish_writes(ops);
    ops.clear();
  }
}

void FibEngine::finish_writes(std::vector<Op>& ops) {
  chunk(ops);
  if (chunk_begin_ < ops.size()) submit_chunk(ops, chunk_begin_, ops.size());
  while (!inflight_.empty())
    finish_oldest(ops);
  chunk_begin_ = scanned_ = chunk_bytes_ = 0;
}

void FibEngine::round() {
  if (links_changed_) {
    // A device that went away or down took its routes with it, without notifications.
    host_.forget_resolutions();
    reconcile_ = true;
    links_changed_ = false;
    reachability_changed_ = false;
  }
  if (reachability_changed_) {
    host_.forget_resolutions();
    for (const auto& [p, e] : routes_)
      if (e.direct) dirty_.insert(p);
    reachability_changed_ = false;
  }
  if (reconcile_) {
    reconcile_ = false;
    if (int err = load_kernel_routes(); err != 0) {
      last_error_ = std::string("route dump: ") + std::strerror(err);
    } else if (!swept_) {
      for (const auto& [p, e] : routes_)
        if (e.installed && !e.wanted()) stale_.insert(p);
    }
    all_dirty_ = true;
  }
  std::vector<Op> ops;
  if (!swept_ && (sync_done_ || Clock::now() >= stale_deadline_)) {
    swept_ = true;
    spdlog::info("fib: sweeping {} stale routes ({})", stale_.size(),
                 sync_done_ ? "initial exchange complete" : "deferral timer expired");
    for (const auto& p : stale_)
      dirty_.insert(p);
    stale_.clear();
  }
  if (swept_) {
    for (const auto& [p, metric] : odd_metric_)
      ops.push_back(Op{p, 0, metric});
    odd_metric_.clear();
  }
  const auto now = Clock::now();
  for (const auto& [p, f] : failed_)
    if (f.next <= now) dirty_.insert(p);

  // Devices, resolutions and the config may have changed since the last round.
  forget_decisions();
  // From here until every batch is answered, ops point into routes_ (see forget_if_installed).
  // Each prefix is evaluated once per round, and a batch's results touch only its own prefixes,
  // so whether a prefix is installed does not change between the start of the round and its
  // evaluation.
  writing_ = true;
  const uint64_t batches_before = batches_;
  if (all_dirty_) {
    all_dirty_ = false;
    ops.reserve(std::min(kOpsSegment, ops.size() + routes_.size()));
    // Writing changes entries but never adds or erases one, so the walk is safe.
    for (auto& [p, e] : routes_) {
      if (!e.wanted() && !e.installed) continue;
      evaluate(p, &e, ops);
      pump(ops);
    }
  } else {
    ops.reserve(std::min(kOpsSegment, ops.size() + dirty_.size() + fresh_.size()));
    for (const auto& p : dirty_) {
      evaluate(p, ops);
      pump(ops);
    }
    for (const auto& [p, w] : fresh_) {
      if (!dirty_.empty() && dirty_.count(p)) continue;
      evaluate(p, w, ops);
      pump(ops);
    }
  }
  dirty_.clear();
  fresh_.clear();
  if (fresh_.capacity() > kOpsSegment) fresh_.shrink_to_fit();  // a table's worth, once
  finish_writes(ops);
  forget_decisions();  // releases forwardings no route uses any more
  writing_ = false;
  for (const auto& r : deleted_while_writing_)
    forget_if_installed(r);
  deleted_while_writing_.clear();
  for (const auto& p : emptied_) {
    auto it = routes_.find(p);
    if (it != routes_.end() && !it->second.wanted() && !it->second.installed) routes_.erase(it);
  }
  emptied_.clear();
  // Whatever happened meanwhile (our own route echoes are filtered out in the kernel).
  if (batches_ != batches_before) read_monitor();
  publish();
}

void FibEngine::publish() {
  auto s = std::make_shared<FibStatus>();
  s->wanted = wanted_count_;
  s->installed = installed_count_;
  s->not_ours = none_.size();
  s->parked = parked_.size();
  s->failed = failed_.size();
  s->stale = stale_.size();
  s->initial_sync_done = sync_done_;
  s->swept = swept_;
  s->routes_written = written_;
  s->routes_deleted = deleted_;
  s->write_errors = errors_;
  s->batches = batches_;
  s->last_error = last_error_;
  for (const auto& [p, why] : parked_) {
    if (s->problems.size() >= opts_.max_problems_reported) break;
    s->problems.push_back({p, "parked", why, 0});
  }
  for (const auto& [p, f] : failed_) {
    if (s->problems.size() >= opts_.max_problems_reported) break;
    s->problems.push_back({p, "failed", f.reason, f.attempts});
  }
  {
    std::lock_guard lock(status_mu_);
    status_ = s;
  }
  if (opts_.on_status) opts_.on_status(s);
}

std::shared_ptr<const FibStatus> FibEngine::status() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

}  // namespace tern::fib
