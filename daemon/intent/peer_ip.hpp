#pragma once
// BGPPeer.spec.peerIP: "ip", "ip:port" or "[ip]:port", split as Go's net.SplitHostPort does
// (a bare IPv6 address needs no brackets). Calico's validation refuses port 0, so we do too.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "bgp/wire/family.hpp"

namespace tern::intent {

struct PeerIp {
  bgp::IpAddr address;
  std::optional<uint16_t> port;  // unset: the peer's listenPort or 179, as the planner decides
  bool operator==(const PeerIp&) const = default;
};

// The address and port, or why the text is not one.
std::variant<PeerIp, std::string> parse_peer_ip(std::string_view text);

}  // namespace tern::intent
