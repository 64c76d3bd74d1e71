#include "bgp/session/negotiate.hpp"

#include <algorithm>

#include "bgp/wire/codec.hpp"

namespace tern::bgp {

namespace {

BgpError open_error(uint8_t subcode, std::string why, Bytes data = {}) {
  return make_error(err::kOpen, subcode, Action::kSessionReset, std::move(why), std::move(data));
}

bool sends(AddPathMode m) {
  return m == AddPathMode::kSend || m == AddPathMode::kBoth;
}
bool receives(AddPathMode m) {
  return m == AddPathMode::kReceive || m == AddPathMode::kBoth;
}

std::optional<AddPathMode> peer_add_path(const Capabilities& c, Family f) {
  std::optional<AddPathMode> mode;
  for (const auto& e : c.add_path)
    if (e.family == f) mode = e.mode;  // the last tuple for a family wins
  return mode;
}

}  // namespace

Open make_open(const LocalSettings& local) {
  Open o;
  o.my_as = local.local_as > 0xffff ? kAsTrans : static_cast<uint16_t>(local.local_as);
  o.hold_time = local.hold_time;
  o.bgp_id = local.router_id;
  auto& c = o.caps;
  for (int i = 0; i < kFamilyCount; ++i) {
    if (!local.families[i]) continue;
    c.multiprotocol.push_back(kFamilies[i].family);
    if (local.add_path[i]) c.add_path.push_back({kFamilies[i].family, *local.add_path[i]});
  }
  c.route_refresh = local.route_refresh;
  c.enhanced_route_refresh = local.enhanced_route_refresh;
  c.extended_message = local.extended_message;
  c.four_octet_as = local.local_as;
  c.graceful_restart = local.graceful_restart;
  c.fqdn = local.fqdn;
  return o;
}

Result<Negotiated> negotiate(const LocalSettings& local, const Open& peer) {
  const Capabilities& pc = peer.caps;
  Negotiated n;
  n.peer_as = peer.effective_as();
  n.peer_id = peer.bgp_id;

  // RFC 6793 4.2.1: a 4-octet AS that fits in two octets must also be in My AS; one that does
  // not must be announced as AS_TRANS there.
  if (pc.four_octet_as) {
    const uint32_t as4 = *pc.four_octet_as;
    const bool consistent = as4 > 0xffff ? peer.my_as == kAsTrans : peer.my_as == as4;
    if (!consistent)
      return open_error(
          err::kBadPeerAs,
          "My AS " + std::to_string(peer.my_as) + " disagrees with 4-octet AS " +
              std::to_string(as4),
          Bytes{static_cast<uint8_t>(peer.my_as >> 8), static_cast<uint8_t>(peer.my_as)});
  }
  if (n.peer_as != local.peer_as)
    return open_error(
        err::kBadPeerAs,
        "peer AS " + std::to_string(n.peer_as) + ", expected " + std::to_string(local.peer_as),
        Bytes{static_cast<uint8_t>(peer.my_as >> 8), static_cast<uint8_t>(peer.my_as)});
  n.ebgp = n.peer_as != local.local_as;
  // RFC 6286 2.2: identifiers must differ inside an AS; across ASes they may coincide.
  if (!n.ebgp && peer.bgp_id == local.router_id)
    return open_error(err::kBadBgpIdentifier, "peer uses our own BGP identifier");

  if (peer.hold_time != 0 && peer.hold_time < local.min_hold_time)
    return open_error(err::kUnacceptableHoldTime, "hold time " + std::to_string(peer.hold_time) +
                                                      " is below our floor of " +
                                                      std::to_string(local.min_hold_time) + " s");
  // RFC 4271 4.2: the smaller hold time; keepalive a third of it (10.: "one third").
  n.hold_time = std::min(local.hold_time, peer.hold_time);
  n.keepalive_time = static_cast<uint16_t>(n.hold_time / 3);

  // RFC 4760 8: a peer that sends no Multiprotocol capability speaks IPv4 unicast only.
  for (int i = 0; i < kFamilyCount; ++i) {
    const Family f = kFamilies[i].family;
    const bool peer_has = pc.multiprotocol.empty()
                              ? f == kIpv4Unicast
                              : std::find(pc.multiprotocol.begin(), pc.multiprotocol.end(), f) !=
                                    pc.multiprotocol.end();
    n.families[i] = local.families[i] && peer_has;
  }
  if (std::none_of(n.families.begin(), n.families.end(), [](bool b) { return b; })) {
    // RFC 5492 5: Unsupported Capability, data = the capabilities we needed.
    Bytes data;
    Writer w(data);
    Capabilities wanted;
    for (int i = 0; i < kFamilyCount; ++i)
      if (local.families[i]) wanted.multiprotocol.push_back(kFamilies[i].family);
    encode_capabilities(wanted, w);
    return open_error(err::kUnsupportedCapability, "no address family in common", std::move(data));
  }

  n.route_refresh = local.route_refresh && pc.route_refresh;
  n.enhanced_route_refresh = local.enhanced_route_refresh && pc.enhanced_route_refresh;
  n.peer_graceful_restart = pc.graceful_restart;
  n.peer_long_lived_gr = pc.long_lived_gr;

  CodecContext& c = n.codec;
  c.four_octet_as = pc.four_octet_as.has_value();  // we always announce it
  c.extended_message = local.extended_message && pc.extended_message;
  c.ebgp = n.ebgp;
  c.families = n.families;
  for (int i = 0; i < kFamilyCount; ++i) {
    const auto mine = local.add_path[i];
    const auto theirs = peer_add_path(pc, kFamilies[i].family);
    if (!n.families[i] || !mine || !theirs) continue;
    // RFC 7911 5: path ids flow only where one side sends and the other receives.
    c.add_path_receive[i] = receives(*mine) && sends(*theirs);
    c.add_path_send[i] = sends(*mine) && receives(*theirs);
  }
  return n;
}

}  // namespace tern::bgp
