#pragma once
// Operator route filters, one for import and one for export per peer, as the planner derives
// them from Calico's BGPFilter rules, IP pools, blocks and prefixAdvertisements: ordered rules
// where the first match decides, a default, and communities to add to what passes.

#include <cstdint>
#include <vector>

#include "bgp/wire/message.hpp"

namespace tern::rib {

// Whether `p` lies inside `cidr` (same family, at least as long, same leading bits).
bool within(const bgp::Prefix& p, const bgp::Prefix& cidr);

struct PrefixRule {
  // BGPFilter's matchOperator: Equal, In (or longer), NotEqual, NotIn. A rule of another
  // family than the prefix never matches, negated or not.
  enum class Match : uint8_t { kExact, kOrLonger, kNotExact, kNotOrLonger };
  // BGPFilter's `source: RemotePeers` matches routes learned over BGP only; kLocal is what
  // this node originates.
  enum class Source : uint8_t { kAny, kRemotePeers, kLocal };
  bgp::Prefix cidr;
  Match match = Match::kOrLonger;
  bool accept = true;
  uint8_t min_len = 0;  // prefixLength {min, max}: bounds on the route's own length
  uint8_t max_len = 128;
  Source source = Source::kAny;

  bool matches(const bgp::Prefix& p, bool local = false) const;
  bool operator==(const PrefixRule&) const = default;
};

// Calico's prefixAdvertisements: routes inside `cidr` get these communities. It does not
// decide anything: every rule whose cidr holds the route adds its values.
struct CommunityRule {
  bgp::Prefix cidr;
  std::vector<uint32_t> communities;
  std::vector<bgp::LargeCommunity> large;
  bool operator==(const CommunityRule&) const = default;
};

struct RouteFilter {
  std::vector<PrefixRule> rules;  // the first rule that matches decides
  bool default_accept = true;
  std::vector<uint32_t> add_communities;  // to everything that passes
  // At most kMaxCommunityRules; more are ignored (validation refuses them first).
  std::vector<CommunityRule> community_rules;
  static constexpr size_t kMaxCommunityRules = 64;

  struct Verdict {
    bool accept = false;
    uint64_t communities = 0;  // bit i: community_rules[i] applies
  };
  Verdict decide(const bgp::Prefix& p, bool local = false) const;
  bool accepts(const bgp::Prefix& p, bool local = false) const { return decide(p, local).accept; }
  // `a` with the communities added (sorted, without duplicates, as RFC 1997 and RFC 8092 set
  // them): add_communities and the community rules named by `rules` (from decide()).
  bgp::PathAttributes apply(bgp::PathAttributes a, uint64_t rules = 0) const;
  bool passes_everything_unchanged() const {
    return rules.empty() && default_accept && add_communities.empty() && community_rules.empty();
  }
  bool operator==(const RouteFilter&) const = default;
};

}  // namespace tern::rib
