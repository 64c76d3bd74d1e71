#pragma once
// The intent store's file format, as pure functions over bytes (the store does the I/O):
//
//   offset  size  field
//        0     8  magic "TERNINT1"
//        8     4  format version (1), little-endian
//       12     4  CRC-32C of the payload, little-endian
//       16     8  payload length in bytes, little-endian
//       24     n  payload: a serialized tern.api.Intent
//
// The file must hold exactly header + payload: a short file is a torn write, a long one is not
// ours. Every way a file can be wrong has its own message, because an operator reads it when
// ternd refuses to start.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "api/tern.pb.h"

namespace tern::intent {

inline constexpr std::string_view kStoreMagic = "TERNINT1";
inline constexpr std::uint32_t kStoreFormatVersion = 1;
inline constexpr std::size_t kStoreHeaderSize = 24;

struct FormatError {
  std::string problem;  // e.g. "checksum mismatch (header 0x1234abcd, payload 0x...)"
};

std::variant<std::string, FormatError> encode_store(const api::Intent& intent);
std::variant<api::Intent, FormatError> decode_store(std::string_view bytes);

}  // namespace tern::intent
