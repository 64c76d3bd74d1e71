#include "rib/decision.hpp"

#include <algorithm>
#include <cstring>

namespace tern::rib {

namespace {

uint32_t local_pref(const Candidate& c) {
  return c.attrs->local_pref.value_or(100);
}
size_t path_length(const Candidate& c) {
  return c.attrs->as_path ? c.attrs->as_path->length() : 0;
}
uint8_t origin(const Candidate& c) {
  return static_cast<uint8_t>(c.attrs->origin.value_or(bgp::Origin::kIncomplete));
}
uint32_t med(const Candidate& c) {
  return c.attrs->med.value_or(0);
}
uint32_t identifier(const Candidate& c) {
  return c.attrs->originator_id.value_or(c.peer_router_id);
}
size_t cluster_list_length(const Candidate& c) {
  return c.attrs->cluster_list ? c.attrs->cluster_list->size() : 0;
}
bool address_less(const bgp::IpAddr& a, const bgp::IpAddr& b) {
  if (a.afi != b.afi) return a.afi < b.afi;
  return std::memcmp(a.b.data(), b.b.data(), a.b.size()) < 0;
}

// One elimination round: keep the survivors whose key is minimal, mark the rest with `step`.
template <class Key>
void keep_min(PathList<int>& alive, std::span<const Candidate> c, PathList<Step>& lost, Step step,
              Key key) {
  if (alive.size() < 2) return;
  auto best = key(c[alive[0]]);
  for (int i : alive)
    best = std::min(best, key(c[i]));
  alive.erase(std::remove_if(alive.begin(), alive.end(),
                             [&](int i) {
                               if (key(c[i]) == best) return false;
                               lost[i] = step;
                               return true;
                             }),
              alive.end());
}

}  // namespace

uint32_t neighbour_as(const bgp::PathAttributes& attrs, uint32_t fallback) {
  if (attrs.as_path) {
    for (const auto& seg : attrs.as_path->segments) {
      if (seg.type == bgp::SegmentType::kSequence && !seg.asns.empty()) return seg.asns.front();
      if (seg.type == bgp::SegmentType::kSet) break;
    }
  }
  return fallback;
}

Decision decide(std::span<const Candidate> c, const DecisionOptions& options) {
  Decision d;
  d.lost_at.assign(c.size(), Step::kBest);
  PathList<int> alive;
  for (int i = 0; i < static_cast<int>(c.size()); ++i) {
    if (c[i].reachable) {
      alive.push_back(i);
    } else {
      d.lost_at[i] = Step::kUnreachable;
    }
  }
  if (alive.empty()) return d;

  keep_min(alive, c, d.lost_at, Step::kLocalPref,
           [](const Candidate& x) { return ~local_pref(x); });
  keep_min(alive, c, d.lost_at, Step::kLocalOrigin, [](const Candidate& x) { return !x.local; });
  keep_min(alive, c, d.lost_at, Step::kAsPathLength, path_length);
  keep_min(alive, c, d.lost_at, Step::kOrigin, origin);
  if (options.always_compare_med) {
    keep_min(alive, c, d.lost_at, Step::kMed, med);
  } else if (alive.size() > 1) {
    // RFC 4271 9.1.2.2 c: within each neighbouring AS, drop every path whose MED is worse than
    // the best MED of that AS; paths from different ASes never eliminate each other here.
    PathList<int> keep;
    for (int i : alive) {
      const uint32_t as_i = c[i].peer_as;
      bool worse = false;
      for (int j : alive)
        if (c[j].peer_as == as_i && med(c[j]) < med(c[i])) worse = true;
      if (worse) {
        d.lost_at[i] = Step::kMed;
      } else {
        keep.push_back(i);
      }
    }
    alive = std::move(keep);
  }
  keep_min(alive, c, d.lost_at, Step::kExternal, [](const Candidate& x) { return !x.ebgp; });
  keep_min(alive, c, d.lost_at, Step::kIgpCost, [](const Candidate& x) { return x.igp_cost; });

  // What survives to here is equal for multipath; the tie-breaks below only pick the best.
  const PathList<int> equal = alive;
  keep_min(alive, c, d.lost_at, Step::kRouterId, identifier);
  keep_min(alive, c, d.lost_at, Step::kClusterListLength, cluster_list_length);
  if (alive.size() > 1) {
    int best = alive[0];
    for (int i : alive) {
      const auto& x = c[i];
      const auto& b = c[best];
      if (address_less(x.peer_address, b.peer_address) ||
          (x.peer_address == b.peer_address && x.path_id < b.path_id))
        best = i;
    }
    for (int i : alive)
      if (i != best) d.lost_at[i] = Step::kPeerAddress;
    alive = {best};
  }
  d.best = alive[0];
  d.multipath.push_back(d.best);
  for (int i : equal) {
    if (i == d.best) continue;
    if (d.multipath.size() >= options.max_paths) break;
    d.multipath.push_back(i);
    d.lost_at[i] = Step::kBest;  // part of the ECMP set: it did not lose
  }
  return d;
}

const char* to_string(Step s) {
  static const char* const kNames[] = {"next hop unreachable",
                                       "lower LOCAL_PREF",
                                       "not locally originated",
                                       "longer AS_PATH",
                                       "worse ORIGIN",
                                       "higher MED",
                                       "iBGP-learned",
                                       "higher IGP cost",
                                       "higher router id",
                                       "longer CLUSTER_LIST",
                                       "higher peer address",
                                       "rejected on import",
                                       "best"};
  return kNames[static_cast<int>(s)];
}

}  // namespace tern::rib
