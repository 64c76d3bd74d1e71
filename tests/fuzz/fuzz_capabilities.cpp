// libFuzzer target: the Optional Parameters field of an OPEN, both length forms (RFC 9072).

#include <cstdint>

#include "bgp/wire/codec.hpp"

using namespace tern::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  auto r = decode_capabilities(ByteSpan(data + 1, size - 1), data[0] & 1);
  if (r.ok()) {
    Bytes out;
    Writer w(out);
    encode_capabilities(*r, w);
  }
  return 0;
}
