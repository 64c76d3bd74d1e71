#pragma once
// One address family's routes: per prefix, every peer's Adj-RIB-In path (keyed by peer and
// ADD-PATH id), and the outcome of the decision process over them. Every change reports
// whether the prefix's best path or multipath set changed, which is what the FIB and the
// Adj-RIB-Out consume. Single-threaded by design: it lives on the main loop.

#include <boost/container/small_vector.hpp>
#include <optional>
#include <unordered_map>
#include <vector>

#include "rib/prefix_table.hpp"
#include "rib/route_entry.hpp"

namespace tern::rib {

struct PeerInfo {
  bool ebgp = false;
  uint32_t as = 0;
  uint32_t router_id = 0;
  bgp::IpAddr address;
};

// A multipath set, best first; one or two paths need no allocation.
using PathSet = boost::container::small_vector<Path, 2>;

struct BestChange {
  bgp::Prefix prefix;
  PathSet before;  // empty: unreachable
  PathSet after;
  // The prefix's entry, valid only until the next change to the RIB (the Adj-RIB-Out queues
  // mark it without looking it up again).
  RouteEntry* entry = nullptr;
};

// A peer's paths in one family: every one it sent, and those not refused on import.
struct PathCounts {
  uint32_t received = 0;
  uint32_t accepted = 0;
};

class LocRib {
 public:
  LocRib(uint32_t local_as, DecisionOptions options = {})
      : local_as_(local_as), options_(options) {}

  void set_peer(PeerId id, PeerInfo info) { peers_[id] = info; }

  // `rejected`: the ImportVerdict that keeps the path out of the decision (0: none).
  std::optional<BestChange> announce(const bgp::Prefix& p, PeerId peer, uint32_t path_id,
                                     AttrRef attrs, uint8_t rejected = 0);
  std::optional<BestChange> withdraw(const bgp::Prefix& p, PeerId peer, uint32_t path_id);
  // The same, for a loop over a whole UPDATE: true when the multipath set moved, the change
  // then in `change`, whose path sets keep their storage from one prefix to the next (what
  // `change` holds after false is unspecified).
  bool announce(BestChange& change, const bgp::Prefix& p, PeerId peer, uint32_t path_id,
                AttrRef attrs, uint8_t rejected = 0);
  bool withdraw(BestChange& change, const bgp::Prefix& p, PeerId peer, uint32_t path_id);
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
  // Kept as paths come and go, so status and prefix limits never walk the table.
  PathCounts counts(PeerId peer) const {
    return peer < counts_.size() ? counts_[peer] : PathCounts{};
  }

  // The prefix's paths (usable or refused); null when it has none.
  const RouteEntry* find(const bgp::Prefix& p) const;
  // Prefixes with a usable route.
  size_t size() const { return live_; }
  template <class F>
  void for_each(F&& f) const {
    routes_.for_each([&](const bgp::Prefix& p, const RouteEntry& e) {
      if (!e.empty()) f(p, e);
    });
  }

  // For the Adj-RIB-Out queues: the entry including one that lost its last path but is still
  // queued somewhere (null when there is none), every entry with routes, and letting go of
  // an entry that lost its last path once no queue holds it. Entries that lose their last
  // path are kept until the next change to the RIB, so the caller can queue the withdrawal
  // first.
  RouteEntry* entry(const bgp::Prefix& p) { return routes_.find(p); }
  const RouteEntry* entry(const bgp::Prefix& p) const { return routes_.find(p); }
  // A hint that `p` is about to be looked up (see PrefixTable::prefetch).
  void prefetch(const bgp::Prefix& p) const { routes_.prefetch(p); }
  template <class F>
  void for_each_entry(F&& f) {
    routes_.for_each([&](const bgp::Prefix& p, RouteEntry& e) {
      if (!e.empty()) f(p, e);
    });
  }
  void release(const bgp::Prefix& p);

 private:
  // The multipath set as it stands, into `out`; taken before a change, since the change may
  // release the very attribute sets it points at.
  static void selected(const RouteEntry& e, PathSet& out);
  // Removes the paths of `peer` matching `pred`, reporting best-path changes.
  template <class Pred>
  std::vector<BestChange> remove_paths(PeerId peer, Pred pred);
  // Runs the decision for `e` again; `change.before` holds the set before the change. Fills
  // in the rest of `change` and returns true when the set moved.
  bool decide_again(const bgp::Prefix& p, RouteEntry& e, BestChange& change);
  // Erases the entries that lost their last path and that no queue holds.
  void collect();
  void emptied(const bgp::Prefix& p);
  void count(PeerId peer, bool accepted, int delta);

  uint32_t local_as_;
  DecisionOptions options_;
  std::unordered_map<PeerId, PeerInfo> peers_;
  PrefixTable routes_;
  std::vector<bgp::Prefix> emptied_;  // entries that lost their last path since collect()
  size_t live_ = 0;                   // entries with a best path
  std::vector<PathCounts> counts_;    // by peer id
};

}  // namespace tern::rib
