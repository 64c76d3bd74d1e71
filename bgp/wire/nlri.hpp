#pragma once
// NLRI lists (RFC 4271 4.3, RFC 4760 5, RFC 7911 3): <path id?><length><prefix bytes>...

#include <string>
#include <vector>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/family.hpp"

namespace tern::bgp {

// Appends every entry of `field` to `out`. On a syntax error (length beyond the family's
// maximum, or an entry overrunning the field) returns false with `why` set; what was parsed
// before the error stays in `out`.
bool decode_nlri(ByteSpan field, Afi afi, bool add_path, std::vector<Nlri>& out, std::string& why);

// Bytes encode_nlri() will write for `entries`.
size_t nlri_size(const std::vector<Nlri>& entries, bool add_path);
void encode_nlri(const std::vector<Nlri>& entries, bool add_path, Writer& w);

}  // namespace tern::bgp
