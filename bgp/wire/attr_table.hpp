#pragma once
// The path attribute table: one row per attribute type we understand, holding its expected
// flags, whether it may be empty, its RFC 7606 action when malformed, and its codec. The
// UPDATE codec walks attributes and consults this table; it knows no attribute by name.

#include <optional>
#include <string>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/message.hpp"

namespace tern::bgp {

// Scratch for one UPDATE decode: RFC 6793 attributes are merged after the walk.
struct AttrDecodeState {
  Update& update;
  const CodecContext& ctx;
  std::optional<AsPath> as4_path;
  std::optional<Aggregator> as4_aggregator;
};

// What a value decoder says about the value it was given.
struct Verdict {
  bool ok = true;
  uint8_t subcode = 0;  // RFC 4271 UPDATE subcode for the NOTIFICATION, if one is ever sent
  std::string why;
  // Overrides the row's action (MP_REACH: an NLRI error is a session reset while an unknown
  // family is simply ignored).
  std::optional<Action> action;

  static Verdict good() { return {}; }
  static Verdict bad(uint8_t subcode, std::string why) {
    return {false, subcode, std::move(why), std::nullopt};
  }
};

struct AttrRow {
  uint8_t type;
  const char* name;
  uint8_t flags;  // expected Optional and Transitive bits
  bool may_be_empty;
  Action malformed;  // RFC 7606 section 7
  bool ibgp_only;    // RFC 7606 7.5, 7.9, 7.10: from an eBGP peer it is discarded
  Verdict (*decode)(ByteSpan value, AttrDecodeState& st);
  // Writes the whole attribute (header and value) if the UPDATE carries it.
  void (*encode)(const Update& u, const CodecContext& ctx, Writer& w);
};

// nullptr for attribute types without a row.
const AttrRow* attr_row(uint8_t type);
// Rows in ascending type order (the order RFC 4271 5 asks senders to use).
std::span<const AttrRow> attr_rows();

// Writes flags, type and length around the value `body` writes, using the 2-octet length
// form only when the value needs it.
template <class F>
void put_attr(Writer& w, uint8_t flags, uint8_t type, F&& body) {
  const size_t start = w.size();
  w.u8(static_cast<uint8_t>(flags & ~attr::kExtendedLength));
  w.u8(type);
  const size_t len_at = w.placeholder_u8();
  body();
  const size_t len = w.size() - len_at - 1;
  if (len <= 255) {
    w.patch_u8(len_at, static_cast<uint8_t>(len));
    return;
  }
  auto& buf = w.buffer();
  buf.insert(buf.begin() + static_cast<long>(len_at), uint8_t{0});
  buf[start] |= attr::kExtendedLength;
  w.patch_u16(len_at, static_cast<uint16_t>(len));
}

}  // namespace tern::bgp
