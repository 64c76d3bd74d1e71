#pragma once
// One address family's routes: per prefix, every peer's Adj-RIB-In path (keyed by peer and
// ADD-PATH id), and the outcome of the decision process over them. Every change reports
// whether the prefix's best path or multipath set changed, which is what the FIB and the
// Adj-RIB-Out consume. Single-threaded by design: it lives on the main loop.

#include <optional>
#include <unordered_map>
#include <vector>

#include "rib/attr_set.hpp"
#include "rib/decision.hpp"

namespace tern::rib {

using PeerId = uint32_t;
inline constexpr PeerId kLocalPeer = 0;  // routes this node originates

struct PeerInfo {
  bool ebgp = false;
  uint32_t as = 0;
  uint32_t router_id = 0;
  bgp::IpAddr address;
};

struct Path {
  PeerId peer = kLocalPeer;
  uint32_t path_id = 0;
  AttrRef attrs;
  // The path id this path is announced with where ADD-PATH send is negotiated: stable while
  // the path lives, unique within its prefix, never 0.
  uint32_t out_id = 0;
  // RFC 4724: kept (and forwarded on) while its peer restarts; not part of equality, since
  // staleness alone changes nothing in the forwarding table.
  bool stale = false;
  bool operator==(const Path& o) const {
    return peer == o.peer && path_id == o.path_id && attrs == o.attrs;
  }
};

struct RouteEntry {
  std::vector<Path> paths;
  std::vector<int> multipath;  // indexes into paths, best first; empty: no usable path
  std::vector<Step> lost_at;   // per path
  // One bit per Adj-RIB-Out slot that still has to send this prefix (see AdjRibOut). An entry
  // whose last path went stays until every queue holding it has sent the withdrawal.
  uint32_t dirty = 0;
  const Path* best() const { return multipath.empty() ? nullptr : &paths[multipath[0]]; }
};

struct BestChange {
  bgp::Prefix prefix;
  std::vector<Path> before;  // multipath set, best first; empty: unreachable
  std::vector<Path> after;
};

struct PrefixHash {
  size_t operator()(const bgp::Prefix& p) const;
};

class LocRib {
 public:
  LocRib(uint32_t local_as, DecisionOptions options = {})
      : local_as_(local_as), options_(options) {}

  void set_peer(PeerId id, PeerInfo info) { peers_[id] = info; }

  std::optional<BestChange> announce(const bgp::Prefix& p, PeerId peer, uint32_t path_id,
                                     AttrRef attrs);
  std::optional<BestChange> withdraw(const bgp::Prefix& p, PeerId peer, uint32_t path_id);
  // Removes every path of `peer` (session down without graceful restart).
  std::vector<BestChange> drop_peer(PeerId peer);

  // Graceful restart helper (RFC 4724 4.2). The session lost `peer` without a NOTIFICATION:
  // its paths stay but are marked stale; paths that were already stale (a second restart
  // before the first completed) are removed.
  std::vector<BestChange> mark_stale(PeerId peer);
  // End-of-RIB from the restarted peer, its restart time running out, or the peer coming
  // back without preserved forwarding state: whatever is still stale goes.
  std::vector<BestChange> sweep_stale(PeerId peer);
  size_t stale_count(PeerId peer) const;

  // The prefix's routes; null when it has none.
  const RouteEntry* find(const bgp::Prefix& p) const;
  size_t size() const { return live_; }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [p, e] : routes_)
      if (!e.paths.empty()) f(p, e);
  }

  // For the Adj-RIB-Out queues: the entry including one that lost its last path but is still
  // queued somewhere (null when there is none), and letting go of such an entry once no
  // queue holds it. Entries that lose their last path are kept until the next change to the
  // RIB, so the caller can queue the withdrawal first.
  RouteEntry* entry(const bgp::Prefix& p);
  void release(const bgp::Prefix& p);

 private:
  // The multipath set as it stands; taken before a change, since the change may release the
  // very attribute sets it points at.
  static std::vector<Path> selected(const RouteEntry& e);
  // Removes the paths of `peer` matching `pred`, reporting best-path changes.
  template <class Pred>
  std::vector<BestChange> remove_paths(PeerId peer, Pred pred);
  std::optional<BestChange> decide_again(const bgp::Prefix& p, RouteEntry& e,
                                         std::vector<Path> before);

  // Erases the entries that lost their last path and that no queue holds.
  void collect();
  RouteEntry& insert(const bgp::Prefix& p);

  uint32_t local_as_;
  DecisionOptions options_;
  std::unordered_map<PeerId, PeerInfo> peers_;
  std::unordered_map<bgp::Prefix, RouteEntry, PrefixHash> routes_;
  std::vector<bgp::Prefix> emptied_;  // entries that lost their last path since collect()
  size_t live_ = 0;                   // entries with at least one path
};

}  // namespace tern::rib
