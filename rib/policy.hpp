#pragma once
// The BGP rules of who may hear what, and in which form (RFC 4271 9.1.2/9.1.3 and 5.1, RFC
// 4456 route reflection): the checks a received path must pass before it is a candidate, and
// the attributes a best path is sent with to one peer. Operator filters (prefix sets,
// communities) come on top of these and live with the planner.

#include <optional>

#include "bgp/wire/message.hpp"

namespace tern::rib {

struct LocalIdentity {
  uint32_t as = 0;
  uint32_t router_id = 0;
  uint32_t cluster_id = 0;  // non-zero: this node is a route reflector for that cluster
};

// How we treat one peer, as the planner configured it.
struct PeerPolicy {
  bool ebgp = false;
  uint32_t local_as = 0;         // the AS we present to this peer (Calico localASNumber), 0: ours
  bool rr_client = false;        // the peer is our route-reflector client
  bool next_hop_self = false;    // Calico nextHopMode Self
  bool keep_next_hop = false;    // Calico keepOriginalNextHop / nextHopMode Keep (eBGP)
  uint32_t allow_local_as = 0;   // Calico numAllowedLocalASNumbers
  bgp::IpAddr local_address;     // our IPv4 address toward this peer: the next hop we announce
  bgp::IpAddr local_address_v6;  // the same for IPv6 routes (unset: IPv6 routes cannot be sent)
};

enum class ImportVerdict : uint8_t {
  kAccept,
  kAsLoop,          // our AS in the path more often than allowed (RFC 4271 9.1.2)
  kOriginatorIsUs,  // RFC 4456 8
  kClusterLoop,     // our cluster id in CLUSTER_LIST (RFC 4456 8)
  kFilteredOut,     // the operator's import filter
};
const char* to_string(ImportVerdict v);

// How often `as` appears in the path (loop detection, both directions).
size_t count_as(const bgp::AsPath& path, uint32_t as);

ImportVerdict check_import(const bgp::PathAttributes& a, const PeerPolicy& from,
                           const LocalIdentity& me);

// Where the best path came from.
struct PathOrigin {
  bool local = false;  // originated by this node
  bool ebgp = false;   // learned over eBGP
  bool from_rr_client = false;
  uint32_t peer_router_id = 0;  // becomes ORIGINATOR_ID when we reflect
};

// Whether a path from `from` may be announced to a peer treated as `to` at all (iBGP split
// horizon without reflection forbids it): export_attrs() without building the attributes.
bool may_export(const PathOrigin& from, const PeerPolicy& to, const LocalIdentity& me);

// The attributes to announce `a` with to a peer treated as `to`; nullopt when may_export()
// says no. The caller never sends a path back to the peer it came from.
std::optional<bgp::PathAttributes> export_attrs(const bgp::PathAttributes& a,
                                                const PathOrigin& from, const PeerPolicy& to,
                                                const LocalIdentity& me);

}  // namespace tern::rib
