// Capabilities Optional Parameter (RFC 5492) and the capabilities we understand. Anything we
// do not understand is kept as raw bytes so it can be shown and compared.

#include "bgp/wire/codec.hpp"

namespace tern::bgp {

namespace {

BgpError malformed(uint8_t code, const std::string& what) {
  return make_error(err::kOpen, err::kOpenUnspecific, Action::kSessionReset,
                    "malformed capability " + std::to_string(code) + ": " + what);
}

std::optional<Family> read_family(Reader& r) {
  uint16_t afi = 0;
  uint8_t safi = 0;
  if (!r.u16(afi) || !r.u8(safi)) return std::nullopt;
  if (auto i = family_index(afi, safi)) return kFamilies[*i].family;
  return Family{static_cast<Afi>(afi), static_cast<Safi>(safi)};
}

bool known(Family f) {
  return family_index(static_cast<uint16_t>(f.afi), static_cast<uint8_t>(f.safi)).has_value();
}

void write_family(Writer& w, Family f) {
  w.u16(static_cast<uint16_t>(f.afi));
  w.u8(static_cast<uint8_t>(f.safi));
}

// Decodes one capability TLV's value into `c`.
Status decode_one(uint8_t code, ByteSpan value, Capabilities& c) {
  Reader r(value);
  switch (code) {
    case cap::kMultiprotocol: {
      // AFI(2), reserved(1), SAFI(1).
      uint16_t afi = 0;
      uint8_t reserved = 0, safi = 0;
      if (value.size() != 4 || !r.u16(afi) || !r.u8(reserved) || !r.u8(safi))
        return malformed(code, "length " + std::to_string(value.size()));
      if (auto i = family_index(afi, safi)) {
        c.multiprotocol.push_back(kFamilies[*i].family);
      } else {
        c.unknown.push_back({code, Bytes(value.begin(), value.end())});
      }
      return Ok{};
    }
    case cap::kExtendedNextHop: {
      if (value.empty() || value.size() % 6 != 0)
        return malformed(code, "length " + std::to_string(value.size()));
      while (!r.empty()) {
        uint16_t afi = 0, safi = 0, nh_afi = 0;
        (void)r.u16(afi);
        (void)r.u16(safi);
        (void)r.u16(nh_afi);
        const auto idx =
            safi <= 0xff ? family_index(afi, static_cast<uint8_t>(safi)) : std::nullopt;
        if (idx && (nh_afi == 1 || nh_afi == 2))
          c.extended_next_hop.push_back({kFamilies[*idx].family, static_cast<Afi>(nh_afi)});
      }
      return Ok{};
    }
    case cap::kRouteRefresh:
    case cap::kExtendedMessage:
    case cap::kEnhancedRouteRefresh:
      if (!value.empty()) return malformed(code, "must be empty");
      if (code == cap::kRouteRefresh) c.route_refresh = true;
      if (code == cap::kExtendedMessage) c.extended_message = true;
      if (code == cap::kEnhancedRouteRefresh) c.enhanced_route_refresh = true;
      return Ok{};
    case cap::kFourOctetAs: {
      uint32_t as = 0;
      if (value.size() != 4 || !r.u32(as)) return malformed(code, "length");
      // RFC 7607: AS 0 is never acceptable as a peer AS.
      if (as == 0)
        return make_error(err::kOpen, err::kBadPeerAs, Action::kSessionReset,
                          "4-octet AS capability carries AS 0");
      c.four_octet_as = as;
      return Ok{};
    }
    case cap::kGracefulRestart: {
      uint16_t head = 0;
      if (value.size() < 2 || (value.size() - 2) % 4 != 0 || !r.u16(head))
        return malformed(code, "length " + std::to_string(value.size()));
      // RFC 4724 3: if more than one instance is received, the last one wins.
      GracefulRestartCap gr;
      gr.restarting = head & 0x8000;
      gr.notification = head & 0x4000;
      gr.restart_time = head & 0x0fff;
      while (!r.empty()) {
        auto f = read_family(r);
        uint8_t flags = 0;
        (void)r.u8(flags);
        if (f && known(*f)) gr.families.push_back({*f, (flags & 0x80) != 0});
      }
      c.graceful_restart = std::move(gr);
      return Ok{};
    }
    case cap::kAddPath: {
      if (value.empty() || value.size() % 4 != 0)
        return malformed(code, "length " + std::to_string(value.size()));
      std::vector<AddPathEntry> entries;
      while (!r.empty()) {
        auto f = read_family(r);
        uint8_t mode = 0;
        (void)r.u8(mode);
        // RFC 7911 4: any other Send/Receive value means the capability is not understood.
        if (mode < 1 || mode > 3) {
          c.unknown.push_back({code, Bytes(value.begin(), value.end())});
          return Ok{};
        }
        if (f && known(*f)) entries.push_back({*f, static_cast<AddPathMode>(mode)});
      }
      c.add_path.insert(c.add_path.end(), entries.begin(), entries.end());
      return Ok{};
    }
    case cap::kLongLivedGr: {
      if (value.size() % 7 != 0) return malformed(code, "length " + std::to_string(value.size()));
      LongLivedGrCap ll;
      while (!r.empty()) {
        auto f = read_family(r);
        uint8_t flags = 0;
        uint32_t stale = 0;
        (void)r.u8(flags);
        (void)r.u24(stale);
        if (f && known(*f)) ll.families.push_back({*f, (flags & 0x80) != 0, stale});
      }
      c.long_lived_gr = std::move(ll);
      return Ok{};
    }
    case cap::kFqdn: {
      uint8_t hl = 0, dl = 0;
      ByteSpan host, domain;
      if (!r.u8(hl) || !r.take(hl, host) || !r.u8(dl) || !r.take(dl, domain) || !r.empty())
        return malformed(code, "hostname/domain lengths do not add up");
      c.fqdn =
          FqdnCap{std::string(host.begin(), host.end()), std::string(domain.begin(), domain.end())};
      return Ok{};
    }
    default:
      c.unknown.push_back({code, Bytes(value.begin(), value.end())});
      return Ok{};
  }
}

// A capability whose value would not fit its 1-octet length is left out rather than sent
// with a length that lies (RFC 5492 4).
void put_cap(Writer& w, uint8_t code, const auto& body) {
  const size_t begin = w.size();
  w.u8(code);
  const size_t at = w.placeholder_u8();
  const size_t start = w.size();
  body();
  const size_t len = w.size() - start;
  if (len > 255) {
    w.buffer().resize(begin);
    return;
  }
  w.patch_u8(at, static_cast<uint8_t>(len));
}

}  // namespace

Status decode_capability_list(ByteSpan value, Capabilities& c) {
  Reader r(value);
  while (!r.empty()) {
    uint8_t code = 0, len = 0;
    ByteSpan v;
    if (!r.u8(code) || !r.u8(len) || !r.take(len, v))
      return malformed(code, "capability overruns its optional parameter");
    auto s = decode_one(code, v, c);
    if (!s) return s;
  }
  return Ok{};
}

void encode_capabilities(const Capabilities& c, Writer& w) {
  for (const Family f : c.multiprotocol) {
    put_cap(w, cap::kMultiprotocol, [&] {
      w.u16(static_cast<uint16_t>(f.afi));
      w.u8(0);
      w.u8(static_cast<uint8_t>(f.safi));
    });
  }
  if (c.route_refresh) put_cap(w, cap::kRouteRefresh, [] {});
  if (!c.extended_next_hop.empty()) {
    put_cap(w, cap::kExtendedNextHop, [&] {
      for (const auto& e : c.extended_next_hop) {
        w.u16(static_cast<uint16_t>(e.nlri.afi));
        w.u16(static_cast<uint16_t>(e.nlri.safi));
        w.u16(static_cast<uint16_t>(e.next_hop_afi));
      }
    });
  }
  if (c.extended_message) put_cap(w, cap::kExtendedMessage, [] {});
  if (c.graceful_restart) {
    const auto& gr = *c.graceful_restart;
    put_cap(w, cap::kGracefulRestart, [&] {
      w.u16(static_cast<uint16_t>((gr.restarting ? 0x8000 : 0) | (gr.notification ? 0x4000 : 0) |
                                  (gr.restart_time & 0x0fff)));
      for (const auto& e : gr.families) {
        write_family(w, e.family);
        w.u8(e.forwarding_preserved ? 0x80 : 0);
      }
    });
  }
  if (c.four_octet_as) put_cap(w, cap::kFourOctetAs, [&] { w.u32(*c.four_octet_as); });
  if (!c.add_path.empty()) {
    // RFC 7911 4: all tuples go in one capability.
    put_cap(w, cap::kAddPath, [&] {
      for (const auto& e : c.add_path) {
        write_family(w, e.family);
        w.u8(static_cast<uint8_t>(e.mode));
      }
    });
  }
  if (c.enhanced_route_refresh) put_cap(w, cap::kEnhancedRouteRefresh, [] {});
  if (c.long_lived_gr) {
    put_cap(w, cap::kLongLivedGr, [&] {
      for (const auto& e : c.long_lived_gr->families) {
        write_family(w, e.family);
        w.u8(e.forwarding_preserved ? 0x80 : 0);
        w.u24(e.stale_time & 0xffffff);
      }
    });
  }
  if (c.fqdn) {
    put_cap(w, cap::kFqdn, [&] {
      // Both names and their two length octets share one 255-octet capability value.
      const auto host = std::string_view(c.fqdn->hostname).substr(0, 253);
      const auto dom = std::string_view(c.fqdn->domain).substr(0, 253 - host.size());
      w.u8(static_cast<uint8_t>(host.size()));
      w.bytes(reinterpret_cast<const uint8_t*>(host.data()), host.size());
      w.u8(static_cast<uint8_t>(dom.size()));
      w.bytes(reinterpret_cast<const uint8_t*>(dom.data()), dom.size());
    });
  }
  for (const auto& u : c.unknown) {
    const size_t n = std::min<size_t>(u.value.size(), 255);
    put_cap(w, u.code, [&] { w.bytes(u.value.data(), n); });
  }
}

}  // namespace tern::bgp
