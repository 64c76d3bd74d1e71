#pragma once
// AS_PATH and AS4_PATH values (RFC 4271 4.3, RFC 6793): decode with 2- or 4-octet AS numbers,
// encode for NEW and OLD speakers, and the RFC 6793 4.2.3 merge.

#include <string>

#include "bgp/wire/bytes.hpp"
#include "bgp/wire/context.hpp"
#include "bgp/wire/message.hpp"

namespace tern::bgp {

// Parses an AS_PATH-shaped value. Rejects unknown segment types, empty segments, overruns and
// AS 0 (RFC 7607), setting `why`.
bool decode_as_path(ByteSpan value, bool four_octet, AsPath& out, std::string& why);

// Writes the value (no attribute header). With four_octet false, AS numbers above 65535
// become AS_TRANS. Segments longer than 255 are split.
void encode_as_path(const AsPath& path, bool four_octet, Writer& w);

// True when the path holds an AS number that a 2-octet speaker cannot see (RFC 6793 4.2.2).
bool needs_as4(const AsPath& path);
// The AS4_PATH to send to an OLD speaker: the path without confederation segments.
AsPath as4_path_of(const AsPath& path);

// RFC 6793 4.2.3: rebuild the real path from an OLD speaker's AS_PATH and AS4_PATH.
AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path);

bool has_confed_segments(const AsPath& path);

std::string to_string(const AsPath& path);

}  // namespace tern::bgp
