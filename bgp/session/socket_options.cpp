#include "bgp/session/socket_options.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace tern::bgp {

namespace {

std::string fail(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

sockaddr_storage to_sockaddr(const boost::asio::ip::address& a) {
  sockaddr_storage ss{};
  if (a.is_v4()) {
    auto* s = reinterpret_cast<sockaddr_in*>(&ss);
    s->sin_family = AF_INET;
    const auto b = a.to_v4().to_bytes();
    std::memcpy(&s->sin_addr, b.data(), 4);
  } else {
    auto* s = reinterpret_cast<sockaddr_in6*>(&ss);
    s->sin6_family = AF_INET6;
    const auto b = a.to_v6().to_bytes();
    std::memcpy(&s->sin6_addr, b.data(), 16);
  }
  return ss;
}

std::string set_tcp_md5(int fd, const sockaddr_storage& peer, const std::string& key) {
  if (key.size() > TCP_MD5SIG_MAXKEYLEN) return "TCP MD5 key longer than 80 bytes";
  tcp_md5sig sig{};
  std::memcpy(&sig.tcpm_addr, &peer, sizeof(peer));
  sig.tcpm_keylen = static_cast<uint16_t>(key.size());
  std::memcpy(sig.tcpm_key, key.data(), key.size());
  if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) != 0) {
    // Removing a key that was never set is not an error worth reporting.
    if (key.empty() && errno == ENOENT) return {};
    return fail("setsockopt(TCP_MD5SIG)");
  }
  return {};
}

std::string set_ttl(int fd, int family, int ttl) {
  if (family == AF_INET6) {
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) != 0)
      return fail("setsockopt(IPV6_UNICAST_HOPS)");
    return {};
  }
  if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) != 0) return fail("setsockopt(IP_TTL)");
  return {};
}

std::string set_gtsm(int fd, int family, int hops) {
  if (auto e = set_ttl(fd, family, 255); !e.empty()) return e;
  int min = 256 - hops;
  if (family == AF_INET6) {
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &min, sizeof(min)) != 0)
      return fail("setsockopt(IPV6_MINHOPCOUNT)");
    return {};
  }
  if (setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min, sizeof(min)) != 0)
    return fail("setsockopt(IP_MINTTL)");
  return {};
}

}  // namespace tern::bgp
