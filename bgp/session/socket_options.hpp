#pragma once
// Linux socket options a BGP session needs: TCP MD5 signatures (RFC 2385), GTSM (RFC 5082)
// and the outgoing TTL for multihop eBGP. Each returns an errno-style message on failure so
// the session can refuse to run unprotected rather than silently go without.

#include <netinet/in.h>

#include <string>

#include "bgp/session/asio.hpp"

namespace tern::bgp {

sockaddr_storage to_sockaddr(const boost::asio::ip::address& a);

// Installs (or, with an empty key, removes) the MD5 key for `peer` on socket `fd`. On a
// listening socket this keys every connection from that peer.
std::string set_tcp_md5(int fd, const sockaddr_storage& peer, const std::string& key);

// Sends with TTL (IPv4) or hop limit (IPv6) `ttl`.
std::string set_ttl(int fd, int family, int ttl);

// GTSM: send with 255 and drop anything that arrives with fewer than 256 - hops left.
std::string set_gtsm(int fd, int family, int hops);

}  // namespace tern::bgp
