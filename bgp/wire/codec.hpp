#pragma once
// Pure encode/decode functions for whole messages. Decoding never throws and never reads
// outside the span it is given; every failure is a BgpError with the NOTIFICATION to send.

#include <optional>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/message.hpp"
#include "bgp/wire/result.hpp"

namespace tern::bgp {

struct Header {
  uint16_t length = 0;  // whole message, header included
  MessageType type = MessageType::kKeepalive;
};

// Looks at the front of a received byte stream. nullopt means "not enough bytes yet"; a
// header error (RFC 4271 6.1) is an error; otherwise the next message is `length` bytes long.
Result<std::optional<Header>> frame(ByteSpan stream, const CodecContext& ctx);

// Decodes exactly one whole message (header included).
Result<Message> decode(ByteSpan message, const CodecContext& ctx);

// Body decoders (the bytes after the 19-byte header).
Result<Open> decode_open(ByteSpan body);
Result<Update> decode_update(ByteSpan body, const CodecContext& ctx);
Result<Notification> decode_notification(ByteSpan body);
// Takes the whole message: RFC 7313 wants it echoed in the error's data.
Result<RouteRefresh> decode_route_refresh(ByteSpan message);
// The Optional Parameters of an OPEN.
Result<Capabilities> decode_capabilities(ByteSpan params, bool extended_params);

// Appends the encoded message to `out`. Fails only when the result would exceed the size the
// context allows (the caller then splits the UPDATE) or a value cannot be represented.
Status encode(const Message& m, const CodecContext& ctx, Bytes& out);
Result<Bytes> encode(const Message& m, const CodecContext& ctx);

// Refuses an UPDATE value the wire cannot carry or a peer would have to reject: prefixes of
// the wrong family or too long, a next hop of the wrong family, an AS_SET over 255 members.
Status validate_for_encode(const Update& u, const CodecContext& ctx);

// Body encoders, used by encode() and by tests that need to build malformed variants.
void encode_open_body(const Open& o, Writer& w);
void encode_update_body(const Update& u, const CodecContext& ctx, Writer& w);
void encode_capabilities(const Capabilities& c, Writer& w);

// Writes a 19-byte header with a zero length and returns the offset to patch.
size_t begin_message(MessageType t, Writer& w);
Status end_message(size_t start, size_t max, Writer& w);

}  // namespace tern::bgp
