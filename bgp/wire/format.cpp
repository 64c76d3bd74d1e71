#include "bgp/wire/format.hpp"

#include <sstream>

#include "bgp/wire/as_path.hpp"
#include "bgp/wire/context.hpp"

namespace tern::bgp {

namespace {

std::string community(uint32_t c) {
  return std::to_string(c >> 16) + ":" + std::to_string(c & 0xffff);
}

template <class T, class F>
std::string join(const std::vector<T>& v, F&& f) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += ' ';
    s += f(x);
  }
  return s;
}

std::string nlri_list(const std::vector<Nlri>& v) {
  return join(v, [](const Nlri& n) { return to_string(n); });
}

}  // namespace

const char* to_string(MessageType t) {
  switch (t) {
    case MessageType::kOpen:
      return "OPEN";
    case MessageType::kUpdate:
      return "UPDATE";
    case MessageType::kNotification:
      return "NOTIFICATION";
    case MessageType::kKeepalive:
      return "KEEPALIVE";
    case MessageType::kRouteRefresh:
      return "ROUTE-REFRESH";
  }
  return "?";
}

std::string to_string(const Capabilities& c) {
  std::ostringstream o;
  for (Family f : c.multiprotocol)
    o << " mp(" << to_string(f) << ")";
  if (c.route_refresh) o << " route-refresh";
  for (const auto& e : c.extended_next_hop)
    o << " extended-next-hop(" << to_string(e.nlri) << " via "
      << (e.next_hop_afi == Afi::kIpv6 ? "ipv6" : "ipv4") << ")";
  if (c.enhanced_route_refresh) o << " enhanced-route-refresh";
  if (c.extended_message) o << " extended-message";
  if (c.four_octet_as) o << " as4(" << *c.four_octet_as << ")";
  if (c.graceful_restart) {
    const auto& g = *c.graceful_restart;
    o << " graceful-restart(time " << g.restart_time << (g.restarting ? " R" : "")
      << (g.notification ? " N" : "");
    for (const auto& e : g.families)
      o << " " << to_string(e.family) << (e.forwarding_preserved ? "+F" : "");
    o << ")";
  }
  for (const auto& a : c.add_path) {
    static const char* const kModes[] = {"", "receive", "send", "send/receive"};
    o << " add-path(" << to_string(a.family) << " " << kModes[static_cast<int>(a.mode)] << ")";
  }
  if (c.long_lived_gr) {
    o << " llgr(" << join(c.long_lived_gr->families, [](const LongLivedGrCap::Entry& e) {
      return std::string(to_string(e.family)) + " stale " + std::to_string(e.stale_time) +
             (e.forwarding_preserved ? "+F" : "");
    }) << ")";
  }
  if (c.fqdn)
    o << " fqdn(" << c.fqdn->hostname << (c.fqdn->domain.empty() ? "" : ".") << c.fqdn->domain
      << ")";
  for (const auto& u : c.unknown)
    o << " cap" << int{u.code} << "[" << to_hex(u.value) << "]";
  return o.str();
}

std::string to_string(const PathAttributes& a) {
  std::ostringstream o;
  static const char* const kOrigins[] = {"igp", "egp", "incomplete"};
  if (a.origin) o << " origin " << kOrigins[static_cast<int>(*a.origin)];
  if (a.as_path) o << " as-path [" << to_string(*a.as_path) << "]";
  if (a.next_hop) o << " next-hop " << to_string(*a.next_hop);
  if (a.med) o << " med " << *a.med;
  if (a.local_pref) o << " local-pref " << *a.local_pref;
  if (a.atomic_aggregate) o << " atomic-aggregate";
  if (a.aggregator)
    o << " aggregator " << a.aggregator->asn << " " << to_string(IpAddr::v4(a.aggregator->address));
  if (a.communities) o << " communities [" << join(*a.communities, community) << "]";
  if (a.originator_id) o << " originator-id " << to_string(IpAddr::v4(*a.originator_id));
  if (a.cluster_list)
    o << " cluster-list ["
      << join(*a.cluster_list, [](uint32_t c) { return to_string(IpAddr::v4(c)); }) << "]";
  if (a.ext_communities)
    o << " ext-communities [" << join(*a.ext_communities, [](uint64_t c) {
      return to_hex(Bytes{static_cast<uint8_t>(c >> 56), static_cast<uint8_t>(c >> 48),
                          static_cast<uint8_t>(c >> 40), static_cast<uint8_t>(c >> 32),
                          static_cast<uint8_t>(c >> 24), static_cast<uint8_t>(c >> 16),
                          static_cast<uint8_t>(c >> 8), static_cast<uint8_t>(c)});
    }) << "]";
  if (a.large_communities)
    o << " large-communities [" << join(*a.large_communities, [](const LargeCommunity& c) {
      return std::to_string(c.global) + ":" + std::to_string(c.local1) + ":" +
             std::to_string(c.local2);
    }) << "]";
  if (a.otc) o << " otc " << *a.otc;
  for (const auto& u : a.unknown)
    o << " attr" << int{u.type} << "(flags " << int{u.flags} << ")[" << to_hex(u.value) << "]";
  return o.str();
}

std::string to_string(const Message& m) {
  std::ostringstream o;
  o << to_string(type_of(m));
  if (const auto* op = std::get_if<Open>(&m)) {
    o << " version " << int{op->version} << " as " << op->effective_as() << " hold "
      << op->hold_time << " id " << to_string(IpAddr::v4(op->bgp_id)) << to_string(op->caps);
  } else if (const auto* u = std::get_if<Update>(&m)) {
    if (auto eor = u->end_of_rib) {
      o << " end-of-rib " << to_string(*eor);
      return o.str();
    }
    if (!u->withdrawn.empty()) o << " withdraw [" << nlri_list(u->withdrawn) << "]";
    if (u->mp_unreach)
      o << " mp-unreach " << to_string(u->mp_unreach->family) << " ["
        << nlri_list(u->mp_unreach->withdrawn) << "]";
    o << to_string(u->attrs);
    if (u->mp_reach) {
      o << " mp-reach " << to_string(u->mp_reach->family) << " next-hop "
        << to_string(u->mp_reach->next_hop.global);
      if (u->mp_reach->next_hop.link_local)
        o << " link-local " << to_string(*u->mp_reach->next_hop.link_local);
      o << " [" << nlri_list(u->mp_reach->nlri) << "]";
    }
    if (!u->nlri.empty()) o << " nlri [" << nlri_list(u->nlri) << "]";
    if (u->action != Action::kNone) o << " action " << to_string(u->action);
  } else if (const auto* n = std::get_if<Notification>(&m)) {
    o << " " << describe(n->code, n->subcode);
    if (auto text = n->shutdown_text()) {
      o << " \"" << *text << "\"";
    } else if (!n->data.empty()) {
      o << " data " << to_hex(n->data);
    }
  } else if (const auto* rr = std::get_if<RouteRefresh>(&m)) {
    static const char* const kSub[] = {"", " begin-of-rib", " end-of-rib"};
    const auto s = static_cast<uint8_t>(rr->subtype);
    o << " afi " << rr->afi << " safi " << int{rr->safi} << (s < 3 ? kSub[s] : " subtype?");
  }
  return o.str();
}

CodecContext context_from_notes(std::string_view text) {
  auto says = [&](std::string_view what) { return text.find(what) != std::string_view::npos; };
  CodecContext ctx;
  ctx.four_octet_as = !says("as4: no");
  ctx.extended_message = says("extended-message: yes");
  ctx.add_path_receive = {says("addpath-rx: ipv4 yes"), says("ipv6 yes")};
  ctx.add_path_send = ctx.add_path_receive;
  ctx.ipv4_via_ipv6_next_hop = says("extended next hop");
  ctx.ebgp = says("ebgp: yes");
  return ctx;
}

std::string to_hex(ByteSpan bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

std::optional<Bytes> from_hex(std::string_view text) {
  Bytes out;
  int hi = -1;
  bool comment = false;
  for (char c : text) {
    if (comment) {
      if (c == '\n') comment = false;
      continue;
    }
    if (c == '#') {
      comment = true;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) return std::nullopt;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<uint8_t>(hi << 4 | v));
      hi = -1;
    }
  }
  if (hi >= 0) return std::nullopt;
  return out;
}

}  // namespace tern::bgp
