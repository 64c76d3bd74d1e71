// libFuzzer target: ROUTE-REFRESH messages (RFC 2918, RFC 7313 subtypes, ORF kept raw).

#include <cstdint>

#include "bgp/wire/codec.hpp"

using namespace tern::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes msg(16, 0xff);
  const size_t len = size + kHeaderSize;
  if (len > 65535) return 0;
  msg.push_back(static_cast<uint8_t>(len >> 8));
  msg.push_back(static_cast<uint8_t>(len));
  msg.push_back(5);
  msg.insert(msg.end(), data, data + size);
  (void)decode_route_refresh(msg);
  return 0;
}
