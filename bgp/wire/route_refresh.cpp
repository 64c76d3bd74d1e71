// ROUTE-REFRESH (RFC 2918) with the enhanced route refresh subtypes (RFC 7313).

#include "bgp/wire/codec.hpp"

namespace tern::bgp {

Result<RouteRefresh> decode_route_refresh(ByteSpan message) {
  if (message.size() < kHeaderSize + 4)
    return make_error(err::kHeader, err::kBadMessageLength, Action::kSessionReset,
                      "ROUTE-REFRESH shorter than 23 bytes");
  Reader r(message.subspan(kHeaderSize));
  RouteRefresh rr;
  uint8_t subtype = 0;
  (void)r.u16(rr.afi);
  (void)r.u8(subtype);
  (void)r.u8(rr.safi);
  rr.subtype = static_cast<RefreshSubtype>(subtype);
  // RFC 7313 5: BoRR/EoRR must be exactly 4 octets long, and the error echoes the message.
  if ((subtype == 1 || subtype == 2) && !r.empty())
    return make_error(err::kRouteRefresh, err::kInvalidRouteRefreshLength, Action::kSessionReset,
                      "BoRR/EoRR with " + std::to_string(r.remaining()) + " extra bytes",
                      Bytes(message.begin(), message.end()));
  const ByteSpan rest = r.rest();
  rr.orf.assign(rest.begin(), rest.end());
  return rr;
}

void encode_route_refresh_body(const RouteRefresh& rr, Writer& w) {
  w.u16(rr.afi);
  w.u8(static_cast<uint8_t>(rr.subtype));
  w.u8(rr.safi);
  w.bytes(rr.orf);
}

}  // namespace tern::bgp
