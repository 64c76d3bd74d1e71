#include "rib/policy.hpp"

#include <algorithm>

namespace tern::rib {

namespace {

uint32_t presented_as(const PeerPolicy& p, const LocalIdentity& me) {
  return p.local_as ? p.local_as : me.as;
}

void prepend(bgp::PathAttributes& a, uint32_t as) {
  if (!a.as_path) a.as_path = bgp::AsPath{};
  auto& segs = a.as_path->segments;
  if (!segs.empty() && segs.front().type == bgp::SegmentType::kSequence &&
      segs.front().asns.size() < 255) {
    segs.front().asns.insert(segs.front().asns.begin(), as);
  } else {
    segs.insert(segs.begin(), bgp::AsSegment{bgp::SegmentType::kSequence, {as}});
  }
}

}  // namespace

size_t count_as(const bgp::AsPath& path, uint32_t as) {
  size_t n = 0;
  for (const auto& seg : path.segments)
    n += std::count(seg.asns.begin(), seg.asns.end(), as);
  return n;
}

ImportVerdict check_import(const bgp::PathAttributes& a, const PeerPolicy& from,
                           const LocalIdentity& me) {
  if (a.as_path) {
    // Both our own AS and the one we present to this peer count as "us".
    const uint32_t presented = presented_as(from, me);
    size_t seen = count_as(*a.as_path, me.as);
    if (presented != me.as) seen += count_as(*a.as_path, presented);
    if (seen > from.allow_local_as) return ImportVerdict::kAsLoop;
  }
  if (!from.ebgp) {
    if (a.originator_id && *a.originator_id == me.router_id) return ImportVerdict::kOriginatorIsUs;
    if (me.cluster_id && a.cluster_list &&
        std::find(a.cluster_list->begin(), a.cluster_list->end(), me.cluster_id) !=
            a.cluster_list->end())
      return ImportVerdict::kClusterLoop;
  }
  return ImportVerdict::kAccept;
}

bool may_export(const PathOrigin& from, const PeerPolicy& to, const LocalIdentity& me) {
  const bool learned_ibgp = !from.local && !from.ebgp;
  // RFC 4456 6: only a reflector passes iBGP routes on to iBGP, and never from one non-client
  // to another.
  return to.ebgp || !learned_ibgp || (me.cluster_id && (from.from_rr_client || to.rr_client));
}

std::optional<bgp::PathAttributes> export_attrs(const bgp::PathAttributes& in,
                                                const PathOrigin& from, const PeerPolicy& to,
                                                const LocalIdentity& me) {
  if (!may_export(from, to, me)) return std::nullopt;
  bgp::PathAttributes a = in;
  const bool learned_ibgp = !from.local && !from.ebgp;

  if (to.ebgp) {
    // RFC 4271 5.1.3/5.1.5: our AS in front, our address as next hop, nothing iBGP-only.
    prepend(a, presented_as(to, me));
    a.local_pref.reset();
    a.originator_id.reset();
    a.cluster_list.reset();
    // 5.1.4: a MED heard from another AS is not passed on to a third.
    if (!from.local) a.med.reset();
    if (!to.keep_next_hop || from.local) a.next_hop = to.local_address;
    return a;
  }

  if (learned_ibgp) {
    // RFC 4456 8: reflection leaves NEXT_HOP, AS_PATH, LOCAL_PREF and MED alone, records where the
    // route entered the cluster and that it passed through ours.
    if (!a.originator_id) a.originator_id = from.peer_router_id;
    if (!a.cluster_list) a.cluster_list = std::vector<uint32_t>{};
    a.cluster_list->insert(a.cluster_list->begin(), me.cluster_id);
    return a;
  }

  // To iBGP, originated here or learned over eBGP.
  if (!a.local_pref) a.local_pref = 100;
  if (from.local || to.next_hop_self) a.next_hop = to.local_address;
  if (from.local && !a.as_path) a.as_path = bgp::AsPath{};
  return a;
}

const char* to_string(ImportVerdict v) {
  switch (v) {
    case ImportVerdict::kAccept:
      return "accepted";
    case ImportVerdict::kAsLoop:
      return "AS loop";
    case ImportVerdict::kOriginatorIsUs:
      return "ORIGINATOR_ID is our router id";
    case ImportVerdict::kClusterLoop:
      return "our cluster id is in CLUSTER_LIST";
    case ImportVerdict::kFilteredOut:
      return "refused by the import filter";
  }
  return "?";
}

}  // namespace tern::rib
