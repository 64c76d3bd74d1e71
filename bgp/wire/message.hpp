#pragma once
// BGP messages as plain values (RFC 4271 section 4, plus the capabilities and attributes
// later RFCs added). Codecs live in the .cpp files beside this header; these types carry no
// behaviour beyond small helpers.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/error.hpp"
#include "bgp/wire/family.hpp"

namespace tern::bgp {

enum class MessageType : uint8_t {
  kOpen = 1,
  kUpdate = 2,
  kNotification = 3,
  kKeepalive = 4,
  kRouteRefresh = 5,
};
const char* to_string(MessageType t);

// ---------------------------------------------------------------- capabilities (RFC 5492)

namespace cap {
inline constexpr uint8_t kMultiprotocol = 1;
inline constexpr uint8_t kRouteRefresh = 2;
inline constexpr uint8_t kExtendedNextHop = 5;
inline constexpr uint8_t kExtendedMessage = 6;
inline constexpr uint8_t kGracefulRestart = 64;
inline constexpr uint8_t kFourOctetAs = 65;
inline constexpr uint8_t kAddPath = 69;
inline constexpr uint8_t kEnhancedRouteRefresh = 70;
inline constexpr uint8_t kLongLivedGr = 71;
inline constexpr uint8_t kFqdn = 73;
}  // namespace cap

struct GracefulRestartCap {
  struct Entry {
    Family family;
    bool forwarding_preserved = false;  // F bit
    bool operator==(const Entry&) const = default;
  };
  bool restarting = false;    // R bit
  bool notification = false;  // N bit (RFC 8538)
  uint16_t restart_time = 0;  // 12 bits, seconds
  std::vector<Entry> families;
  bool operator==(const GracefulRestartCap&) const = default;
};

enum class AddPathMode : uint8_t { kReceive = 1, kSend = 2, kBoth = 3 };
struct AddPathEntry {
  Family family;
  AddPathMode mode = AddPathMode::kReceive;
  bool operator==(const AddPathEntry&) const = default;
};

// RFC 8950: NLRI of one family may carry a next hop of another (IPv4 routes via IPv6).
struct ExtendedNextHopEntry {
  Family nlri;
  Afi next_hop_afi = Afi::kIpv6;
  bool operator==(const ExtendedNextHopEntry&) const = default;
};

struct LongLivedGrCap {
  struct Entry {
    Family family;
    bool forwarding_preserved = false;
    uint32_t stale_time = 0;  // 24 bits, seconds
    bool operator==(const Entry&) const = default;
  };
  std::vector<Entry> families;
  bool operator==(const LongLivedGrCap&) const = default;
};

struct FqdnCap {
  std::string hostname;
  std::string domain;
  bool operator==(const FqdnCap&) const = default;
};

struct RawCapability {
  uint8_t code = 0;
  Bytes value;
  bool operator==(const RawCapability&) const = default;
};

struct Capabilities {
  std::vector<Family> multiprotocol;
  bool route_refresh = false;
  bool enhanced_route_refresh = false;
  std::vector<ExtendedNextHopEntry> extended_next_hop;
  bool extended_message = false;
  std::optional<uint32_t> four_octet_as;
  std::optional<GracefulRestartCap> graceful_restart;
  std::vector<AddPathEntry> add_path;
  std::optional<LongLivedGrCap> long_lived_gr;
  std::optional<FqdnCap> fqdn;
  std::vector<RawCapability> unknown;  // kept as received, in order
  bool operator==(const Capabilities&) const = default;
};

// ---------------------------------------------------------------- messages

struct Open {
  uint8_t version = 4;
  uint16_t my_as = 0;  // the 2-octet field; AS_TRANS when the real AS does not fit
  uint16_t hold_time = 0;
  uint32_t bgp_id = 0;  // host order
  Capabilities caps;
  // Optional parameters other than capabilities are refused at decode (RFC 5492 leaves
  // capabilities as the only one in use), so nothing else needs to be kept.

  // The peer's AS: the 4-octet capability when present, else the 2-octet field.
  uint32_t effective_as() const { return caps.four_octet_as.value_or(my_as); }
  bool operator==(const Open&) const = default;
};

enum class Origin : uint8_t { kIgp = 0, kEgp = 1, kIncomplete = 2 };

enum class SegmentType : uint8_t {
  kSet = 1,
  kSequence = 2,
  kConfedSequence = 3,
  kConfedSet = 4,
};

struct AsSegment {
  SegmentType type = SegmentType::kSequence;
  std::vector<uint32_t> asns;
  bool operator==(const AsSegment&) const = default;
};

struct AsPath {
  std::vector<AsSegment> segments;
  // RFC 4271 9.1.2.2 a: an AS_SET counts as one, confederation segments do not count.
  size_t length() const;
  bool operator==(const AsPath&) const = default;
};

struct Aggregator {
  uint32_t asn = 0;
  uint32_t address = 0;  // host order
  bool operator==(const Aggregator&) const = default;
};

struct LargeCommunity {
  uint32_t global = 0;
  uint32_t local1 = 0;
  uint32_t local2 = 0;
  bool operator==(const LargeCommunity&) const = default;
};

struct UnknownAttribute {
  uint8_t flags = 0;
  uint8_t type = 0;
  Bytes value;
  bool operator==(const UnknownAttribute&) const = default;
};

namespace attr {
inline constexpr uint8_t kOrigin = 1;
inline constexpr uint8_t kAsPath = 2;
inline constexpr uint8_t kNextHop = 3;
inline constexpr uint8_t kMed = 4;
inline constexpr uint8_t kLocalPref = 5;
inline constexpr uint8_t kAtomicAggregate = 6;
inline constexpr uint8_t kAggregator = 7;
inline constexpr uint8_t kCommunities = 8;
inline constexpr uint8_t kOriginatorId = 9;
inline constexpr uint8_t kClusterList = 10;
inline constexpr uint8_t kMpReach = 14;
inline constexpr uint8_t kMpUnreach = 15;
inline constexpr uint8_t kExtCommunities = 16;
inline constexpr uint8_t kAs4Path = 17;
inline constexpr uint8_t kAs4Aggregator = 18;
inline constexpr uint8_t kLargeCommunities = 32;
inline constexpr uint8_t kOtc = 35;  // RFC 9234 Only to Customer

// Flag bits.
inline constexpr uint8_t kOptional = 0x80;
inline constexpr uint8_t kTransitive = 0x40;
inline constexpr uint8_t kPartial = 0x20;
inline constexpr uint8_t kExtendedLength = 0x10;
}  // namespace attr

// Path attributes other than MP_REACH/MP_UNREACH (those belong to the UPDATE's NLRI).
// AS_PATH and AGGREGATOR always hold 4-octet AS numbers here: the codec converts to and from
// the 2-octet form plus AS4_PATH/AS4_AGGREGATOR (RFC 6793) at the edges.
struct PathAttributes {
  std::optional<Origin> origin;
  std::optional<AsPath> as_path;
  std::optional<IpAddr> next_hop;  // NEXT_HOP attribute (IPv4)
  std::optional<uint32_t> med;
  std::optional<uint32_t> local_pref;
  bool atomic_aggregate = false;
  std::optional<Aggregator> aggregator;
  std::optional<std::vector<uint32_t>> communities;
  std::optional<uint32_t> originator_id;
  std::optional<std::vector<uint32_t>> cluster_list;
  std::optional<std::vector<uint64_t>> ext_communities;
  std::optional<std::vector<LargeCommunity>> large_communities;
  std::optional<uint32_t> otc;  // RFC 9234: the AS that first sent the route to a customer
  std::vector<UnknownAttribute> unknown;  // optional attributes we do not interpret
  bool operator==(const PathAttributes&) const = default;
};

struct MpNextHop {
  IpAddr global;
  std::optional<IpAddr> link_local;  // IPv6 only (RFC 2545)
  bool operator==(const MpNextHop&) const = default;
};

struct MpReach {
  Family family;
  MpNextHop next_hop;
  std::vector<Nlri> nlri;
  bool operator==(const MpReach&) const = default;
};

struct MpUnreach {
  Family family;
  std::vector<Nlri> withdrawn;
  bool operator==(const MpUnreach&) const = default;
};

struct Update {
  std::vector<Nlri> withdrawn;  // IPv4 unicast Withdrawn Routes field
  PathAttributes attrs;
  std::optional<MpReach> mp_reach;
  std::optional<MpUnreach> mp_unreach;
  std::vector<Nlri> nlri;  // IPv4 unicast NLRI field

  // Filled by the decoder only. The strongest RFC 7606 action that applies (never
  // kSessionReset: that is returned as the decode error instead) and every problem seen, in
  // order, for logging. With kTreatAsWithdraw the receiver withdraws every NLRI of the
  // message (nlri and mp_reach->nlri) instead of announcing it.
  Action action = Action::kNone;
  std::vector<BgpError> problems;

  // RFC 4724 section 2: the family this UPDATE is the End-of-RIB marker of. The decoder sets
  // it from the bytes on the wire (no withdrawn routes, no attributes, no NLRI; or a lone
  // empty MP_UNREACH), never from what survived decoding: an UPDATE whose only attribute was
  // discarded is not an End-of-RIB and must not sweep stale routes.
  std::optional<Family> end_of_rib;
  static Update make_end_of_rib(Family f);
  bool operator==(const Update& o) const {
    return withdrawn == o.withdrawn && attrs == o.attrs && mp_reach == o.mp_reach &&
           mp_unreach == o.mp_unreach && nlri == o.nlri;
  }
};

struct Notification {
  uint8_t code = 0;
  uint8_t subcode = 0;
  Bytes data;

  static Notification from_error(const BgpError& e);
  // RFC 9003: Cease/Administrative Shutdown or Reset with a shutdown communication.
  static Notification shutdown(uint8_t subcode, std::string_view text);
  // The shutdown communication, if this is a Cease 2/4 carrying one, made safe to log:
  // invalid UTF-8 is refused (nullopt) and control characters are replaced.
  std::optional<std::string> shutdown_text() const;
  bool operator==(const Notification&) const = default;
};

struct Keepalive {
  bool operator==(const Keepalive&) const = default;
};

// RFC 2918 / RFC 7313.
enum class RefreshSubtype : uint8_t { kNormal = 0, kBeginOfRib = 1, kEndOfRib = 2 };
// Subtypes 3-255 decode as their raw value; RFC 7313 5 says the session ignores them.
struct RouteRefresh {
  uint16_t afi = 1;
  uint8_t safi = 1;
  RefreshSubtype subtype = RefreshSubtype::kNormal;
  Bytes orf;  // ORF entries (RFC 5291) kept raw; we never advertise ORF
  bool operator==(const RouteRefresh&) const = default;
};

using Message = std::variant<Open, Update, Notification, Keepalive, RouteRefresh>;

MessageType type_of(const Message& m);

}  // namespace tern::bgp
