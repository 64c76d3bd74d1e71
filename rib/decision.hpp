#pragma once
// The RFC 4271 9.1 decision process, with RFC 4456's cluster-list step, as elimination
// rounds over the candidate paths of one prefix. Each round keeps only the paths that are best
// on one criterion; a path dropped in a round records that round as the reason it lost, so the
// API can explain any route. Elimination (rather than sorting with a pairwise comparator) is
// what keeps MED honest: MED is only comparable between paths from the same neighbouring AS,
// and a pairwise "less than" built on that is not transitive.
//
// Phase 2 of RFC 4271 9.1, in order:
//   0. the next hop must be resolvable, else the path is ineligible (9.1.2);
//   1. highest degree of preference: LOCAL_PREF, 100 when absent (9.1.1);
//   2. locally originated over learned (tern: a node's own blocks beat anything heard);
//   3. shortest AS_PATH, an AS_SET counting as one (9.1.2.2 a);
//   4. lowest ORIGIN, IGP < EGP < INCOMPLETE (b);
//   5. lowest MED among paths from the same neighbouring AS, absent MED = 0 (c);
//   6. eBGP-learned over iBGP-learned (d);
//   7. lowest interior cost to the next hop (e);
//      -- paths still in play here are equal for multipath (ECMP, like BIRD's merge paths);
//   8. lowest BGP identifier, the ORIGINATOR_ID when there is one (f, RFC 4456 9);
//   9. shortest CLUSTER_LIST (RFC 4456 9);
//  10. lowest peer address (g), then lowest path id between one peer's ADD-PATH paths.

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <span>

#include "bgp/wire/message.hpp"

namespace tern::rib {

enum class Step : uint8_t {
  kUnreachable,
  kLocalPref,
  kLocalOrigin,
  kAsPathLength,
  kOrigin,
  kMed,
  kExternal,
  kIgpCost,
  kRouterId,
  kClusterListLength,
  kPeerAddress,
  kRejected,  // ineligible: the import checks or filter refused it (the path says why)
  kBest,      // not a loss: the path won, or is part of the multipath set
};
const char* to_string(Step s);

// What the decision needs to know about one path.
struct Candidate {
  const bgp::PathAttributes* attrs = nullptr;
  bool reachable = true;  // next hop resolvable
  bool local = false;     // originated by this node
  bool ebgp = false;      // learned over eBGP
  uint32_t peer_as = 0;   // neighbouring AS: the first AS of the path, or the peer's AS
  uint32_t igp_cost = 0;
  uint32_t peer_router_id = 0;
  bgp::IpAddr peer_address;
  uint32_t path_id = 0;  // ADD-PATH: the last tie-break between one peer's paths
};

struct DecisionOptions {
  bool always_compare_med = false;
  size_t max_paths = 16;  // multipath set size; 1 turns ECMP off
};

// A prefix has a handful of paths (one per peer that sent it), so a decision's lists live on
// the stack: the decision runs for every change of a prefix with more than one path.
constexpr size_t kInlinePaths = 8;
template <class T>
using PathList = boost::container::small_vector<T, kInlinePaths>;

struct Decision {
  int best = -1;            // index into the candidates, -1 when none is eligible
  PathList<int> multipath;  // best first, then the others equal up to step 7
  PathList<Step> lost_at;   // per candidate: the step it lost at, kBest for winners
};

Decision decide(std::span<const Candidate> candidates, const DecisionOptions& options = {});

// The neighbouring AS used for MED comparison: the first AS of the path's first AS_SEQUENCE,
// or `fallback` (the peer's AS; our own for locally originated and iBGP-empty paths).
uint32_t neighbour_as(const bgp::PathAttributes& attrs, uint32_t fallback);

}  // namespace tern::rib
