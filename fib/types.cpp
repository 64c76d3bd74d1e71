#include "fib/types.hpp"

namespace tern::fib {

std::optional<EncapMode> parse_encap_mode(std::string_view text) {
  if (text == "Never" || text == "never" || text == "Off" || text.empty()) return EncapMode::kNever;
  if (text == "Always" || text == "always") return EncapMode::kAlways;
  if (text == "CrossSubnet" || text == "crosssubnet" || text == "cross-subnet")
    return EncapMode::kCrossSubnet;
  return std::nullopt;
}

const char* to_string(EncapMode m) {
  switch (m) {
    case EncapMode::kNever:
      return "Never";
    case EncapMode::kAlways:
      return "Always";
    case EncapMode::kCrossSubnet:
      return "CrossSubnet";
  }
  return "?";
}

Prefix network_of(const IpAddr& addr, uint8_t len) {
  Prefix p;
  p.afi = addr.afi;
  const unsigned max = bgp::max_prefix_len(addr.afi);
  p.len = len > max ? max : len;
  for (unsigned i = 0; i < max / 8; ++i) {
    const int bits = static_cast<int>(p.len) - static_cast<int>(i * 8);
    if (bits >= 8) {
      p.b[i] = addr.b[i];
    } else if (bits > 0) {
      p.b[i] = addr.b[i] & static_cast<uint8_t>(0xff << (8 - bits));
    }
  }
  return p;
}

bool contains(const Prefix& net, const IpAddr& addr) {
  if (net.afi != addr.afi) return false;
  return network_of(addr, net.len) == net;
}

bool contains(const Prefix& outer, const Prefix& inner) {
  if (outer.afi != inner.afi || inner.len < outer.len) return false;
  IpAddr a;
  a.afi = inner.afi;
  a.b = inner.b;
  return network_of(a, outer.len) == outer;
}

}  // namespace tern::fib
