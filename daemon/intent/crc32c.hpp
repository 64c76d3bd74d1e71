#pragma once
// CRC-32C (Castagnoli), the checksum the intent store puts in front of its payload. Table-driven
// and portable: the store checksums a few KiB per commit, so speed does not matter here.

#include <cstddef>
#include <cstdint>
#include <span>

namespace tern::intent {

// crc32c(bytes of "123456789") == 0xE3069283.
std::uint32_t crc32c(std::span<const std::byte> data);

}  // namespace tern::intent
