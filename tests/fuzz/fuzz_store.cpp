// libFuzzer target: the intent store file as ternd reads it at start (decode_store over the
// file's bytes; no filesystem). With the first byte odd, the header is rewritten to be right for
// the payload (magic, version, length, CRC-32C), so the fuzzer also reaches the Intent parse
// instead of stopping at the checksum. Whatever decodes must encode and decode back equal.

#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "daemon/intent/crc32c.hpp"
#include "daemon/intent/store_format.hpp"

using namespace tern;
using google::protobuf::util::MessageDifferencer;

namespace {

void put_le(std::string& bytes, size_t offset, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i)
    bytes[offset + i] = static_cast<char>((value >> (8 * i)) & 0xFFu);
}

// What encode_store would have written in front of this payload.
void fix_header(std::string& bytes) {
  if (bytes.size() < intent::kStoreHeaderSize) return;
  const std::string_view payload = std::string_view(bytes).substr(intent::kStoreHeaderSize);
  const std::uint32_t crc =
      intent::crc32c(std::as_bytes(std::span(payload.data(), payload.size())));
  bytes.replace(0, intent::kStoreMagic.size(), intent::kStoreMagic);
  put_le(bytes, 8, intent::kStoreFormatVersion, 4);
  put_le(bytes, 12, crc, 4);
  put_le(bytes, 16, payload.size(), 8);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) fix_header(bytes);
  auto decoded = intent::decode_store(bytes);
  if (std::get_if<intent::FormatError>(&decoded)) return 0;
  const auto& first = std::get<api::Intent>(decoded);
  auto encoded = intent::encode_store(first);
  const auto* file = std::get_if<std::string>(&encoded);
  if (file == nullptr) std::abort();
  auto again = intent::decode_store(*file);
  const auto* second = std::get_if<api::Intent>(&again);
  if (second == nullptr || !MessageDifferencer::Equals(first, *second)) std::abort();
  return 0;
}
