#pragma once
// Capability negotiation (RFC 5492 and the RFCs of each capability): what we put in our OPEN
// for a peer, and what the two OPENs together allow. Pure functions; the session calls them
// when the peer's OPEN arrives and feeds the result to the codec and the RIB.

#include <array>
#include <optional>

#include "bgp/wire/context.hpp"
#include "bgp/wire/message.hpp"
#include "bgp/wire/result.hpp"

namespace tern::bgp {

// What this speaker offers and expects on one session.
struct LocalSettings {
  uint32_t local_as = 0;
  uint32_t router_id = 0;    // host order
  uint32_t peer_as = 0;      // the AS the peer must have
  uint16_t hold_time = 240;  // Calico's BIRD default; keepalive is a third of it
  // The smallest hold time a peer may ask for, other than 0 (no hold timer): a peer asking
  // for less is refused with Unacceptable Hold Time, so a keepalive storm every second or a
  // session torn down by one late packet cannot be forced on us. RFC 4271 allows 3.
  uint16_t min_hold_time = 3;
  std::array<bool, kFamilyCount> families{true, false};
  // ADD-PATH we offer per family: nullopt for none.
  std::array<std::optional<AddPathMode>, kFamilyCount> add_path{};
  bool extended_message = true;
  bool route_refresh = true;
  bool enhanced_route_refresh = true;
  std::optional<GracefulRestartCap> graceful_restart;
  std::optional<FqdnCap> fqdn;
};

// What both sides agreed on.
struct Negotiated {
  uint32_t peer_as = 0;
  uint32_t peer_id = 0;
  bool ebgp = false;
  uint16_t hold_time = 0;  // 0: no keepalives, no hold timer
  uint16_t keepalive_time = 0;
  std::array<bool, kFamilyCount> families{};
  bool route_refresh = false;
  bool enhanced_route_refresh = false;
  std::optional<GracefulRestartCap> peer_graceful_restart;
  std::optional<LongLivedGrCap> peer_long_lived_gr;
  CodecContext codec;  // four_octet_as, extended_message, add_path_*, families, ebgp
};

Open make_open(const LocalSettings& local);

// Checks the peer's OPEN against our settings (RFC 4271 6.2, RFC 6793 4.2.1, RFC 6286) and
// computes the session parameters. An error is the NOTIFICATION to send.
Result<Negotiated> negotiate(const LocalSettings& local, const Open& peer);

}  // namespace tern::bgp
