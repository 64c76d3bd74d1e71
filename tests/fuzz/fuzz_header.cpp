// libFuzzer target: a byte stream cut into messages the way a session reads it, each message
// decoded whole. Exercises framing, reassembly and every body decoder behind it.

#include <cstdint>
#include <cstdlib>

#include "bgp/wire/codec.hpp"

using namespace tern::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  CodecContext ctx;
  ctx.extended_message = data[0] & 1;
  ctx.four_octet_as = data[0] & 2;
  ByteSpan rest(data + 1, size - 1);
  while (!rest.empty()) {
    auto h = frame(rest, ctx);
    if (!h.ok() || !h->has_value()) return 0;
    const size_t len = h->value().length;
    if (len < kHeaderSize || len > rest.size()) std::abort();  // framing promised a whole message
    (void)decode(rest.first(len), ctx);
    rest = rest.subspan(len);
  }
  return 0;
}
