#include "bgp/wire/error.hpp"

namespace tern::bgp {

const char* to_string(Action a) {
  switch (a) {
    case Action::kNone:
      return "none";
    case Action::kAttributeDiscard:
      return "attribute-discard";
    case Action::kTreatAsWithdraw:
      return "treat-as-withdraw";
    case Action::kAfiSafiDisable:
      return "afi-safi-disable";
    case Action::kSessionReset:
      return "session-reset";
  }
  return "?";
}

BgpError make_error(uint8_t code, uint8_t subcode, Action action, std::string reason,
                    std::vector<uint8_t> data) {
  BgpError e;
  e.code = code;
  e.subcode = subcode;
  e.action = action;
  e.reason = std::move(reason);
  e.data = std::move(data);
  return e;
}

std::string describe(uint8_t code, uint8_t subcode) {
  static const char* const kCodes[] = {"",
                                       "Message Header Error",
                                       "OPEN Message Error",
                                       "UPDATE Message Error",
                                       "Hold Timer Expired",
                                       "Finite State Machine Error",
                                       "Cease",
                                       "ROUTE-REFRESH Message Error",
                                       "Send Hold Timer Expired"};
  static const char* const kHeader[] = {"", "Connection Not Synchronized", "Bad Message Length",
                                        "Bad Message Type"};
  static const char* const kOpen[] = {"Unspecific",
                                      "Unsupported Version Number",
                                      "Bad Peer AS",
                                      "Bad BGP Identifier",
                                      "Unsupported Optional Parameter",
                                      "Authentication Failure",
                                      "Unacceptable Hold Time",
                                      "Unsupported Capability",
                                      "",
                                      "",
                                      "",
                                      "Role Mismatch"};
  static const char* const kUpdate[] = {"",
                                        "Malformed Attribute List",
                                        "Unrecognized Well-known Attribute",
                                        "Missing Well-known Attribute",
                                        "Attribute Flags Error",
                                        "Attribute Length Error",
                                        "Invalid ORIGIN Attribute",
                                        "AS Routing Loop",
                                        "Invalid NEXT_HOP Attribute",
                                        "Optional Attribute Error",
                                        "Invalid Network Field",
                                        "Malformed AS_PATH"};
  static const char* const kFsmSub[] = {"Unspecified", "Unexpected message in OpenSent",
                                        "Unexpected message in OpenConfirm",
                                        "Unexpected message in Established"};
  static const char* const kCease[] = {"",
                                       "Maximum Number of Prefixes Reached",
                                       "Administrative Shutdown",
                                       "Peer De-configured",
                                       "Administrative Reset",
                                       "Connection Rejected",
                                       "Other Configuration Change",
                                       "Connection Collision Resolution",
                                       "Out of Resources",
                                       "Hard Reset",
                                       "BFD Down"};
  auto pick = [&](const char* const* table, size_t n) -> std::string {
    if (subcode < n && table[subcode][0]) return table[subcode];
    return "subcode " + std::to_string(subcode);
  };
  std::string s = std::to_string(code) + "/" + std::to_string(subcode) + " ";
  s += code < std::size(kCodes) && code > 0 ? kCodes[code] : "code " + std::to_string(code);
  std::string sub;
  switch (code) {
    case err::kHeader:
      sub = pick(kHeader, std::size(kHeader));
      break;
    case err::kOpen:
      sub = pick(kOpen, std::size(kOpen));
      break;
    case err::kUpdate:
      sub = pick(kUpdate, std::size(kUpdate));
      break;
    case err::kFsm:
      sub = pick(kFsmSub, std::size(kFsmSub));
      break;
    case err::kCease:
      sub = pick(kCease, std::size(kCease));
      break;
    case err::kRouteRefresh:
      sub = subcode == 1 ? "Invalid Message Length" : "";
      break;
    default:
      break;
  }
  if (!sub.empty()) s += ": " + sub;
  return s;
}

std::string to_string(const BgpError& e) {
  return describe(e.code, e.subcode) + " [" + to_string(e.action) + "] " + e.reason;
}

}  // namespace tern::bgp
