// Whole-message dispatch: header, then the body decoder or encoder for the type.

#include "bgp/wire/codec.hpp"

namespace tern::bgp {

namespace {

template <class T>
Result<Message> lift(Result<T>&& r) {
  if (!r) return std::move(r).error();
  return Result<Message>(Message(std::in_place_type<T>, std::move(r).value()));
}

}  // namespace

Result<Message> decode(ByteSpan message, const CodecContext& ctx) {
  auto h = frame(message, ctx);
  if (!h) return std::move(h).error();
  if (!h->has_value() || h->value().length != message.size())
    return make_error(err::kHeader, err::kBadMessageLength, Action::kSessionReset,
                      "length field does not match the message");
  const ByteSpan body = message.subspan(kHeaderSize);
  switch (h->value().type) {
    case MessageType::kOpen:
      return lift(decode_open(body));
    case MessageType::kUpdate:
      return lift(decode_update(body, ctx));
    case MessageType::kNotification:
      return lift(decode_notification(body));
    case MessageType::kKeepalive:
      return lift(Result<Keepalive>(Keepalive{}));
    case MessageType::kRouteRefresh:
      return lift(decode_route_refresh(message));
  }
  return make_error(err::kHeader, err::kBadMessageType, Action::kSessionReset, "unreachable");
}

MessageType type_of(const Message& m) {
  return static_cast<MessageType>(m.index() + 1);
}

void encode_notification_body(const Notification& n, Writer& w);
void encode_route_refresh_body(const RouteRefresh& r, Writer& w);

Status encode(const Message& m, const CodecContext& ctx, Bytes& out) {
  Writer w(out);
  const MessageType t = type_of(m);
  const size_t start = begin_message(t, w);
  size_t max = ctx.max_message_size();
  switch (t) {
    case MessageType::kOpen:
      encode_open_body(std::get<Open>(m), w);
      max = kMaxStandardMessage;
      break;
    case MessageType::kUpdate: {
      auto valid = validate_for_encode(std::get<Update>(m), ctx);
      if (!valid) {
        w.buffer().resize(start);
        return valid;
      }
      encode_update_body(std::get<Update>(m), ctx, w);
      break;
    }
    case MessageType::kNotification: {
      // Data that echoes a large message (RFC 7313 7/1) is cut so the NOTIFICATION itself
      // can still be sent: a truncated reason beats none.
      const auto& n = std::get<Notification>(m);
      const size_t room = max - kHeaderSize - 2;
      if (n.data.size() > room) {
        Notification cut{n.code, n.subcode,
                         Bytes(n.data.begin(), n.data.begin() + static_cast<long>(room))};
        encode_notification_body(cut, w);
      } else {
        encode_notification_body(n, w);
      }
      break;
    }
    case MessageType::kKeepalive:
      max = kHeaderSize;
      break;
    case MessageType::kRouteRefresh:
      encode_route_refresh_body(std::get<RouteRefresh>(m), w);
      break;
  }
  return end_message(start, max, w);
}

Result<Bytes> encode(const Message& m, const CodecContext& ctx) {
  Bytes out;
  auto s = encode(m, ctx, out);
  if (!s) return std::move(s).error();
  return out;
}

}  // namespace tern::bgp
