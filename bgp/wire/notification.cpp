// NOTIFICATION (RFC 4271 4.5) and the shutdown communication (RFC 9003).

#include <algorithm>

#include "bgp/wire/codec.hpp"

namespace tern::bgp {

namespace {

// Shortest-form UTF-8 validation (RFC 3629), as RFC 9003 requires of the receiver.
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

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
  if (!valid_utf8(text)) return std::nullopt;
  // Log injection: no control characters survive into logs or the API.
  for (auto& ch : text) {
    const auto c = static_cast<uint8_t>(ch);
    if (c < 0x20 || c == 0x7f) ch = ' ';
  }
  return text;
}

}  // namespace tern::bgp
