#pragma once
// NLRI lists (RFC 4271 4.3, RFC 4760 5, RFC 7911 3): <path id?><length><prefix bytes>...

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/family.hpp"

namespace tern::bgp {

// Appends every entry of `field` to `out`. On a syntax error (length beyond the family's
// maximum, or an entry overrunning the field) returns false with `why` set; what was parsed
// before the error stays in `out`.
bool decode_nlri(ByteSpan field, Afi afi, bool add_path, std::vector<Nlri>& out, std::string& why);

// Wire size of one entry: length octet, prefix bytes, and a path id under ADD-PATH.
inline size_t nlri_entry_size(uint8_t len, bool add_path) {
  return 1 + (std::min<uint8_t>(len, 128) + 7u) / 8u + (add_path ? 4 : 0);
}

// Bytes encode_nlri() will write for `entries`.
size_t nlri_size(std::span<const Nlri> entries, bool add_path);
void encode_nlri(std::span<const Nlri> entries, bool add_path, Writer& w);

}  // namespace tern::bgp
