#pragma once
// Small parsers for the strings Calico's resources carry: Go durations, BGPPeer.peerIP, the
// base64 of a Secret's data, community values. Each returns nullopt on anything malformed;
// the planner turns that into a note and skips the entry.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bgp/wire/family.hpp"
#include "bgp/wire/message.hpp"

namespace tern::plan {

// Go's time.ParseDuration ("120s", "2m30s", "1.5h", "500ms"), rounded to whole seconds as confd
// rounds it. Negative durations are refused.
std::optional<uint32_t> parse_duration_seconds(std::string_view text);

// "ip", "ip:port" or "[v6]:port", split as Go's net.SplitHostPort does. A port of 0 is no port.
struct PeerAddress {
  bgp::IpAddr ip;
  std::optional<uint16_t> port;
};
std::optional<PeerAddress> parse_peer_ip(std::string_view text);

// Standard base64 (padding optional); whitespace is not allowed.
std::optional<std::string> base64_decode(std::string_view text);

// "aa:nn" (each 16 bits) or "aa:nn:mm" (each 32 bits).
struct CommunityValue {
  bool large = false;
  uint32_t standard = 0;  // aa << 16 | nn
  bgp::LargeCommunity large_value;
};
std::optional<CommunityValue> parse_community(std::string_view text);

}  // namespace tern::plan
