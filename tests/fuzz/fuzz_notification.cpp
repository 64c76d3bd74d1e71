// libFuzzer target: NOTIFICATION bodies and the RFC 9003 shutdown communication.

#include <cstdint>

#include "bgp/wire/codec.hpp"

using namespace tern::bgp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = decode_notification(ByteSpan(data, size));
  if (r.ok()) {
    Notification n = *r;
    n.code = err::kCease;
    n.subcode = err::kAdminShutdown;
    (void)n.shutdown_text();
  }
  return 0;
}
