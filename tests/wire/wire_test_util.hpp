#pragma once
// Builders for hand-made wire bytes. They never call the codec under test, so a test that
// compares the codec's output with them compares against an independent construction.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "bgp/wire/codec.hpp"
#include "bgp/wire/format.hpp"

namespace tern::bgp::testing {

inline Bytes hex(std::string_view s) {
  auto b = from_hex(s);
  EXPECT_TRUE(b.has_value()) << "bad hex in test: " << s;
  return b.value_or(Bytes{});
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes u16be(size_t v) {
  return {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

// A whole message: marker, length, type, body.
inline Bytes message(uint8_t type, const Bytes& body) {
  Bytes m(16, 0xff);
  const Bytes len = u16be(body.size() + 19);
  m.insert(m.end(), len.begin(), len.end());
  m.push_back(type);
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

// One path attribute; the extended-length form when the flags ask for it.
inline Bytes attribute(uint8_t flags, uint8_t type, const Bytes& value) {
  Bytes a{flags, type};
  if (flags & 0x10) {
    const Bytes len = u16be(value.size());
    a.insert(a.end(), len.begin(), len.end());
  } else {
    a.push_back(static_cast<uint8_t>(value.size()));
  }
  a.insert(a.end(), value.begin(), value.end());
  return a;
}

inline Bytes update_body(const Bytes& withdrawn, const Bytes& attrs, const Bytes& nlri) {
  return cat({u16be(withdrawn.size()), withdrawn, u16be(attrs.size()), attrs, nlri});
}

inline Bytes update_message(const Bytes& withdrawn, const Bytes& attrs, const Bytes& nlri) {
  return message(2, update_body(withdrawn, attrs, nlri));
}

inline Bytes notification_message(uint8_t code, uint8_t subcode, const Bytes& data = {}) {
  return message(3, cat({Bytes{code, subcode}, data}));
}

// The NOTIFICATION tern would send for an error.
inline Bytes notification_for(const BgpError& e) {
  auto b = encode(Message{Notification::from_error(e)}, CodecContext{});
  EXPECT_TRUE(b.ok());
  return b.ok() ? b.value() : Bytes{};
}

// Common well-formed attributes (4-octet AS session).
inline Bytes origin_igp() {
  return attribute(0x40, 1, {0});
}
inline Bytes as_path_65000() {
  return attribute(0x40, 2, hex("0201 0000fde8"));
}
inline Bytes next_hop_10_0_0_1() {
  return attribute(0x40, 3, hex("0a000001"));
}
inline Bytes base_attrs() {
  return cat({origin_igp(), as_path_65000(), next_hop_10_0_0_1()});
}
inline Bytes nlri_10_1_2() {
  return hex("180a0102");
}  // 10.1.2.0/24

inline Prefix pfx(std::string_view s) {
  auto p = Prefix::parse(s);
  EXPECT_TRUE(p.has_value()) << s;
  return p.value_or(Prefix{});
}

}  // namespace tern::bgp::testing
