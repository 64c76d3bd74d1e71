#pragma once
// The BGP sessions confd renders for this node (section 3 of the reference): the node-to-node
// mesh, then the peerings BGPPeers derive (global, node-specific, peerSelector expansions and
// automatic reverse peerings), each with its policy.

#include <vector>

#include "daemon/plan/context.hpp"
#include "daemon/plan/plan.hpp"

namespace tern::plan::detail {

// Sorted by name. Needs c.self with at least one address.
std::vector<PlannedPeer> plan_peers(const Context& c);

}  // namespace tern::plan::detail
