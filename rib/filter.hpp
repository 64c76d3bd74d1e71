#pragma once
// Operator route filters, one for import and one for export per peer, as the planner derives
// them from Calico's BGPFilter and IP pools: ordered prefix rules where the first match
// decides, a default, and communities to add to what passes.

#include <optional>
#include <vector>

#include "bgp/wire/message.hpp"

namespace tern::rib {

// Whether `p` lies inside `cidr` (same family, at least as long, same leading bits).
bool within(const bgp::Prefix& p, const bgp::Prefix& cidr);

struct PrefixRule {
  enum class Match : uint8_t { kExact, kOrLonger };
  bgp::Prefix cidr;
  Match match = Match::kOrLonger;
  bool accept = true;
  bool matches(const bgp::Prefix& p) const {
    return match == Match::kExact ? p == cidr : within(p, cidr);
  }
  bool operator==(const PrefixRule&) const = default;
};

struct RouteFilter {
  std::vector<PrefixRule> rules;  // the first rule that matches decides
  bool default_accept = true;
  std::vector<uint32_t> add_communities;

  bool accepts(const bgp::Prefix& p) const;
  // `a` with the communities added (sorted, without duplicates, as RFC 1997 sets them).
  bgp::PathAttributes apply(bgp::PathAttributes a) const;
  bool passes_everything_unchanged() const {
    return rules.empty() && default_accept && add_communities.empty();
  }
  bool operator==(const RouteFilter&) const = default;
};

}  // namespace tern::rib
