#include "daemon/plan/export_policy.hpp"

#include <algorithm>
#include <optional>

namespace tern::plan::detail {

namespace {

using Match = rib::PrefixRule::Match;
using Source = rib::PrefixRule::Source;

rib::PrefixRule rule(const bgp::Prefix& cidr, Match m, bool accept) {
  rib::PrefixRule r;
  r.cidr = cidr;
  r.match = m;
  r.accept = accept;
  return r;
}

bgp::Prefix everything(bgp::Afi afi) {
  bgp::Prefix p;
  p.afi = afi;
  return p;
}

const api::BGPFilter* find_filter(const Context& c, const std::string& name) {
  for (const auto& f : c.intent->bgp_filters())
    if (f.metadata().name() == name) return &f;
  return nullptr;
}

// One BGPFilter rule as first-match PrefixRules (none when it cannot match in tern). Calico
// joins the rule's conditions with &&; with prefixLength the cidr becomes BIRD's prefix set
// [ C{min,max} ], min raised to C's length and max capped at the family's.
std::vector<rib::PrefixRule> translate(const Context& c, const api::BGPFilterRule& r, bgp::Afi afi,
                                       const std::string& where) {
  bool accept;
  if (r.action() == "Accept") {
    accept = true;
  } else if (r.action() == "Reject") {
    accept = false;
  } else {
    c.notes.add(where + ": action '" + r.action() + "' is neither Accept nor Reject; rule skipped");
    return {};
  }
  if (!r.interface().empty()) {
    // BIRD matches ifname of kernel-learned routes; tern's routes carry no interface.
    c.notes.add(where + ": a rule on interface '" + r.interface() +
                "' never matches in tern (routes carry no interface); rule dropped");
    return {};
  }
  Source source = Source::kAny;
  if (r.source() == "RemotePeers") {
    source = Source::kRemotePeers;
  } else if (!r.source().empty()) {
    c.notes.add(where + ": source '" + r.source() + "' is unknown; rule skipped");
    return {};
  }
  if (r.cidr().empty() != r.match_operator().empty()) {
    c.notes.add(where + ": cidr and matchOperator must be set together; rule skipped");
    return {};
  }
  std::vector<rib::PrefixRule> out;
  auto finish = [&]() {
    for (auto& x : out)
      x.source = source;
    return out;
  };
  if (r.cidr().empty()) {
    // No condition on the prefix: the rule matches every route of its family.
    out.push_back(rule(everything(afi), Match::kOrLonger, accept));
    return finish();
  }
  auto cidr = bgp::Prefix::parse(r.cidr());
  if (!cidr || cidr->afi != afi) {
    c.notes.add(where + ": cidr '" + r.cidr() + "' is not a prefix of this family; rule skipped");
    return {};
  }
  const std::string& op = r.match_operator();
  const bool bounded = r.has_prefix_length();
  unsigned lo = cidr->len, hi = bgp::max_prefix_len(afi);
  if (bounded) {
    if (r.prefix_length().has_min()) lo = std::max<unsigned>(lo, r.prefix_length().min());
    if (r.prefix_length().has_max()) hi = std::min<unsigned>(hi, r.prefix_length().max());
  }
  if (op == "Equal" || op == "NotEqual") {
    if (bounded) c.notes.add(where + ": prefixLength has no meaning with " + op + "; ignored");
    out.push_back(rule(*cidr, op == "Equal" ? Match::kExact : Match::kNotExact, accept));
    return finish();
  }
  if (op == "In") {
    auto x = rule(*cidr, Match::kOrLonger, accept);
    if (bounded) {
      if (lo > hi) return {};  // an empty prefix set matches nothing
      x.min_len = static_cast<uint8_t>(lo);
      x.max_len = static_cast<uint8_t>(hi);
    }
    out.push_back(x);
    return finish();
  }
  if (op == "NotIn") {
    // !(inside C and lo <= len <= hi): outside C, or shorter than lo, or longer than hi.
    out.push_back(rule(*cidr, Match::kNotOrLonger, accept));
    if (bounded && lo <= hi) {
      if (lo > 0) {
        auto shorter = rule(everything(afi), Match::kOrLonger, accept);
        shorter.max_len = static_cast<uint8_t>(lo - 1);
        out.push_back(shorter);
      }
      if (hi < bgp::max_prefix_len(afi)) {
        auto longer = rule(everything(afi), Match::kOrLonger, accept);
        longer.min_len = static_cast<uint8_t>(hi + 1);
        out.push_back(longer);
      }
    } else if (bounded) {
      out.assign(1, rule(everything(afi), Match::kOrLonger, accept));  // empty set: all of it
    }
    return finish();
  }
  c.notes.add(where + ": matchOperator '" + op + "' is unknown; rule skipped");
  return {};
}

}  // namespace

rib::RouteFilter calico_export(const Context& c, bgp::Afi afi) {
  rib::RouteFilter f;
  f.default_accept = false;
  // 1. reject_disabled_pools(). (Steps 2 and 3 reject routes on Felix's tunnel and eBPF
  // devices; tern never learns kernel routes, so they have nothing to reject.)
  for (const auto& p : c.pools)
    if (p.cidr.afi == afi && p.disable_bgp_export)
      f.rules.push_back(rule(p.cidr, Match::kOrLonger, false));
  // 4. apply_communities(): does not decide; rib::RouteFilter adds them to what passes.
  for (const auto& cr : c.community_rules)
    if (cr.cidr.afi == afi && f.community_rules.size() < rib::RouteFilter::kMaxCommunityRules)
      f.community_rules.push_back(cr);
  // 5. calico_aggr(): the block itself, nothing beneath it (workload routes inside own blocks).
  for (const auto& b : c.own_blocks) {
    if (b.afi != afi) continue;
    f.rules.push_back(rule(b, Match::kExact, true));
    f.rules.push_back(rule(b, Match::kOrLonger, false));
  }
  // 6. Anything inside a /staticroutes range (the service ranges this node originates).
  if (c.advertise_services)
    for (const auto& s : c.service_ranges)
      if (s.afi == afi) f.rules.push_back(rule(s, Match::kOrLonger, true));
  // 7. Route reflectors pass on the LB and external addresses their clients advertise.
  if (c.self && !c.self->rr_cluster_id.empty())
    for (const auto& s : c.rr_service_ranges)
      if (s.afi == afi) f.rules.push_back(rule(s, Match::kOrLonger, true));
  // 8. Every pool not excluded from export (IPIP, VXLAN and plain alike; disabled ones too).
  for (const auto& p : c.pools)
    if (p.cidr.afi == afi && !p.disable_bgp_export)
      f.rules.push_back(rule(p.cidr, Match::kOrLonger, true));
  // 9. reject: the default. A rule repeating an earlier one can never decide anything.
  std::vector<rib::PrefixRule> rules;
  for (const auto& r : f.rules)
    if (std::find(rules.begin(), rules.end(), r) == rules.end()) rules.push_back(r);
  f.rules = std::move(rules);
  return f;
}

std::vector<rib::PrefixRule> bgpfilter_rules(const Context& c,
                                             const std::vector<std::string>& names, Direction dir,
                                             bgp::Afi afi, bool ebgp, std::string_view user) {
  std::vector<rib::PrefixRule> out;
  for (const auto& name : names) {
    const api::BGPFilter* f = find_filter(c, name);
    if (!f) {
      c.notes.add(std::string(user) + ": BGPFilter " + name + " not found; skipped");
      continue;
    }
    const bool v4 = afi == bgp::Afi::kIpv4;
    const auto& rules = dir == Direction::kImport
                            ? (v4 ? f->spec().import_v4() : f->spec().import_v6())
                            : (v4 ? f->spec().export_v4() : f->spec().export_v6());
    const std::string list =
        std::string(dir == Direction::kImport ? "import" : "export") + (v4 ? "V4" : "V6");
    for (int i = 0; i < rules.size(); ++i) {
      const auto& r = rules[i];
      if (r.peer_type() == "eBGP" && !ebgp) continue;
      if (r.peer_type() == "iBGP" && ebgp) continue;
      const std::string where = "BGPFilter " + name + " " + list + "[" + std::to_string(i) + "]";
      if (!r.peer_type().empty() && r.peer_type() != "eBGP" && r.peer_type() != "iBGP") {
        c.notes.add(where + ": peerType '" + r.peer_type() + "' is unknown; rule skipped");
        continue;
      }
      for (auto& x : translate(c, r, afi, where))
        out.push_back(x);
    }
  }
  return out;
}

}  // namespace tern::plan::detail
