// libFuzzer target: UPDATE bodies under every codec context. Besides "never crash", checks
// that anything decoded cleanly encodes and decodes back to the same value.

#include <cstdint>
#include <cstdlib>

#include "bgp/wire/codec.hpp"

using namespace tern::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte picks the negotiated context, so one corpus explores all of them.
  const uint8_t sel = data[0];
  CodecContext ctx;
  ctx.four_octet_as = sel & 1;
  ctx.extended_message = sel & 2;
  ctx.ebgp = sel & 4;
  ctx.add_path_receive = {static_cast<bool>(sel & 8), static_cast<bool>(sel & 16)};
  ctx.add_path_send = ctx.add_path_receive;
  ctx.families = {true, !(sel & 32)};
  const ByteSpan body(data + 1, size - 1);

  auto r = decode_update(body, ctx);
  if (!r.ok() || r->action != Action::kNone) return 0;
  Bytes out;
  if (!encode(Message{*r}, ctx, out).ok()) return 0;  // may legitimately exceed the size limit
  auto again = decode(out, ctx);
  if (!again.ok() || !(std::get<Update>(*again) == *r)) std::abort();
  return 0;
}
