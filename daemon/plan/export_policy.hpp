#pragma once
// Calico's route policy for one session: the BGPFilter rules a BGPPeer names, translated rule by
// rule, and confd's calico_export_to_bgp_peers (section 4.2 of the reference) behind them.

#include <string>
#include <string_view>
#include <vector>

#include "daemon/plan/context.hpp"
#include "rib/filter.hpp"

namespace tern::plan::detail {

// calico_export_to_bgp_peers for one family, then reject: disabled pools rejected, communities
// from prefixAdvertisements, own blocks exported whole (nothing beneath them), service ranges,
// on route reflectors the LB/external ranges, then every exported pool.
rib::RouteFilter calico_export(const Context& c, bgp::Afi afi);

enum class Direction { kImport, kExport };

// The rules of the named BGPFilters for one direction and family, in the order a BIRD filter
// would call them, keeping only those for this session type (peerType). `user` names the
// BGPPeer in notes.
std::vector<rib::PrefixRule> bgpfilter_rules(const Context& c,
                                             const std::vector<std::string>& names, Direction dir,
                                             bgp::Afi afi, bool ebgp, std::string_view user);

}  // namespace tern::plan::detail
