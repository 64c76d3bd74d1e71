// Framing and the RFC 4271 6.1 message header checks.

#include <algorithm>

#include "bgp/wire/codec.hpp"

namespace tern::bgp {

namespace {

Bytes length_data(uint16_t len) {
  return {static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)};
}

// Smallest legal length per type (RFC 4271 6.1, RFC 2918).
size_t min_length(MessageType t) {
  switch (t) {
    case MessageType::kOpen:
      return 29;
    case MessageType::kUpdate:
      return 23;
    case MessageType::kNotification:
      return 21;
    case MessageType::kKeepalive:
      return 19;
    case MessageType::kRouteRefresh:
      return 23;
  }
  return kHeaderSize;
}

}  // namespace

Result<std::optional<Header>> frame(ByteSpan stream, const CodecContext& ctx) {
  if (stream.size() < kHeaderSize) return std::optional<Header>{};
  if (!std::all_of(stream.begin(), stream.begin() + 16, [](uint8_t b) { return b == 0xff; }))
    return make_error(err::kHeader, err::kConnectionNotSynchronized, Action::kSessionReset,
                      "marker is not all ones");
  Reader r(stream.subspan(16));
  uint16_t len = 0;
  uint8_t type = 0;
  (void)r.u16(len);
  (void)r.u8(type);
  if (len < kHeaderSize || len > ctx.max_message_size())
    return make_error(err::kHeader, err::kBadMessageLength, Action::kSessionReset,
                      "message length " + std::to_string(len) + " out of range", length_data(len));
  if (type < 1 || type > 5)
    return make_error(err::kHeader, err::kBadMessageType, Action::kSessionReset,
                      "unknown message type " + std::to_string(type), Bytes{type});
  const auto t = static_cast<MessageType>(type);
  bool bad = len < min_length(t);
  if (t == MessageType::kKeepalive && len != kHeaderSize) bad = true;
  // RFC 8654 section 4: OPEN stays within 4096 even when extended messages are on.
  if (t == MessageType::kOpen && len > kMaxStandardMessage) bad = true;
  if (bad)
    return make_error(err::kHeader, err::kBadMessageLength, Action::kSessionReset,
                      std::string("bad length ") + std::to_string(len) + " for " + to_string(t),
                      length_data(len));
  if (stream.size() < len) return std::optional<Header>{};
  return std::optional<Header>{Header{len, t}};
}

size_t begin_message(MessageType t, Writer& w) {
  const size_t start = w.size();
  w.fill(0xff, 16);
  w.u16(0);
  w.u8(static_cast<uint8_t>(t));
  return start;
}

Status end_message(size_t start, size_t max, Writer& w) {
  const size_t len = w.size() - start;
  if (len > max) {
    w.buffer().resize(start);
    return make_error(
        err::kHeader, err::kBadMessageLength, Action::kSessionReset,
        "encoded message of " + std::to_string(len) + " bytes exceeds " + std::to_string(max));
  }
  w.patch_u16(start + 16, static_cast<uint16_t>(len));
  return Ok{};
}

}  // namespace tern::bgp
