#pragma once
// What the two speakers negotiated, as far as the codec needs it. Nothing in bgp/wire reads
// session state behind the codec's back: everything it depends on is in here.

#include <array>
#include <cstdint>

#include "bgp/wire/family.hpp"

namespace tern::bgp {

struct CodecContext {
  bool four_octet_as = true;      // RFC 6793 capability on both sides
  bool extended_message = false;  // RFC 8654 capability on both sides
  bool ebgp = false;              // some RFC 7606 rules depend on the session type
  // RFC 8950 for IPv4 unicast: MP_REACH may carry an IPv6 next hop (16 or 32 bytes).
  bool ipv4_via_ipv6_next_hop = false;
  // Families enabled on the session. MP_REACH/MP_UNREACH for other families are ignored.
  std::array<bool, kFamilyCount> families{true, true};
  // RFC 7911, per family and direction: receive = NLRI we decode carry path ids,
  // send = NLRI we encode carry them.
  std::array<bool, kFamilyCount> add_path_receive{};
  std::array<bool, kFamilyCount> add_path_send{};

  // RFC 8654: UPDATE, NOTIFICATION and ROUTE-REFRESH may reach 65535 bytes once negotiated;
  // OPEN and KEEPALIVE never exceed 4096.
  size_t max_message_size() const { return extended_message ? 65535 : 4096; }
};

inline constexpr size_t kHeaderSize = 19;
inline constexpr size_t kMaxStandardMessage = 4096;
inline constexpr uint16_t kAsTrans = 23456;

}  // namespace tern::bgp
