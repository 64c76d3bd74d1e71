#include "bgp/wire/nlri.hpp"

#include <algorithm>
#include <cstring>

namespace tern::bgp {

bool decode_nlri(ByteSpan field, Afi afi, bool add_path, std::vector<Nlri>& out, std::string& why) {
  const unsigned max_len = max_prefix_len(afi);
  // Typical entries: a /24 (4 bytes) or a /64 (9 bytes); a good first guess saves regrowth.
  const size_t typical = (afi == Afi::kIpv4 ? 4 : 9) + (add_path ? 4 : 0);
  out.reserve(out.size() + field.size() / typical + 1);
  Reader r(field);
  while (!r.empty()) {
    Nlri n;
    n.prefix.afi = afi;
    if (add_path && !r.u32(n.path_id)) {
      why = "path identifier overruns the NLRI field";
      return false;
    }
    uint8_t len = 0;
    if (!r.u8(len)) {
      why = "NLRI length missing after path identifier";
      return false;
    }
    if (len > max_len) {
      why = "prefix length " + std::to_string(len) + " exceeds " + std::to_string(max_len);
      return false;
    }
    const size_t nbytes = (len + 7u) / 8u;
    if (!r.copy(n.prefix.b.data(), nbytes)) {
      why = "prefix of length " + std::to_string(len) + " overruns the NLRI field";
      return false;
    }
    // Trailing bits are irrelevant on the wire (RFC 4271 4.3); keep prefixes canonical.
    if (len % 8) n.prefix.b[nbytes - 1] &= static_cast<uint8_t>(0xff << (8 - len % 8));
    n.prefix.len = len;
    out.push_back(n);
  }
  return true;
}

size_t nlri_size(std::span<const Nlri> entries, bool add_path) {
  size_t total = 0;
  for (const auto& n : entries)
    total += nlri_entry_size(n.prefix.len, add_path);
  return total;
}

void encode_nlri(std::span<const Nlri> entries, bool add_path, Writer& w) {
  uint8_t* p = w.extend(nlri_size(entries, add_path));
  for (const auto& n : entries) {
    if (add_path) {
      p[0] = static_cast<uint8_t>(n.path_id >> 24);
      p[1] = static_cast<uint8_t>(n.path_id >> 16);
      p[2] = static_cast<uint8_t>(n.path_id >> 8);
      p[3] = static_cast<uint8_t>(n.path_id);
      p += 4;
    }
    // encode() validated lengths; the clamp only keeps a bad caller inside the array.
    const uint8_t len = std::min<uint8_t>(n.prefix.len, 128);
    const size_t nbytes = (len + 7u) / 8u;
    *p++ = len;
    std::memcpy(p, n.prefix.b.data(), nbytes);
    if (len % 8) p[nbytes - 1] &= static_cast<uint8_t>(0xff << (8 - len % 8));
    p += nbytes;
  }
}

}  // namespace tern::bgp
