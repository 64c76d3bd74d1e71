#pragma once
// What the FIB is asked to do, in the FIB's own words: the RIB hands over a prefix with its
// ECMP next hops (best first), and the cluster's intent supplies pools and this node's
// address. Nothing here depends on rib/, so other producers (tools, tests) can drive the FIB.

#include <cstddef>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bgp/wire/family.hpp"

namespace tern::fib {

using bgp::IpAddr;
using bgp::Prefix;

// Calico's IPPool.spec.ipipMode and vxlanMode share these three values.
enum class EncapMode { kNever, kAlways, kCrossSubnet };
std::optional<EncapMode> parse_encap_mode(std::string_view text);
const char* to_string(EncapMode m);

struct IpPool {
  Prefix cidr;
  EncapMode ipip = EncapMode::kNever;
  EncapMode vxlan = EncapMode::kNever;
  bool operator==(const IpPool&) const = default;
};

struct EncapConfig {
  std::vector<IpPool> pools;
  // This node's IPv4 address with its mask (Node.spec.bgp.ipv4Address); CrossSubnet compares
  // next hops against the masked network. Without it pools are not consulted (as in Calico).
  std::optional<Prefix> node_network;
  // The node agent (Felix) programs every route of IPIP pools itself; tern keeps out of them.
  bool tunnel_routes_owned_by_agent = false;
  std::string tunnel_device = "tunl0";
  bool operator==(const EncapConfig&) const = default;
};

// One prefix as the RIB wants it forwarded.
struct WantedRoute {
  Prefix prefix;
  std::vector<IpAddr> next_hops;  // the ECMP set, best first
  bool local_block = false;       // one of this node's own blocks: blackholed here
  bool operator==(const WantedRoute&) const = default;
};

// Masks addr to len bits.
Prefix network_of(const IpAddr& addr, uint8_t len);
bool contains(const Prefix& outer, const Prefix& inner);
bool contains(const Prefix& net, const IpAddr& addr);

// The hashes are noexcept so unordered containers recompute them rather than store one per
// node: cheap to compute, and 8 bytes per route in tables of a million.
struct PrefixHash {
  size_t operator()(const Prefix& p) const noexcept {
    // FNV-1a over the used bytes; prefixes of one family differ mostly in the first four.
    uint64_t h = 1469598103934665603ull ^ (p.len | (static_cast<unsigned>(p.afi) << 8));
    const size_t n = p.afi == bgp::Afi::kIpv4 ? 4 : 16;
    for (size_t i = 0; i < n; ++i)
      h = (h ^ p.b[i]) * 1099511628211ull;
    return static_cast<size_t>(h);
  }
};

struct IpAddrHash {
  size_t operator()(const IpAddr& a) const noexcept {
    uint64_t h = 1469598103934665603ull ^ static_cast<unsigned>(a.afi);
    for (uint8_t byte : a.b)
      h = (h ^ byte) * 1099511628211ull;
    return static_cast<size_t>(h);
  }
};

struct IpAddrListHash {
  size_t operator()(const std::vector<IpAddr>& list) const noexcept {
    size_t h = list.size();
    for (const auto& a : list)
      h = h * 1099511628211ull ^ IpAddrHash()(a);
    return h;
  }
};

}  // namespace tern::fib
