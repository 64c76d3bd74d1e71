// libFuzzer target: OPEN bodies, with a decode -> encode -> decode identity check.

#include <cstdint>
#include <cstdlib>

#include "bgp/wire/codec.hpp"

using namespace tern::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = decode_open(ByteSpan(data, size));
  if (!r.ok()) return 0;
  Bytes out;
  if (!encode(Message{*r}, CodecContext{}, out).ok()) return 0;
  auto again = decode(out, CodecContext{});
  if (!again.ok() || !(std::get<Open>(*again) == *r)) std::abort();
  return 0;
}
