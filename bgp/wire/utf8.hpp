#pragma once
// UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing past U+10FFFF): what
// RFC 9003 asks of a shutdown communication, and what the intent's proto3 strings must hold
// (protobuf serializes invalid UTF-8 but refuses to parse it back).

#include <cstddef>
#include <optional>
#include <string_view>

namespace tern::bgp {

// The offset of the first byte that does not start a valid sequence; nullopt when all is valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

}  // namespace tern::bgp
