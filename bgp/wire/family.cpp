#include "bgp/wire/family.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace tern::bgp {

const FamilyDesc kFamilies[kFamilyCount] = {
    {kIpv4Unicast, "ipv4-unicast", 4, 32, {4, 0}},
    // RFC 2545: a global address, optionally followed by a link-local one.
    {kIpv6Unicast, "ipv6-unicast", 16, 128, {16, 32}},
};

std::optional<int> family_index(uint16_t afi, uint8_t safi) {
  for (int i = 0; i < kFamilyCount; ++i) {
    if (static_cast<uint16_t>(kFamilies[i].family.afi) == afi &&
        static_cast<uint8_t>(kFamilies[i].family.safi) == safi)
      return i;
  }
  return std::nullopt;
}

const char* to_string(Family f) {
  if (auto i = family_index(static_cast<uint16_t>(f.afi), static_cast<uint8_t>(f.safi)))
    return kFamilies[*i].name;
  return "unknown-family";
}

IpAddr IpAddr::v4(uint32_t host_order) {
  IpAddr a;
  a.b[0] = static_cast<uint8_t>(host_order >> 24);
  a.b[1] = static_cast<uint8_t>(host_order >> 16);
  a.b[2] = static_cast<uint8_t>(host_order >> 8);
  a.b[3] = static_cast<uint8_t>(host_order);
  return a;
}

uint32_t IpAddr::v4_value() const {
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

std::optional<IpAddr> IpAddr::parse(std::string_view text) {
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = 0;
  IpAddr a;
  if (inet_pton(AF_INET, buf, a.b.data()) == 1) {
    a.afi = Afi::kIpv4;
    return a;
  }
  if (inet_pton(AF_INET6, buf, a.b.data()) == 1) {
    a.afi = Afi::kIpv6;
    return a;
  }
  return std::nullopt;
}

std::string to_string(const IpAddr& a) {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(a.afi == Afi::kIpv4 ? AF_INET : AF_INET6, a.b.data(), buf, sizeof(buf));
  return buf;
}

std::optional<Prefix> Prefix::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = IpAddr::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  const auto len_text = text.substr(slash + 1);
  unsigned len = 0;
  auto [ptr, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc() || ptr != len_text.data() + len_text.size() || len_text.empty())
    return std::nullopt;
  const unsigned max = max_prefix_len(addr->afi);
  if (len > max) return std::nullopt;
  Prefix p;
  p.afi = addr->afi;
  p.len = static_cast<uint8_t>(len);
  p.b = addr->b;
  // Canonicalise: clear host bits.
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned bit = i * 8;
    if (bit >= len) {
      p.b[i] = 0;
    } else if (len - bit < 8) {
      p.b[i] &= static_cast<uint8_t>(0xff << (8 - (len - bit)));
    }
  }
  return p;
}

std::string to_string(const Prefix& p) {
  IpAddr a;
  a.afi = p.afi;
  a.b = p.b;
  return to_string(a) + "/" + std::to_string(p.len);
}

std::string to_string(const Nlri& n) {
  if (n.path_id == 0) return to_string(n.prefix);
  return to_string(n.prefix) + " path-id " + std::to_string(n.path_id);
}

}  // namespace tern::bgp
