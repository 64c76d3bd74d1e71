// NOTIFICATION (RFC 4271 4.5) and the shutdown communication (RFC 9003).

#include <algorithm>

#include "bgp/wire/codec.hpp"
#include "bgp/wire/utf8.hpp"

namespace tern::bgp {

Result<Notification> decode_notification(ByteSpan body) {
  Reader r(body);
  Notification n;
  if (!r.u8(n.code) || !r.u8(n.subcode))
    return make_error(err::kHeader, err::kBadMessageLength, Action::kSessionReset,
                      "NOTIFICATION shorter than 21 bytes");
  const ByteSpan rest = r.rest();
  n.data.assign(rest.begin(), rest.end());
  return n;
}

void encode_notification_body(const Notification& n, Writer& w) {
  w.u8(n.code);
  w.u8(n.subcode);
  w.bytes(n.data);
}

Notification Notification::from_error(const BgpError& e) {
  return Notification{e.code, e.subcode, e.data};
}

Notification Notification::shutdown(uint8_t subcode, std::string_view text) {
  // RFC 9003 allows 255 octets; cut on a character boundary so we never send invalid UTF-8.
  size_t n = std::min<size_t>(text.size(), 255);
  while (n > 0 && n < text.size() && (static_cast<uint8_t>(text[n]) & 0xc0) == 0x80)
    --n;
  Notification out{err::kCease, subcode, {}};
  out.data.resize(n + 1);
  out.data[0] = static_cast<uint8_t>(n);
  std::copy_n(text.begin(), n, out.data.begin() + 1);
  return out;
}

std::optional<std::string> Notification::shutdown_text() const {
  if (code != err::kCease || (subcode != err::kAdminShutdown && subcode != err::kAdminReset))
    return std::nullopt;
  if (data.empty()) return std::nullopt;
  const size_t len = data[0];
  if (len == 0 || len + 1 > data.size()) return std::nullopt;
  std::string text(data.begin() + 1, data.begin() + 1 + static_cast<long>(len));
  if (invalid_utf8_at(text)) return std::nullopt;
  // Log injection: no control characters survive into logs or the API.
  for (auto& ch : text) {
    const auto c = static_cast<uint8_t>(ch);
    if (c < 0x20 || c == 0x7f) ch = ' ';
  }
  return text;
}

}  // namespace tern::bgp
