#pragma once
// Prefixes packed into 64-bit words for the RIB's tables and queues: an IPv4 prefix is one
// word (address << 8 | length), an IPv6 prefix three (high half, low half, length). A full
// IPv4 table is a million keys, and 8 bytes instead of bgp::Prefix's 20 is most of the
// difference between fitting in BIRD's memory and not.

#include <cstdint>

#include "bgp/wire/family.hpp"

namespace tern::rib {

// Words per key of a family.
inline constexpr int key_words(bgp::Afi afi) {
  return afi == bgp::Afi::kIpv4 ? 1 : 3;
}

inline void pack(const bgp::Prefix& p, uint64_t* out) {
  auto word = [&](int from) {
    uint64_t w = 0;
    for (int i = 0; i < 8; ++i)
      w = (w << 8) | p.b[from + i];
    return w;
  };
  if (p.afi == bgp::Afi::kIpv4) {
    const uint64_t a =
        (uint64_t{p.b[0]} << 24) | (uint64_t{p.b[1]} << 16) | (uint64_t{p.b[2]} << 8) | p.b[3];
    out[0] = (a << 8) | p.len;
    return;
  }
  out[0] = word(0);
  out[1] = word(8);
  out[2] = p.len;
}

inline bgp::Prefix unpack(bgp::Afi afi, const uint64_t* in) {
  bgp::Prefix p;
  p.afi = afi;
  if (afi == bgp::Afi::kIpv4) {
    p.len = static_cast<uint8_t>(in[0]);
    const uint64_t a = in[0] >> 8;
    p.b = {static_cast<uint8_t>(a >> 24), static_cast<uint8_t>(a >> 16),
           static_cast<uint8_t>(a >> 8), static_cast<uint8_t>(a)};
    return p;
  }
  for (int i = 0; i < 8; ++i) {
    p.b[i] = static_cast<uint8_t>(in[0] >> (56 - 8 * i));
    p.b[8 + i] = static_cast<uint8_t>(in[1] >> (56 - 8 * i));
  }
  p.len = static_cast<uint8_t>(in[2]);
  return p;
}

}  // namespace tern::rib
