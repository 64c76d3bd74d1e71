#include "rib/loc_rib.hpp"

#include <algorithm>

namespace tern::rib {

void LocRib::collect() {
  for (const auto& p : emptied_)
    release(p);
  emptied_.clear();
}

void LocRib::release(const bgp::Prefix& p) {
  const RouteEntry* e = routes_.find(p);
  if (e && e->empty() && e->dirty == 0) routes_.erase(p);
}

void LocRib::emptied(const bgp::Prefix& p) {
  emptied_.push_back(p);
}

std::optional<BestChange> LocRib::announce(const bgp::Prefix& p, PeerId peer, uint32_t path_id,
                                           AttrRef attrs, uint8_t rejected) {
  std::optional<BestChange> c(std::in_place);
  if (!announce(*c, p, peer, path_id, std::move(attrs), rejected)) c.reset();
  return c;
}

std::optional<BestChange> LocRib::withdraw(const bgp::Prefix& p, PeerId peer, uint32_t path_id) {
  std::optional<BestChange> c(std::in_place);
  if (!withdraw(*c, p, peer, path_id)) c.reset();
  return c;
}

bool LocRib::announce(BestChange& change, const bgp::Prefix& p, PeerId peer, uint32_t path_id,
                      AttrRef attrs, uint8_t rejected) {
  collect();
  RouteEntry& e = routes_.get(p);
  for (auto& path : e.paths()) {
    if (path.peer == peer && path.path_id == path_id) {
      path.stale = false;  // refreshed after a restart
      // The same again is an implicit withdraw of itself.
      if (path.attrs == attrs && path.rejected == rejected) return false;
      // Its standing may move between refused and accepted: counted out, then in again.
      count(peer, !path.rejected, -1);
      count(peer, !rejected, 1);
      selected(e, change.before);
      path.attrs = std::move(attrs);
      path.rejected = rejected & 7;
      return decide_again(p, e, change);
    }
  }
  selected(e, change.before);
  // The smallest id no other path of this prefix uses: ids stay small and are reused.
  unsigned out_id = 1;
  const auto paths = e.paths();
  while (out_id < 256 &&
         std::any_of(paths.begin(), paths.end(), [&](const Path& x) { return x.out_id == out_id; }))
    ++out_id;
  e.push_back(Path{peer, path_id, std::move(attrs), static_cast<uint8_t>(out_id & 0xff),
                   static_cast<uint8_t>(rejected & 7)});
  count(peer, !rejected, 1);
  return decide_again(p, e, change);
}

bool LocRib::withdraw(BestChange& change, const bgp::Prefix& p, PeerId peer, uint32_t path_id) {
  collect();
  RouteEntry* e = routes_.find(p);
  if (!e || e->empty()) return false;  // RFC 7911: unknown ids are ignored
  selected(*e, change.before);
  if (e->erase_if([&](const Path& x) {
        if (x.peer != peer || x.path_id != path_id) return false;
        count(peer, !x.rejected, -1);
        return true;
      }) == 0)
    return false;
  const bool moved = decide_again(p, *e, change);
  if (e->empty()) emptied(p);
  return moved;
}

template <class Pred>
std::vector<BestChange> LocRib::remove_paths(PeerId peer, Pred pred) {
  collect();
  std::vector<BestChange> changes;
  std::vector<bgp::Prefix> gone;
  BestChange c;
  routes_.for_each([&](const bgp::Prefix& p, RouteEntry& e) {
    if (e.empty()) return;
    selected(e, c.before);
    if (e.erase_if([&](const Path& x) {
          if (x.peer != peer || !pred(x)) return false;
          count(peer, !x.rejected, -1);
          return true;
        }) == 0)
      return;
    if (decide_again(p, e, c)) changes.push_back(c);
    if (e.empty()) gone.push_back(p);
  });
  for (const auto& p : gone)
    emptied(p);
  return changes;
}

std::vector<BestChange> LocRib::drop_peer(PeerId peer) {
  return remove_paths(peer, [](const Path&) { return true; });
}

std::vector<BestChange> LocRib::mark_stale(PeerId peer) {
  auto changes = remove_paths(peer, [](const Path& x) { return x.stale; });
  routes_.for_each([&](const bgp::Prefix&, RouteEntry& e) {
    for (auto& x : e.paths())
      if (x.peer == peer) x.stale = true;
  });
  return changes;
}

std::vector<BestChange> LocRib::sweep_stale(PeerId peer) {
  return remove_paths(peer, [](const Path& x) { return x.stale; });
}

size_t LocRib::stale_count(PeerId peer) const {
  size_t n = 0;
  for_each([&](const bgp::Prefix&, const RouteEntry& e) {
    for (const auto& x : e.paths())
      n += x.peer == peer && x.stale;
  });
  return n;
}

// One path of `peer` came (+1) or went (-1).
void LocRib::count(PeerId peer, bool accepted, int delta) {
  if (peer >= counts_.size()) counts_.resize(peer + 1);
  PathCounts& c = counts_[peer];
  c.received += delta;
  if (accepted) c.accepted += delta;
}

const RouteEntry* LocRib::find(const bgp::Prefix& p) const {
  const RouteEntry* e = routes_.find(p);
  return e && !e->empty() ? e : nullptr;
}

void LocRib::selected(const RouteEntry& e, PathSet& out) {
  const auto mp = e.multipath();
  out.assign(mp.begin(), mp.end());
}

bool LocRib::decide_again(const bgp::Prefix& p, RouteEntry& e, BestChange& change) {
  const auto paths = e.paths();
  if (paths.size() == 1) {
    // The common case, one path: it is the route unless it was refused on import.
    Path& only = e.paths()[0];
    only.set_lost_at(only.rejected ? Step::kRejected : Step::kBest);
    e.set_multipath(only.rejected ? 0 : 1);
  } else if (!paths.empty()) {
    PathList<Candidate> c;
    for (const auto& path : paths) {
      Candidate x;
      x.attrs = &path.attrs->attrs();
      x.path_id = path.path_id;
      x.reachable = !path.rejected;
      if (path.peer == kLocalPeer) {
        x.local = true;
        x.peer_as = local_as_;
      } else if (auto it = peers_.find(path.peer); it != peers_.end()) {
        const PeerInfo& info = it->second;
        x.ebgp = info.ebgp;
        x.peer_router_id = info.router_id;
        x.peer_address = info.address;
        x.peer_as = neighbour_as(*x.attrs, info.ebgp ? info.as : local_as_);
      }
      c.push_back(x);
    }
    const Decision d = decide({c.data(), c.size()}, options_);
    for (size_t i = 0; i < paths.size(); ++i)
      e.paths()[i].set_lost_at(paths[i].rejected ? Step::kRejected : d.lost_at[i]);
    // The multipath set in front, best first; the others keep their order behind it.
    PathList<int> order = d.multipath;
    for (int i = 0; i < static_cast<int>(paths.size()); ++i)
      if (std::find(d.multipath.begin(), d.multipath.end(), i) == d.multipath.end())
        order.push_back(i);
    e.reorder({order.data(), order.size()}, d.multipath.size());
  }

  const auto mp = e.multipath();
  const PathSet& before = change.before;
  live_ += !mp.empty();
  live_ -= !before.empty();
  if (std::equal(mp.begin(), mp.end(), before.begin(), before.end())) return false;
  change.prefix = p;
  change.after.assign(mp.begin(), mp.end());
  change.entry = &e;
  return true;
}

}  // namespace tern::rib
