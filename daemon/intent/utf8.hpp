#pragma once
// UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing past U+10FFFF). The
// intent's string fields are proto3 strings: protobuf serializes invalid UTF-8 but refuses to
// parse it back, so a value that got in would make the stored intent unreadable.

#include <cstddef>
#include <optional>
#include <string_view>

namespace tern::intent {

// The offset of the first byte that does not start a valid sequence; nullopt when all is valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

}  // namespace tern::intent
