// One decode and one encode function per path attribute, and the table that ties them to
// their type code, flags and RFC 7606 section 7 action.

#include <algorithm>
#include <array>

#include "bgp/wire/as_path.hpp"
#include "bgp/wire/attr_table.hpp"
#include "bgp/wire/nlri.hpp"

namespace tern::bgp {

namespace {

using namespace attr;
constexpr uint8_t kWellKnown = kTransitive;
constexpr uint8_t kOptTrans = kOptional | kTransitive;
constexpr uint8_t kOptNonTrans = kOptional;

Verdict fixed_length(ByteSpan v, size_t want) {
  if (v.size() == want) return Verdict::good();
  return Verdict::bad(err::kAttributeLength,
                      "length " + std::to_string(v.size()) + ", expected " + std::to_string(want));
}

Verdict multiple_of(ByteSpan v, size_t unit) {
  if (!v.empty() && v.size() % unit == 0) return Verdict::good();
  return Verdict::bad(err::kOptionalAttribute, "length " + std::to_string(v.size()) +
                                                   " is not a non-zero multiple of " +
                                                   std::to_string(unit));
}

uint32_t be32(ByteSpan v, size_t at = 0) {
  return (uint32_t{v[at]} << 24) | (uint32_t{v[at + 1]} << 16) | (uint32_t{v[at + 2]} << 8) |
         v[at + 3];
}

// ---------------------------------------------------------------- ORIGIN (1)
Verdict dec_origin(ByteSpan v, AttrDecodeState& st) {
  if (v.size() != 1) return fixed_length(v, 1);
  if (v[0] > 2) return Verdict::bad(err::kInvalidOrigin, "value " + std::to_string(v[0]));
  st.update.attrs.origin = static_cast<Origin>(v[0]);
  return Verdict::good();
}
void enc_origin(const Update& u, const CodecContext&, Writer& w) {
  if (!u.attrs.origin) return;
  put_attr(w, kWellKnown, kOrigin, [&] { w.u8(static_cast<uint8_t>(*u.attrs.origin)); });
}

// ---------------------------------------------------------------- AS_PATH (2)
Verdict dec_as_path(ByteSpan v, AttrDecodeState& st) {
  AsPath p;
  std::string why;
  if (!decode_as_path(v, st.ctx.four_octet_as, p, why))
    return Verdict::bad(err::kMalformedAsPath, why);
  // RFC 7606 7.2: confederation segments from a peer outside our confederation (we run
  // none, so any eBGP peer) make the path malformed.
  if (st.ctx.ebgp && has_confed_segments(p))
    return Verdict::bad(err::kMalformedAsPath, "confederation segment from an eBGP peer");
  st.update.attrs.as_path = std::move(p);
  return Verdict::good();
}
void enc_as_path(const Update& u, const CodecContext& ctx, Writer& w) {
  if (!u.attrs.as_path) return;
  put_attr(w, kWellKnown, kAsPath, [&] { encode_as_path(*u.attrs.as_path, ctx.four_octet_as, w); });
}

// ---------------------------------------------------------------- NEXT_HOP (3)
Verdict dec_next_hop(ByteSpan v, AttrDecodeState& st) {
  if (v.size() != 4) return fixed_length(v, 4);
  st.update.attrs.next_hop = IpAddr::v4(be32(v));
  return Verdict::good();
}
void enc_next_hop(const Update& u, const CodecContext&, Writer& w) {
  if (!u.attrs.next_hop || u.attrs.next_hop->afi != Afi::kIpv4) return;
  put_attr(w, kWellKnown, kNextHop, [&] { w.bytes(u.attrs.next_hop->b.data(), 4); });
}

// ---------------------------------------------------------------- MULTI_EXIT_DISC (4), LOCAL_PREF
// (5)
Verdict dec_med(ByteSpan v, AttrDecodeState& st) {
  if (v.size() != 4) return fixed_length(v, 4);
  st.update.attrs.med = be32(v);
  return Verdict::good();
}
void enc_med(const Update& u, const CodecContext&, Writer& w) {
  if (u.attrs.med) put_attr(w, kOptNonTrans, kMed, [&] { w.u32(*u.attrs.med); });
}
Verdict dec_local_pref(ByteSpan v, AttrDecodeState& st) {
  if (v.size() != 4) return fixed_length(v, 4);
  st.update.attrs.local_pref = be32(v);
  return Verdict::good();
}
void enc_local_pref(const Update& u, const CodecContext& ctx, Writer& w) {
  // RFC 4271 5.1.5: never sent to external peers.
  if (u.attrs.local_pref && !ctx.ebgp)
    put_attr(w, kWellKnown, kLocalPref, [&] { w.u32(*u.attrs.local_pref); });
}

// ---------------------------------------------------------------- ATOMIC_AGGREGATE (6)
Verdict dec_atomic(ByteSpan v, AttrDecodeState& st) {
  if (!v.empty()) return fixed_length(v, 0);
  st.update.attrs.atomic_aggregate = true;
  return Verdict::good();
}
void enc_atomic(const Update& u, const CodecContext&, Writer& w) {
  if (u.attrs.atomic_aggregate) put_attr(w, kWellKnown, kAtomicAggregate, [] {});
}

// ---------------------------------------------------------------- AGGREGATOR (7), AS4_AGGREGATOR
// (18)
Verdict dec_aggregator(ByteSpan v, AttrDecodeState& st) {
  const bool four = st.ctx.four_octet_as;
  if (v.size() != (four ? 8u : 6u)) return fixed_length(v, four ? 8 : 6);
  Aggregator a;
  a.asn = four ? be32(v) : (uint32_t{v[0]} << 8 | v[1]);
  a.address = be32(v, four ? 4 : 2);
  if (a.asn == 0) return Verdict::bad(err::kAttributeLength, "AS 0 (RFC 7607)");
  st.update.attrs.aggregator = a;
  return Verdict::good();
}
void enc_aggregator(const Update& u, const CodecContext& ctx, Writer& w) {
  if (!u.attrs.aggregator) return;
  const auto& a = *u.attrs.aggregator;
  put_attr(w, kOptTrans, kAggregator, [&] {
    if (ctx.four_octet_as) {
      w.u32(a.asn);
    } else {
      w.u16(a.asn > 0xffff ? kAsTrans : static_cast<uint16_t>(a.asn));
    }
    w.u32(a.address);
  });
}
Verdict dec_as4_aggregator(ByteSpan v, AttrDecodeState& st) {
  if (v.size() != 8) return fixed_length(v, 8);
  // RFC 6793 6: NEW speakers never send it; from one it is discarded.
  if (st.ctx.four_octet_as)
    return {false, err::kOptionalAttribute, "AS4_AGGREGATOR from a 4-octet AS speaker",
            Action::kAttributeDiscard};
  if (be32(v) == 0) return Verdict::bad(err::kOptionalAttribute, "AS 0 (RFC 7607)");
  st.as4_aggregator = Aggregator{be32(v), be32(v, 4)};
  return Verdict::good();
}
void enc_as4_aggregator(const Update& u, const CodecContext& ctx, Writer& w) {
  if (ctx.four_octet_as || !u.attrs.aggregator || u.attrs.aggregator->asn <= 0xffff) return;
  put_attr(w, kOptTrans, kAs4Aggregator, [&] {
    w.u32(u.attrs.aggregator->asn);
    w.u32(u.attrs.aggregator->address);
  });
}

// ---------------------------------------------------------------- AS4_PATH (17)
Verdict dec_as4_path(ByteSpan v, AttrDecodeState& st) {
  AsPath p;
  std::string why;
  if (!decode_as_path(v, true, p, why)) return Verdict::bad(err::kOptionalAttribute, why);
  if (st.ctx.four_octet_as)
    return {false, err::kOptionalAttribute, "AS4_PATH from a 4-octet AS speaker",
            Action::kAttributeDiscard};
  st.as4_path = std::move(p);
  return Verdict::good();
}
void enc_as4_path(const Update& u, const CodecContext& ctx, Writer& w) {
  if (ctx.four_octet_as || !u.attrs.as_path || !needs_as4(*u.attrs.as_path)) return;
  put_attr(w, kOptTrans, kAs4Path, [&] { encode_as_path(as4_path_of(*u.attrs.as_path), true, w); });
}

// ---------------------------------------------------------------- COMMUNITIES (8)
Verdict dec_communities(ByteSpan v, AttrDecodeState& st) {
  if (auto vd = multiple_of(v, 4); !vd.ok) return vd;
  auto& out = st.update.attrs.communities.emplace();
  out.reserve(v.size() / 4);
  for (size_t i = 0; i < v.size(); i += 4)
    out.push_back(be32(v, i));
  return Verdict::good();
}
void enc_communities(const Update& u, const CodecContext&, Writer& w) {
  if (!u.attrs.communities || u.attrs.communities->empty()) return;
  put_attr(w, kOptTrans, kCommunities, [&] {
    for (uint32_t c : *u.attrs.communities)
      w.u32(c);
  });
}

// ---------------------------------------------------------------- ORIGINATOR_ID (9), CLUSTER_LIST
// (10)
Verdict dec_originator(ByteSpan v, AttrDecodeState& st) {
  if (v.size() != 4) return fixed_length(v, 4);
  st.update.attrs.originator_id = be32(v);
  return Verdict::good();
}
void enc_originator(const Update& u, const CodecContext& ctx, Writer& w) {
  if (u.attrs.originator_id && !ctx.ebgp)
    put_attr(w, kOptNonTrans, kOriginatorId, [&] { w.u32(*u.attrs.originator_id); });
}
Verdict dec_cluster_list(ByteSpan v, AttrDecodeState& st) {
  if (auto vd = multiple_of(v, 4); !vd.ok) return vd;
  auto& out = st.update.attrs.cluster_list.emplace();
  for (size_t i = 0; i < v.size(); i += 4)
    out.push_back(be32(v, i));
  return Verdict::good();
}
void enc_cluster_list(const Update& u, const CodecContext& ctx, Writer& w) {
  if (!u.attrs.cluster_list || u.attrs.cluster_list->empty() || ctx.ebgp) return;
  put_attr(w, kOptNonTrans, kClusterList, [&] {
    for (uint32_t c : *u.attrs.cluster_list)
      w.u32(c);
  });
}

// ---------------------------------------------------------------- MP_REACH_NLRI (14)
Verdict dec_mp_reach(ByteSpan v, AttrDecodeState& st) {
  Reader r(v);
  uint16_t afi = 0;
  uint8_t safi = 0, nh_len = 0, reserved = 0;
  ByteSpan nh, nlri;
  // RFC 7606 5.3 / 7.11: if the NLRI cannot be located the session goes down.
  if (!r.u16(afi) || !r.u8(safi) || !r.u8(nh_len) || !r.take(nh_len, nh) || !r.u8(reserved))
    return Verdict::bad(err::kOptionalAttribute, "MP_REACH_NLRI truncated before its NLRI");
  nlri = r.rest();
  const auto idx = family_index(afi, safi);
  // RFC 4760 7 leaves a family we did not negotiate to be ignored; we do exactly that.
  if (!idx || !st.ctx.families[*idx]) {
    return {false, err::kOptionalAttribute,
            "MP_REACH_NLRI for AFI " + std::to_string(afi) + " SAFI " + std::to_string(safi) +
                " which is not enabled; ignored",
            Action::kNone};
  }
  const FamilyDesc& fd = kFamilies[*idx];
  // The next hop's own family: the NLRI's, or IPv6 for IPv4 routes under RFC 8950.
  Afi nh_afi = fd.family.afi;
  const bool v6_for_v4 =
      fd.family == kIpv4Unicast && st.ctx.ipv4_via_ipv6_next_hop && (nh_len == 16 || nh_len == 32);
  if (v6_for_v4) {
    nh_afi = Afi::kIpv6;
  } else if (nh_len == 0 || (nh_len != fd.nexthop_len[0] && nh_len != fd.nexthop_len[1])) {
    return Verdict::bad(err::kOptionalAttribute,
                        "next hop length " + std::to_string(nh_len) + " is wrong for " + fd.name);
  }
  const size_t width = nh_afi == Afi::kIpv4 ? 4 : 16;
  MpReach mp;
  mp.family = fd.family;
  mp.next_hop.global.afi = nh_afi;
  std::copy_n(nh.begin(), width, mp.next_hop.global.b.begin());
  if (nh_len == 2 * width) {
    IpAddr ll;
    ll.afi = nh_afi;
    std::copy_n(nh.begin() + width, width, ll.b.begin());
    mp.next_hop.link_local = ll;
  }
  std::string why;
  if (!decode_nlri(nlri, fd.family.afi, st.ctx.add_path_receive[*idx], mp.nlri, why))
    return Verdict::bad(err::kOptionalAttribute, "MP_REACH_NLRI: " + why);
  st.update.mp_reach = std::move(mp);
  return Verdict::good();
}
void enc_mp_reach(const Update& u, const CodecContext& ctx, Writer& w) {
  if (!u.mp_reach) return;
  const auto& mp = *u.mp_reach;
  const bool add_path = ctx.add_path_send[family_index(mp.family)];
  put_attr(w, kOptNonTrans, kMpReach, [&] {
    w.u16(static_cast<uint16_t>(mp.family.afi));
    w.u8(static_cast<uint8_t>(mp.family.safi));
    const bool ll = mp.next_hop.link_local.has_value();
    const size_t width = mp.next_hop.global.afi == Afi::kIpv4 ? 4 : 16;
    w.u8(static_cast<uint8_t>(width * (ll ? 2 : 1)));
    w.bytes(mp.next_hop.global.b.data(), width);
    if (ll) w.bytes(mp.next_hop.link_local->b.data(), width);
    w.u8(0);
    encode_nlri(mp.nlri, add_path, w);
  });
}

// ---------------------------------------------------------------- MP_UNREACH_NLRI (15)
Verdict dec_mp_unreach(ByteSpan v, AttrDecodeState& st) {
  Reader r(v);
  uint16_t afi = 0;
  uint8_t safi = 0;
  if (!r.u16(afi) || !r.u8(safi))
    return Verdict::bad(err::kOptionalAttribute, "MP_UNREACH_NLRI shorter than 3 bytes");
  const auto idx = family_index(afi, safi);
  if (!idx || !st.ctx.families[*idx]) {
    return {false, err::kOptionalAttribute,
            "MP_UNREACH_NLRI for AFI " + std::to_string(afi) + " SAFI " + std::to_string(safi) +
                " which is not enabled; ignored",
            Action::kNone};
  }
  const FamilyDesc& fd = kFamilies[*idx];
  MpUnreach mp;
  mp.family = fd.family;
  std::string why;
  if (!decode_nlri(r.rest(), fd.family.afi, st.ctx.add_path_receive[*idx], mp.withdrawn, why))
    return Verdict::bad(err::kOptionalAttribute, "MP_UNREACH_NLRI: " + why);
  st.update.mp_unreach = std::move(mp);
  return Verdict::good();
}
void enc_mp_unreach(const Update& u, const CodecContext& ctx, Writer& w) {
  if (!u.mp_unreach) return;
  const auto& mp = *u.mp_unreach;
  const bool add_path = ctx.add_path_send[family_index(mp.family)];
  put_attr(w, kOptNonTrans, kMpUnreach, [&] {
    w.u16(static_cast<uint16_t>(mp.family.afi));
    w.u8(static_cast<uint8_t>(mp.family.safi));
    encode_nlri(mp.withdrawn, add_path, w);
  });
}

// ---------------------------------------------------------------- EXTENDED_COMMUNITIES (16)
Verdict dec_ext_communities(ByteSpan v, AttrDecodeState& st) {
  if (auto vd = multiple_of(v, 8); !vd.ok) return vd;
  // RFC 7606 7.14: an unknown type or sub-type is not an error; we keep every value.
  auto& out = st.update.attrs.ext_communities.emplace();
  for (size_t i = 0; i < v.size(); i += 8)
    out.push_back(uint64_t{be32(v, i)} << 32 | be32(v, i + 4));
  return Verdict::good();
}
void enc_ext_communities(const Update& u, const CodecContext&, Writer& w) {
  if (!u.attrs.ext_communities || u.attrs.ext_communities->empty()) return;
  put_attr(w, kOptTrans, kExtCommunities, [&] {
    for (uint64_t c : *u.attrs.ext_communities)
      w.u64(c);
  });
}

// ---------------------------------------------------------------- LARGE_COMMUNITY (32)
Verdict dec_large_communities(ByteSpan v, AttrDecodeState& st) {
  if (auto vd = multiple_of(v, 12); !vd.ok) return vd;
  auto& out = st.update.attrs.large_communities.emplace();
  for (size_t i = 0; i < v.size(); i += 12)
    out.push_back({be32(v, i), be32(v, i + 4), be32(v, i + 8)});
  return Verdict::good();
}
void enc_large_communities(const Update& u, const CodecContext&, Writer& w) {
  if (!u.attrs.large_communities || u.attrs.large_communities->empty()) return;
  put_attr(w, kOptTrans, kLargeCommunities, [&] {
    for (const auto& c : *u.attrs.large_communities) {
      w.u32(c.global);
      w.u32(c.local1);
      w.u32(c.local2);
    }
  });
}

// ---------------------------------------------------------------- OTC (35, RFC 9234)
Verdict dec_otc(ByteSpan v, AttrDecodeState& st) {
  if (v.size() != 4) return fixed_length(v, 4);  // RFC 9234 5: treat-as-withdraw
  st.update.attrs.otc = be32(v);
  return Verdict::good();
}
void enc_otc(const Update& u, const CodecContext&, Writer& w) {
  if (u.attrs.otc) put_attr(w, kOptTrans, kOtc, [&] { w.u32(*u.attrs.otc); });
}

using A = Action;
// RFC 7606 section 7 in one table. MP_REACH/MP_UNREACH: a malformed one cannot be skipped
// safely (its NLRI would be lost), so the session is reset (7.11, 5.3).
constexpr AttrRow kRows[] = {
    {kOrigin, "ORIGIN", kWellKnown, false, A::kTreatAsWithdraw, false, dec_origin, enc_origin},
    {kAsPath, "AS_PATH", kWellKnown, true, A::kTreatAsWithdraw, false, dec_as_path, enc_as_path},
    {kNextHop, "NEXT_HOP", kWellKnown, false, A::kTreatAsWithdraw, false, dec_next_hop,
     enc_next_hop},
    {kMed, "MULTI_EXIT_DISC", kOptNonTrans, false, A::kTreatAsWithdraw, false, dec_med, enc_med},
    {kLocalPref, "LOCAL_PREF", kWellKnown, false, A::kTreatAsWithdraw, true, dec_local_pref,
     enc_local_pref},
    {kAtomicAggregate, "ATOMIC_AGGREGATE", kWellKnown, true, A::kAttributeDiscard, false,
     dec_atomic, enc_atomic},
    {kAggregator, "AGGREGATOR", kOptTrans, false, A::kAttributeDiscard, false, dec_aggregator,
     enc_aggregator},
    {kCommunities, "COMMUNITIES", kOptTrans, false, A::kTreatAsWithdraw, false, dec_communities,
     enc_communities},
    {kOriginatorId, "ORIGINATOR_ID", kOptNonTrans, false, A::kTreatAsWithdraw, true, dec_originator,
     enc_originator},
    {kClusterList, "CLUSTER_LIST", kOptNonTrans, false, A::kTreatAsWithdraw, true, dec_cluster_list,
     enc_cluster_list},
    {kMpReach, "MP_REACH_NLRI", kOptNonTrans, false, A::kSessionReset, false, dec_mp_reach,
     enc_mp_reach},
    {kMpUnreach, "MP_UNREACH_NLRI", kOptNonTrans, false, A::kSessionReset, false, dec_mp_unreach,
     enc_mp_unreach},
    {kExtCommunities, "EXTENDED_COMMUNITIES", kOptTrans, false, A::kTreatAsWithdraw, false,
     dec_ext_communities, enc_ext_communities},
    {kAs4Path, "AS4_PATH", kOptTrans, false, A::kAttributeDiscard, false, dec_as4_path,
     enc_as4_path},
    {kAs4Aggregator, "AS4_AGGREGATOR", kOptTrans, false, A::kAttributeDiscard, false,
     dec_as4_aggregator, enc_as4_aggregator},
    {kLargeCommunities, "LARGE_COMMUNITY", kOptTrans, false, A::kTreatAsWithdraw, false,
     dec_large_communities, enc_large_communities},
    {kOtc, "OTC", kOptTrans, false, A::kTreatAsWithdraw, false, dec_otc, enc_otc},
};

constexpr auto kIndex = [] {
  std::array<int8_t, 256> idx{};
  idx.fill(-1);
  for (size_t i = 0; i < std::size(kRows); ++i)
    idx[kRows[i].type] = static_cast<int8_t>(i);
  return idx;
}();

}  // namespace

const AttrRow* attr_row(uint8_t type) {
  const int i = kIndex[type];
  return i < 0 ? nullptr : &kRows[i];
}

std::span<const AttrRow> attr_rows() {
  return kRows;
}

}  // namespace tern::bgp
