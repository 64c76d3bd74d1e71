// OPEN (RFC 4271 4.2) with RFC 9072 extended optional parameters. Checks here are the ones
// that need no configuration: version, hold time, identifier, AS 0 (RFC 7607). Whether the
// peer AS is the expected one is the session's business.

#include "bgp/wire/codec.hpp"

namespace tern::bgp {

Status decode_capability_list(ByteSpan value, Capabilities& c);

namespace {

constexpr uint8_t kParamCapabilities = 2;
constexpr uint8_t kParamExtendedLength = 255;  // RFC 9072

BgpError open_error(uint8_t subcode, std::string reason, Bytes data = {}) {
  return make_error(err::kOpen, subcode, Action::kSessionReset, std::move(reason), std::move(data));
}

}  // namespace

Result<Capabilities> decode_capabilities(ByteSpan params, bool extended_params) {
  Capabilities c;
  Reader r(params);
  while (!r.empty()) {
    uint8_t type = 0;
    uint16_t len = 0;
    ByteSpan value;
    bool ok = r.u8(type);
    if (extended_params) {
      ok = ok && r.u16(len);
    } else {
      uint8_t l8 = 0;
      ok = ok && r.u8(l8);
      len = l8;
    }
    if (!ok || !r.take(len, value))
      return open_error(err::kOpenUnspecific, "optional parameter overruns the parameter field");
    if (type != kParamCapabilities)
      return open_error(err::kUnsupportedOptionalParameter,
                        "unsupported optional parameter " + std::to_string(type));
    auto s = decode_capability_list(value, c);
    if (!s) return std::move(s).error();
  }
  return c;
}

Result<Open> decode_open(ByteSpan body) {
  Reader r(body);
  Open o;
  uint8_t opt_len = 0;
  if (!r.u8(o.version) || !r.u16(o.my_as) || !r.u16(o.hold_time) || !r.u32(o.bgp_id) ||
      !r.u8(opt_len))
    return make_error(err::kHeader, err::kBadMessageLength, Action::kSessionReset,
                      "OPEN shorter than its fixed fields");
  if (o.version != 4)
    return open_error(err::kUnsupportedVersion,
                      "unsupported BGP version " + std::to_string(o.version), Bytes{0, 4});
  if (o.my_as == 0) return open_error(err::kBadPeerAs, "peer AS 0 (RFC 7607)");
  if (o.hold_time == 1 || o.hold_time == 2)
    return open_error(err::kUnacceptableHoldTime,
                      "hold time " + std::to_string(o.hold_time) + " is neither 0 nor >= 3");
  if (o.bgp_id == 0) return open_error(err::kBadBgpIdentifier, "BGP identifier 0.0.0.0");

  bool extended = false;
  size_t params_len = opt_len;
  // RFC 9072: Non-Ext OP Len 255 followed by Non-Ext OP Type 255 announces a 2-octet length.
  if (opt_len == kParamExtendedLength && r.remaining() >= 1 &&
      r.position()[0] == kParamExtendedLength) {
    uint8_t marker = 0;
    uint16_t ext_len = 0;
    if (!r.u8(marker) || !r.u16(ext_len))
      return open_error(err::kOpenUnspecific, "truncated extended optional parameters length");
    extended = true;
    params_len = ext_len;
  }
  if (r.remaining() != params_len)
    return open_error(err::kOpenUnspecific, "optional parameters length " +
                                                std::to_string(params_len) + " but " +
                                                std::to_string(r.remaining()) + " bytes follow");
  auto caps = decode_capabilities(r.rest(), extended);
  if (!caps) return std::move(caps).error();
  o.caps = std::move(caps).value();
  return o;
}

void encode_open_body(const Open& o, Writer& w) {
  w.u8(o.version);
  w.u16(o.my_as);
  w.u16(o.hold_time);
  w.u32(o.bgp_id);
  Bytes caps;
  Writer cw(caps);
  encode_capabilities(o.caps, cw);
  if (caps.empty()) {
    w.u8(0);
    return;
  }
  // One Capabilities parameter; RFC 9072 form only when it cannot fit in 255 bytes.
  if (caps.size() + 2 <= 255) {
    w.u8(static_cast<uint8_t>(caps.size() + 2));
    w.u8(kParamCapabilities);
    w.u8(static_cast<uint8_t>(caps.size()));
  } else {
    w.u8(kParamExtendedLength);
    w.u8(kParamExtendedLength);
    w.u16(static_cast<uint16_t>(caps.size() + 3));
    w.u8(kParamCapabilities);
    w.u16(static_cast<uint16_t>(caps.size()));
  }
  w.bytes(caps);
}

}  // namespace tern::bgp
