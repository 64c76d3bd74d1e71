#include "daemon/plan/routes.hpp"

#include <algorithm>
#include <array>

namespace tern::plan::detail {

namespace {

bool inside_any(const bgp::Prefix& p, const std::vector<bgp::Prefix>& nets) {
  return std::any_of(nets.begin(), nets.end(), [&](const auto& n) { return rib::within(p, n); });
}

bgp::Prefix host_prefix(const bgp::IpAddr& a) {
  bgp::Prefix p;
  p.afi = a.afi;
  p.b = a.b;
  p.len = bgp::max_prefix_len(a.afi);
  return p;
}

// FIPS 180-4 SHA-256, enough for a node name.
std::array<uint8_t, 32> sha256(std::string_view data) {
  static constexpr uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string msg(data);
  const uint64_t bits = uint64_t{data.size()} * 8;
  msg.push_back(static_cast<char>(0x80));
  while (msg.size() % 64 != 56)
    msg.push_back(0);
  for (int i = 7; i >= 0; --i)
    msg.push_back(static_cast<char>(bits >> (i * 8)));
  auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (size_t off = 0; off < msg.size(); off += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      const auto* b = reinterpret_cast<const uint8_t*>(msg.data() + off + i * 4);
      w[i] = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    }
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      const uint32_t t1 =
          hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
  }
  std::array<uint8_t, 32> out;
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j)
      out[i * 4 + j] = static_cast<uint8_t>(h[i] >> (24 - j * 8));
  return out;
}

}  // namespace

uint32_t hashed_router_id(std::string_view node_name) {
  auto d = sha256(node_name);
  if (d[0] > 223) d[0] -= 32;  // not class D or E
  return (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) | (uint32_t{d[2]} << 8) | d[3];
}

std::vector<Origination> plan_originations(const Context& c) {
  std::vector<Origination> out;
  // Blocks of one address are not blackholed: the workload's own route stands for them.
  for (const auto& b : c.own_blocks)
    if (b.len < bgp::max_prefix_len(b.afi)) out.push_back({b, Origination::Kind::kBlock});
  if (c.advertise_services)
    for (const auto& s : c.service_ranges)
      out.push_back({s, Origination::Kind::kService});
  std::vector<bgp::Prefix> pools;
  for (const auto& p : c.pools)
    pools.push_back(p.cidr);
  for (const auto& b : c.intent->borrowed_addresses()) {
    if (b.spec().node() != c.node_name) continue;
    auto ip = bgp::IpAddr::parse(b.spec().address());
    if (!ip) {
      c.notes.add("BorrowedAddress " + b.metadata().name() + ": '" + b.spec().address() +
                  "' is not an address; ignored");
      continue;
    }
    const bgp::Prefix p = host_prefix(*ip);
    // Inside an own block the block route covers it; outside every pool it is no workload's.
    if (inside_any(p, c.own_blocks) || !inside_any(p, pools)) continue;
    out.push_back({p, Origination::Kind::kBorrowed});
  }
  std::sort(out.begin(), out.end(), [](const Origination& a, const Origination& b) {
    return prefix_less(a.prefix, b.prefix) ||
           (a.prefix == b.prefix && static_cast<int>(a.kind) < static_cast<int>(b.kind));
  });
  // One route per prefix: a service range equal to a block stays a block.
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.prefix == b.prefix; }),
            out.end());
  return out;
}

fib::EncapConfig plan_encap(const Context& c) {
  fib::EncapConfig e;
  for (const auto& p : c.pools) {
    fib::IpPool pool;
    pool.cidr = p.cidr;
    auto ipip = fib::parse_encap_mode(p.ipip_mode);
    auto vxlan = fib::parse_encap_mode(p.vxlan_mode);
    if (!ipip || !vxlan)
      c.notes.add("IPPool " + bgp::to_string(p.cidr) +
                  ": unknown ipipMode or vxlanMode; Never used");
    pool.ipip = ipip.value_or(fib::EncapMode::kNever);
    pool.vxlan = vxlan.value_or(fib::EncapMode::kNever);
    e.pools.push_back(pool);
  }
  if (c.self && c.self->v4_network) e.node_network = c.self->v4_network;
  return e;
}

}  // namespace tern::plan::detail
