#pragma once
// What going from one plan to another does to this node: sessions added, changed (and which
// settings) or removed, routes newly originated or withdrawn, and kernel routes whose shape
// changes. The API answers every change with it, and `--dry-run` with nothing else.

#include <functional>
#include <span>

#include "api/tern.pb.h"
#include "daemon/plan/plan.hpp"
#include "rib/loc_rib.hpp"

namespace tern {

void diff_sessions(const plan::Plan& before, const plan::Plan& after, api::ChangeResponse& out);
void diff_originations(const plan::Plan& before, const plan::Plan& after, api::ChangeResponse& out);

// Every prefix with paths in the RIB, and its multipath set (best first).
using RibWalk =
    std::function<void(const std::function<void(const bgp::Prefix&, std::span<const rib::Path>)>&)>;

// Kernel route shapes under each plan, for the prefixes `walk` yields plus those either plan
// originates. At most `limit` changes are listed.
void diff_kernel_routes(const plan::Plan& before, const plan::Plan& after, const RibWalk& walk,
                        api::ChangeResponse& out, size_t limit = 10000);

// `ip route`-like text of what a plan installs for a prefix with these paths ("" for nothing).
std::string kernel_shape(const plan::Plan& plan, const bgp::Prefix& prefix,
                         std::span<const rib::Path> paths);

}  // namespace tern
