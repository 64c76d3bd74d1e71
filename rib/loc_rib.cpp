#include "rib/loc_rib.hpp"

#include <algorithm>

#include <boost/container_hash/hash.hpp>

namespace tern::rib {

size_t PrefixHash::operator()(const bgp::Prefix& p) const {
  size_t seed = p.len | (static_cast<size_t>(p.afi) << 8);
  const size_t bytes = (p.len + 7u) / 8u;
  boost::hash_range(seed, p.b.begin(), p.b.begin() + static_cast<long>(bytes));
  return seed;
}

void LocRib::collect() {
  for (const auto& p : emptied_)
    release(p);
  emptied_.clear();
}

void LocRib::release(const bgp::Prefix& p) {
  auto it = routes_.find(p);
  if (it != routes_.end() && it->second.paths.empty() && it->second.dirty == 0) routes_.erase(it);
}

RouteEntry* LocRib::entry(const bgp::Prefix& p) {
  auto it = routes_.find(p);
  return it == routes_.end() ? nullptr : &it->second;
}

RouteEntry& LocRib::insert(const bgp::Prefix& p) {
  RouteEntry& e = routes_[p];
  if (e.paths.empty()) ++live_;
  return e;
}

std::optional<BestChange> LocRib::announce(const bgp::Prefix& p, PeerId peer, uint32_t path_id,
                                           AttrRef attrs) {
  collect();
  RouteEntry& e = insert(p);
  for (auto& path : e.paths) {
    if (path.peer == peer && path.path_id == path_id) {
      path.stale = false;                            // refreshed after a restart
      if (path.attrs == attrs) return std::nullopt;  // an implicit withdraw of itself
      auto before = selected(e);
      path.attrs = std::move(attrs);
      return decide_again(p, e, std::move(before));
    }
  }
  auto before = selected(e);
  // The smallest id no other path of this prefix uses: ids stay small and are reused.
  uint32_t out_id = 1;
  while (std::any_of(e.paths.begin(), e.paths.end(),
                     [&](const Path& x) { return x.out_id == out_id; }))
    ++out_id;
  e.paths.push_back(Path{peer, path_id, std::move(attrs), out_id});
  return decide_again(p, e, std::move(before));
}

std::optional<BestChange> LocRib::withdraw(const bgp::Prefix& p, PeerId peer, uint32_t path_id) {
  collect();
  auto it = routes_.find(p);
  if (it == routes_.end()) return std::nullopt;  // RFC 7911: unknown ids are ignored
  RouteEntry& e = it->second;
  auto before = selected(e);
  const auto n =
      std::erase_if(e.paths, [&](const Path& x) { return x.peer == peer && x.path_id == path_id; });
  if (n == 0) return std::nullopt;
  auto change = decide_again(p, e, std::move(before));
  if (e.paths.empty()) {
    --live_;
    emptied_.push_back(p);
  }
  return change;
}

template <class Pred>
std::vector<BestChange> LocRib::remove_paths(PeerId peer, Pred pred) {
  collect();
  std::vector<BestChange> changes;
  for (auto& [p, e] : routes_) {
    if (e.paths.empty()) continue;
    auto before = selected(e);
    if (std::erase_if(e.paths, [&](const Path& x) { return x.peer == peer && pred(x); }) > 0) {
      if (auto c = decide_again(p, e, std::move(before))) changes.push_back(std::move(*c));
      if (e.paths.empty()) {
        --live_;
        emptied_.push_back(p);
      }
    }
  }
  return changes;
}

std::vector<BestChange> LocRib::drop_peer(PeerId peer) {
  return remove_paths(peer, [](const Path&) { return true; });
}

std::vector<BestChange> LocRib::mark_stale(PeerId peer) {
  auto changes = remove_paths(peer, [](const Path& x) { return x.stale; });
  for (auto& [p, e] : routes_)
    for (auto& x : e.paths)
      if (x.peer == peer) x.stale = true;
  return changes;
}

std::vector<BestChange> LocRib::sweep_stale(PeerId peer) {
  return remove_paths(peer, [](const Path& x) { return x.stale; });
}

size_t LocRib::stale_count(PeerId peer) const {
  size_t n = 0;
  for (const auto& [p, e] : routes_)
    for (const auto& x : e.paths)
      n += x.peer == peer && x.stale;
  return n;
}

const RouteEntry* LocRib::find(const bgp::Prefix& p) const {
  auto it = routes_.find(p);
  return it == routes_.end() || it->second.paths.empty() ? nullptr : &it->second;
}

std::vector<Path> LocRib::selected(const RouteEntry& e) {
  std::vector<Path> set;
  set.reserve(e.multipath.size());
  for (int i : e.multipath)
    set.push_back(e.paths[i]);
  return set;
}

std::optional<BestChange> LocRib::decide_again(const bgp::Prefix& p, RouteEntry& e,
                                               std::vector<Path> before) {
  std::vector<Candidate> c;
  c.reserve(e.paths.size());
  for (const auto& path : e.paths) {
    Candidate x;
    x.attrs = &path.attrs->attrs();
    x.path_id = path.path_id;
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
  const Decision d = decide(c, options_);
  e.multipath = d.multipath;
  e.lost_at = d.lost_at;

  std::vector<Path> after = selected(e);
  if (after == before) return std::nullopt;
  return BestChange{p, std::move(before), std::move(after)};
}

}  // namespace tern::rib
