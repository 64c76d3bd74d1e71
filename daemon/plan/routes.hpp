#pragma once
// What this node originates into BGP and what the FIB needs: block aggregates, service ranges,
// borrowed addresses, Calico's rejectcidrs, pools and the node's network for route shapes.

#include <vector>

#include "daemon/plan/context.hpp"
#include "daemon/plan/plan.hpp"
#include "fib/types.hpp"

namespace tern::plan::detail {

// Sorted by prefix.
std::vector<Origination> plan_originations(const Context& c);
fib::EncapConfig plan_encap(const Context& c);
// Calico's router id: the node's IPv4 address, or for an IPv6-only node its name hashed as
// CALICO_ROUTER_ID=hash does (SHA-256, first four bytes, first octet kept below 224).
uint32_t hashed_router_id(std::string_view node_name);

}  // namespace tern::plan::detail
