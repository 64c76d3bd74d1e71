#pragma once
// Decode errors as values. Every error carries what RFC 4271 section 6 would put in a
// NOTIFICATION (code, subcode, data) and what RFC 7606 says to do about it (the action), so
// the session can escalate or not without re-deriving anything.

#include <cstdint>
#include <string>
#include <vector>

namespace tern::bgp {

// RFC 7606 section 2 approaches, ordered weakest to strongest so that "the strongest wins"
// (section 3.h) is std::max.
enum class Action : uint8_t {
  kNone = 0,
  kAttributeDiscard = 1,
  kTreatAsWithdraw = 2,
  kAfiSafiDisable = 3,
  kSessionReset = 4,
};

const char* to_string(Action a);

namespace err {
// Error codes (RFC 4271 4.5, RFC 7313, RFC 9687).
inline constexpr uint8_t kHeader = 1;
inline constexpr uint8_t kOpen = 2;
inline constexpr uint8_t kUpdate = 3;
inline constexpr uint8_t kHoldTimer = 4;
inline constexpr uint8_t kFsm = 5;
inline constexpr uint8_t kCease = 6;
inline constexpr uint8_t kRouteRefresh = 7;
inline constexpr uint8_t kSendHoldTimer = 8;

// Message header subcodes.
inline constexpr uint8_t kConnectionNotSynchronized = 1;
inline constexpr uint8_t kBadMessageLength = 2;
inline constexpr uint8_t kBadMessageType = 3;

// OPEN subcodes.
inline constexpr uint8_t kOpenUnspecific = 0;
inline constexpr uint8_t kUnsupportedVersion = 1;
inline constexpr uint8_t kBadPeerAs = 2;
inline constexpr uint8_t kBadBgpIdentifier = 3;
inline constexpr uint8_t kUnsupportedOptionalParameter = 4;
inline constexpr uint8_t kUnacceptableHoldTime = 6;
inline constexpr uint8_t kUnsupportedCapability = 7;
inline constexpr uint8_t kRoleMismatch = 11;

// UPDATE subcodes.
inline constexpr uint8_t kMalformedAttributeList = 1;
inline constexpr uint8_t kUnrecognizedWellKnown = 2;
inline constexpr uint8_t kMissingWellKnown = 3;
inline constexpr uint8_t kAttributeFlags = 4;
inline constexpr uint8_t kAttributeLength = 5;
inline constexpr uint8_t kInvalidOrigin = 6;
inline constexpr uint8_t kInvalidNextHop = 8;
inline constexpr uint8_t kOptionalAttribute = 9;
inline constexpr uint8_t kInvalidNetworkField = 10;
inline constexpr uint8_t kMalformedAsPath = 11;

// Cease subcodes (RFC 4486, RFC 8538).
inline constexpr uint8_t kMaxPrefixes = 1;
inline constexpr uint8_t kAdminShutdown = 2;
inline constexpr uint8_t kPeerDeconfigured = 3;
inline constexpr uint8_t kAdminReset = 4;
inline constexpr uint8_t kConnectionRejected = 5;
inline constexpr uint8_t kOtherConfigChange = 6;
inline constexpr uint8_t kCollisionResolution = 7;
inline constexpr uint8_t kOutOfResources = 8;
inline constexpr uint8_t kHardReset = 9;

// ROUTE-REFRESH subcodes (RFC 7313).
inline constexpr uint8_t kInvalidRouteRefreshLength = 1;
}  // namespace err

struct BgpError {
  uint8_t code = 0;
  uint8_t subcode = 0;
  std::vector<uint8_t> data;  // NOTIFICATION data field, exactly as RFC 4271 6.x prescribes
  Action action = Action::kSessionReset;
  uint8_t attr_type = 0;  // the path attribute involved, 0 when none
  std::string reason;     // human text for logs and the API; never sent on the wire

  bool operator==(const BgpError&) const = default;
};

BgpError make_error(uint8_t code, uint8_t subcode, Action action, std::string reason,
                    std::vector<uint8_t> data = {});

// "3/1 Malformed Attribute List" style text for logs.
std::string describe(uint8_t code, uint8_t subcode);
std::string to_string(const BgpError& e);

}  // namespace tern::bgp
