#include "daemon/intent/store_format.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <span>

#include "daemon/intent/crc32c.hpp"

namespace tern::intent {
namespace {

// Little-endian on disk whatever the host is, so a store moves between machines.
void put_le(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

std::uint64_t get_le(std::string_view in, std::size_t offset, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= std::uint64_t{static_cast<unsigned char>(in[offset + i])} << (8 * i);
  }
  return value;
}

std::uint32_t checksum(std::string_view payload) {
  return crc32c(std::as_bytes(std::span(payload.data(), payload.size())));
}

std::string hex32(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

}  // namespace

std::variant<std::string, FormatError> encode_store(const api::Intent& intent) {
  std::string payload;
  if (!intent.SerializeToString(&payload)) {
    return FormatError{"the intent cannot be serialized (" + std::to_string(intent.ByteSizeLong()) +
                       " bytes; protobuf's limit is 2 GiB)"};
  }
  std::string out;
  out.reserve(kStoreHeaderSize + payload.size());
  out.append(kStoreMagic);
  put_le(out, kStoreFormatVersion, 4);
  put_le(out, checksum(payload), 4);
  put_le(out, payload.size(), 8);
  out.append(payload);
  return out;
}

std::variant<api::Intent, FormatError> decode_store(std::string_view bytes) {
  const std::size_t size = bytes.size();
  if (size == 0) return FormatError{"the file is empty (0 bytes; a store always has a header)"};
  const std::size_t magic_seen = std::min(size, kStoreMagic.size());
  if (bytes.substr(0, magic_seen) != kStoreMagic.substr(0, magic_seen)) {
    return FormatError{
        "bad magic: the file does not start with \"TERNINT1\"; it is not a tern "
        "intent store"};
  }
  if (size < kStoreHeaderSize) {
    return FormatError{"truncated header: the file has " + std::to_string(size) +
                       " bytes, the header alone needs " + std::to_string(kStoreHeaderSize)};
  }
  const auto version = static_cast<std::uint32_t>(get_le(bytes, 8, 4));
  if (version != kStoreFormatVersion) {
    return FormatError{"unsupported format version " + std::to_string(version) +
                       " (this ternd reads version " + std::to_string(kStoreFormatVersion) + ")"};
  }
  const auto expected_crc = static_cast<std::uint32_t>(get_le(bytes, 12, 4));
  const std::uint64_t length = get_le(bytes, 16, 8);
  const std::size_t present = size - kStoreHeaderSize;
  if (length > present) {
    return FormatError{"truncated payload: the header says " + std::to_string(length) +
                       " bytes, the file holds " + std::to_string(present)};
  }
  if (length < present) {
    return FormatError{"length mismatch: the header says " + std::to_string(length) +
                       " payload bytes, the file holds " + std::to_string(present)};
  }
  const std::string_view payload = bytes.substr(kStoreHeaderSize);
  const std::uint32_t actual_crc = checksum(payload);
  if (actual_crc != expected_crc) {
    return FormatError{"checksum mismatch: the header says " + hex32(expected_crc) +
                       ", the payload sums to " + hex32(actual_crc)};
  }
  api::Intent intent;
  if (payload.size() > INT_MAX ||
      !intent.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return FormatError{"the payload (checksum good) does not parse as a tern.api.Intent"};
  }
  return intent;
}

}  // namespace tern::intent
