// UPDATE (RFC 4271 4.3) with RFC 7606 error handling. The walk never stops at the first
// problem: it records each one with its action, keeps the strongest (7606 3.h), and only a
// session reset ends the decode early, because then nothing after it can be trusted.

#include <algorithm>
#include <bitset>

#include "bgp/wire/as_path.hpp"
#include "bgp/wire/attr_table.hpp"
#include "bgp/wire/codec.hpp"
#include "bgp/wire/nlri.hpp"

namespace tern::bgp {

namespace {

BgpError update_error(uint8_t subcode, Action action, std::string reason, Bytes data = {},
                      uint8_t attr_type = 0) {
  auto e = make_error(err::kUpdate, subcode, action, std::move(reason), std::move(data));
  e.attr_type = attr_type;
  return e;
}

std::string hex_byte(uint8_t b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

void note(Update& u, BgpError e) {
  u.action = std::max(u.action, e.action);
  u.problems.push_back(std::move(e));
}

// RFC 4271 4.3: O/T bits must match the attribute's definition; Partial is only legal on
// optional transitive attributes.
bool flags_conflict(uint8_t got, uint8_t want) {
  if ((got & (attr::kOptional | attr::kTransitive)) != want) return true;
  const bool opt_trans = want == (attr::kOptional | attr::kTransitive);
  return !opt_trans && (got & attr::kPartial);
}

// RFC 6793 4.2.3, after every attribute has been seen.
void merge_as4(AttrDecodeState& st) {
  auto& a = st.update.attrs;
  if (st.as4_aggregator && a.aggregator && a.aggregator->asn != kAsTrans) {
    // The aggregating speaker was OLD, so nothing it said in AS4_* can be trusted.
    return;
  }
  if (st.as4_aggregator && a.aggregator) a.aggregator = st.as4_aggregator;
  if (st.as4_path && a.as_path) a.as_path = merge_as4_path(*a.as_path, *st.as4_path);
}

}  // namespace

Update Update::make_end_of_rib(Family f) {
  Update u;
  if (f != kIpv4Unicast) u.mp_unreach = MpUnreach{f, {}};
  u.end_of_rib = f;
  return u;
}

Result<Update> decode_update(ByteSpan body, const CodecContext& ctx) {
  Update u;
  Reader r(body);
  uint16_t withdrawn_len = 0, attrs_len = 0;
  ByteSpan withdrawn, attrs;
  // RFC 7606 3.b: the two length fields must fit the message, or nothing can be located.
  if (!r.u16(withdrawn_len) || !r.take(withdrawn_len, withdrawn) || !r.u16(attrs_len) ||
      !r.take(attrs_len, attrs))
    return update_error(err::kMalformedAttributeList, Action::kSessionReset,
                        "withdrawn routes length plus total attribute length exceed the message");
  const ByteSpan nlri_field = r.rest();
  std::string why;
  // RFC 7606 3.i/3.j: withdrawn routes and NLRI that do not parse reset the session.
  if (!decode_nlri(withdrawn, Afi::kIpv4, ctx.add_path_receive[0], u.withdrawn, why))
    return update_error(err::kInvalidNetworkField, Action::kSessionReset,
                        "withdrawn routes: " + why);

  AttrDecodeState st{u, ctx, {}, {}};
  std::bitset<256> seen;
  bool other_than_unreach = false;  // for RFC 7606 5.2
  bool mp_reach_on_wire = false;    // even for a family we ignore
  size_t attr_count = 0;            // for RFC 4724's End-of-RIB, judged on the wire
  size_t unreach_length = 0;
  Reader ar(attrs);
  while (!ar.empty()) {
    const uint8_t* attr_start = ar.position();
    uint8_t flags = 0, type = 0;
    uint16_t len = 0;
    bool ok = ar.u8(flags) && ar.u8(type);
    if (ok && (flags & attr::kExtendedLength)) {
      ok = ar.u16(len);
    } else if (ok) {
      uint8_t l8 = 0;
      ok = ar.u8(l8);
      len = l8;
    }
    ByteSpan value;
    if (!ok || !ar.take(len, value)) {
      // RFC 7606 4: the attribute section is inconsistent with its length. Its end is still
      // known from Total Attribute Length, so the NLRI can be found and withdrawn, unless the
      // broken attribute is MP_REACH/MP_UNREACH, whose NLRI are lost with it (5.3, 3.j).
      if (ok && (type == attr::kMpReach || type == attr::kMpUnreach))
        return update_error(err::kMalformedAttributeList, Action::kSessionReset,
                            "MP_(UN)REACH_NLRI overruns the path attribute section", {}, type);
      other_than_unreach = true;
      note(u, update_error(err::kMalformedAttributeList, Action::kTreatAsWithdraw,
                           "attribute overruns the path attribute section", {}, type));
      break;
    }
    const Bytes whole(attr_start, value.data() + value.size());
    const AttrRow* row = attr_row(type);
    if (type != attr::kMpUnreach) other_than_unreach = true;
    if (type == attr::kMpReach) mp_reach_on_wire = true;
    if (type == attr::kMpUnreach) unreach_length = value.size();
    ++attr_count;

    if (seen[type]) {
      // RFC 7606 3.g.
      if (type == attr::kMpReach || type == attr::kMpUnreach)
        return update_error(err::kMalformedAttributeList, Action::kSessionReset,
                            std::string(row->name) + " appears more than once", {}, type);
      note(u, update_error(err::kMalformedAttributeList, Action::kAttributeDiscard,
                           "attribute " + std::to_string(type) + " repeated; later copy discarded",
                           {}, type));
      continue;
    }
    seen[type] = true;

    if (!row) {
      if (!(flags & attr::kOptional)) {
        // An attribute flagged well-known that we do not know. RFC 4271 would reset the
        // session; one route is not worth that, so the route is withdrawn instead.
        note(u, update_error(err::kUnrecognizedWellKnown, Action::kTreatAsWithdraw,
                             "unrecognized well-known attribute " + std::to_string(type), whole,
                             type));
      } else if (flags & attr::kTransitive) {
        // RFC 4271 5: kept for propagation with the Partial bit set; policy decides whether
        // it ever leaves this speaker.
        u.attrs.unknown.push_back(
            {static_cast<uint8_t>((flags | attr::kPartial) & ~attr::kExtendedLength), type,
             Bytes(value.begin(), value.end())});
      }
      continue;
    }

    Action action = row->malformed;
    uint8_t subcode = 0;
    std::string reason;
    if (ctx.ebgp && row->ibgp_only) {
      note(u, update_error(err::kOptionalAttribute, Action::kAttributeDiscard,
                           std::string(row->name) + " from an external peer discarded", {}, type));
      continue;
    }
    if (flags_conflict(flags, row->flags)) {
      subcode = err::kAttributeFlags;
      reason = "flags " + hex_byte(flags) + " conflict with the attribute's definition";
    } else if (value.empty() && !row->may_be_empty) {
      subcode = err::kAttributeLength;
      reason = "zero length";
    } else {
      Verdict v = row->decode(value, st);
      if (v.ok) continue;
      subcode = v.subcode;
      reason = std::move(v.why);
      if (v.action) action = *v.action;
    }
    BgpError e = update_error(subcode, action, std::string(row->name) + ": " + reason, whole, type);
    // Notification data (RFC 4271 6.3): the attribute for these subcodes, nothing for others.
    if (subcode == err::kMalformedAsPath) e.data.clear();
    if (action == Action::kSessionReset) return e;
    note(u, std::move(e));
  }

  if (!decode_nlri(nlri_field, Afi::kIpv4, ctx.add_path_receive[0], u.nlri, why))
    return update_error(err::kInvalidNetworkField, Action::kSessionReset, "NLRI: " + why);

  // RFC 4724 2: no withdrawn routes, attributes or NLRI; or a lone MP_UNREACH of just AFI and
  // SAFI (an enabled family: one we ignore leaves mp_unreach unset). Judged on what was sent,
  // so an UPDATE whose attributes were all discarded is not mistaken for one.
  if (withdrawn.empty() && nlri_field.empty()) {
    if (attrs.empty()) u.end_of_rib = kIpv4Unicast;
    if (attr_count == 1 && unreach_length == 3 && u.mp_unreach) u.end_of_rib = u.mp_unreach->family;
  }

  if (!ctx.four_octet_as) merge_as4(st);
  // Kept in type order, the order they are encoded in, so a decoded UPDATE compares equal to
  // its own re-encoding (found by fuzz_update: a peer may send them in any order).
  std::stable_sort(u.attrs.unknown.begin(), u.attrs.unknown.end(),
                   [](const auto& a, const auto& b) { return a.type < b.type; });

  // RFC 7606 3.d: well-known mandatory attributes, needed only when something is announced.
  const bool announces = !u.nlri.empty() || (u.mp_reach && !u.mp_reach->nlri.empty());
  if (announces && u.action < Action::kTreatAsWithdraw) {
    auto missing = [&](uint8_t type, const char* name) {
      note(u, update_error(err::kMissingWellKnown, Action::kTreatAsWithdraw,
                           std::string("missing ") + name, Bytes{type}, type));
    };
    if (!u.attrs.origin && !seen[attr::kOrigin]) missing(attr::kOrigin, "ORIGIN");
    if (!u.attrs.as_path && !seen[attr::kAsPath]) missing(attr::kAsPath, "AS_PATH");
    // NEXT_HOP only matters to the IPv4 NLRI field; MP_REACH carries its own.
    if (!u.nlri.empty() && !u.attrs.next_hop && !seen[attr::kNextHop])
      missing(attr::kNextHop, "NEXT_HOP");
  }

  // RFC 7606 5.2: with nothing announced, an error stronger than attribute discard would
  // have nothing to withdraw, so it cannot be contained: reset.
  if (!announces && !mp_reach_on_wire && other_than_unreach &&
      u.action > Action::kAttributeDiscard) {
    for (auto& p : u.problems) {
      if (p.action > Action::kAttributeDiscard) {
        BgpError e = p;
        e.action = Action::kSessionReset;
        e.reason += " (and the UPDATE announces nothing, RFC 7606 5.2)";
        return e;
      }
    }
  }
  return u;
}

Status validate_for_encode(const Update& u, const CodecContext& ctx) {
  auto bad = [](std::string why) {
    return make_error(err::kUpdate, 0, Action::kNone, "cannot encode UPDATE: " + std::move(why));
  };
  auto check = [&](const std::vector<Nlri>& list, Afi afi, const char* where) -> Status {
    const unsigned max = max_prefix_len(afi);
    for (const auto& n : list)
      if (n.prefix.afi != afi || n.prefix.len > max)
        return bad(std::string(where) + " holds " + to_string(n.prefix));
    return Ok{};
  };
  if (auto s = check(u.withdrawn, Afi::kIpv4, "withdrawn routes"); !s) return s;
  if (auto s = check(u.nlri, Afi::kIpv4, "NLRI"); !s) return s;
  if (u.mp_unreach) {
    if (auto s = check(u.mp_unreach->withdrawn, u.mp_unreach->family.afi, "MP_UNREACH"); !s)
      return s;
  }
  if (u.mp_reach) {
    const auto& mp = *u.mp_reach;
    if (auto s = check(mp.nlri, mp.family.afi, "MP_REACH"); !s) return s;
    const Afi nh = mp.next_hop.global.afi;
    const bool v6_for_v4 =
        mp.family == kIpv4Unicast && nh == Afi::kIpv6 && ctx.ipv4_via_ipv6_next_hop;
    if (nh != mp.family.afi && !v6_for_v4) return bad("next hop family differs from the NLRI's");
    if (mp.next_hop.link_local && mp.next_hop.link_local->afi != nh)
      return bad("link-local next hop family differs");
  }
  if (u.attrs.as_path) {
    for (const auto& seg : u.attrs.as_path->segments) {
      const bool set = seg.type == SegmentType::kSet || seg.type == SegmentType::kConfedSet;
      // Splitting a set would change the path length it counts for (one per set).
      if (set && seg.asns.size() > 255) return bad("AS_SET with more than 255 members");
    }
  }
  return Ok{};
}

void encode_update_body(const Update& u, const CodecContext& ctx, Writer& w) {
  const size_t wlen = w.placeholder_u16();
  encode_nlri(u.withdrawn, ctx.add_path_send[0], w);
  w.patch_u16(wlen, static_cast<uint16_t>(w.size() - wlen - 2));

  const size_t alen = w.placeholder_u16();
  // RFC 7606 5.1: MP_REACH/MP_UNREACH first, then the rest in ascending type order (RFC 4271
  // 5), unknown attributes interleaved at their place.
  attr_row(attr::kMpReach)->encode(u, ctx, w);
  attr_row(attr::kMpUnreach)->encode(u, ctx, w);
  std::vector<const UnknownAttribute*> unknown;
  unknown.reserve(u.attrs.unknown.size());
  for (const auto& x : u.attrs.unknown)
    unknown.push_back(&x);
  std::stable_sort(unknown.begin(), unknown.end(),
                   [](auto* a, auto* b) { return a->type < b->type; });
  auto next_unknown = unknown.begin();
  auto flush_unknown_below = [&](int type) {
    for (; next_unknown != unknown.end() && (*next_unknown)->type < type; ++next_unknown) {
      const auto* x = *next_unknown;
      put_attr(w, x->flags, x->type, [&] { w.bytes(x->value); });
    }
  };
  for (const AttrRow& row : attr_rows()) {
    if (row.type == attr::kMpReach || row.type == attr::kMpUnreach) continue;
    flush_unknown_below(row.type);
    row.encode(u, ctx, w);
  }
  flush_unknown_below(256);
  w.patch_u16(alen, static_cast<uint16_t>(w.size() - alen - 2));

  encode_nlri(u.nlri, ctx.add_path_send[0], w);
}

}  // namespace tern::bgp
