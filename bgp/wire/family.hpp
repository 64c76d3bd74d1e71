#pragma once
// Addresses, prefixes and address families as the wire carries them. The family table is the
// one place that knows what IPv4 and IPv6 unicast look like on the wire (address width,
// acceptable next-hop lengths); adding a family is one row.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tern::bgp {

enum class Afi : uint16_t { kIpv4 = 1, kIpv6 = 2 };
enum class Safi : uint8_t { kUnicast = 1 };

struct Family {
  Afi afi = Afi::kIpv4;
  Safi safi = Safi::kUnicast;
  bool operator==(const Family&) const = default;
};

inline constexpr uint8_t max_prefix_len(Afi afi) {
  return afi == Afi::kIpv4 ? 32 : 128;
}

inline constexpr Family kIpv4Unicast{Afi::kIpv4, Safi::kUnicast};
inline constexpr Family kIpv6Unicast{Afi::kIpv6, Safi::kUnicast};

// One row per supported AFI/SAFI.
struct FamilyDesc {
  Family family;
  const char* name;
  uint8_t addr_bytes;  // width of an address of this family
  uint8_t max_prefix_len;
  uint8_t nexthop_len[2];  // acceptable MP_REACH next-hop lengths (0 = unused slot)
};

inline constexpr int kFamilyCount = 2;
extern const FamilyDesc kFamilies[kFamilyCount];

// Index into kFamilies, or nullopt for a family we do not speak.
std::optional<int> family_index(uint16_t afi, uint8_t safi);
inline int family_index(Family f) {
  return f.afi == Afi::kIpv4 ? 0 : 1;
}
inline const FamilyDesc& family_desc(Family f) {
  return kFamilies[family_index(f)];
}
const char* to_string(Family f);

// An address of either family; IPv4 uses the first four bytes.
struct IpAddr {
  Afi afi = Afi::kIpv4;
  std::array<uint8_t, 16> b{};

  static IpAddr v4(uint32_t host_order);
  static std::optional<IpAddr> parse(std::string_view text);
  uint32_t v4_value() const;  // host order; only meaningful for IPv4
  bool operator==(const IpAddr&) const = default;
  auto operator<=>(const IpAddr&) const = default;
};
std::string to_string(const IpAddr& a);

// A prefix in canonical form: bits beyond len are always zero, so equality is byte equality.
struct Prefix {
  std::array<uint8_t, 16> b{};
  uint8_t len = 0;
  Afi afi = Afi::kIpv4;

  static std::optional<Prefix> parse(std::string_view text);  // "10.0.0.0/24", "fd00::/64"
  Family family() const { return Family{afi, Safi::kUnicast}; }
  bool operator==(const Prefix&) const = default;
  auto operator<=>(const Prefix&) const = default;
};
std::string to_string(const Prefix& p);

// One NLRI entry: a prefix and, where ADD-PATH is negotiated for the direction, its path id.
struct Nlri {
  Prefix prefix;
  uint32_t path_id = 0;
  bool operator==(const Nlri&) const = default;
};
std::string to_string(const Nlri& n);

}  // namespace tern::bgp
