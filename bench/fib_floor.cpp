// The raw netlink floor for the FIB benchmark, and a fast route counter for it.
//
//   fib_floor write N FIRST/LEN GATEWAY DEVICE [onlink]
//       N consecutive prefixes, replace requests packed into 128 KB sendmsg batches, no acks
//       asked: the least work any writer can make the kernel do. Prints routes/s.
//   fib_floor count PROTOCOL DEVICE
//       how many IPv4 main-table routes carry PROTOCOL and go out of DEVICE (one dump).

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fib/netlink/route_msg.hpp"

using namespace tern::fib;

namespace {

int open_socket() {
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    std::perror("netlink");
    std::exit(1);
  }
  const int big = 16 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
  return fd;
}

Prefix nth(const Prefix& first, uint32_t n) {
  uint32_t v = (uint32_t{first.b[0]} << 24) | (uint32_t{first.b[1]} << 16) |
               (uint32_t{first.b[2]} << 8) | first.b[3];
  v += n << (32 - first.len);
  Prefix p = first;
  p.b[0] = v >> 24;
  p.b[1] = v >> 16;
  p.b[2] = v >> 8;
  p.b[3] = v;
  return p;
}

int write_routes(int argc, char** argv) {
  if (argc < 6) return 2;
  const uint32_t n = static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10));
  const auto first = Prefix::parse(argv[3]);
  const auto gw = IpAddr::parse(argv[4]);
  const int ifindex = static_cast<int>(if_nametoindex(argv[5]));
  const bool onlink = argc > 6 && std::string(argv[6]) == "onlink";
  if (!first || !gw || ifindex == 0) return 2;
  const int fd = open_socket();
  std::vector<uint8_t> buf;
  buf.reserve(256 * 1024);
  const nl::RouteTag tag{12, 254, 0};
  const auto t0 = std::chrono::steady_clock::now();
  for (uint32_t i = 0; i < n; ++i) {
    nl::append_replace(buf, i + 1, false, KernelRoute{nth(*first, i), false, {{*gw, ifindex, onlink}}},
                       tag);
    if (buf.size() >= 128 * 1024 - 256 || i + 1 == n) {
      if (send(fd, buf.data(), buf.size(), 0) < 0) std::perror("send");
      buf.clear();
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Failures were answered even without acks; count them so a broken run is visible.
  int errors = 0;
  std::vector<uint8_t> rx(1 << 16);
  for (;;) {
    int len = static_cast<int>(recv(fd, rx.data(), rx.size(), MSG_DONTWAIT));
    if (len <= 0) break;
    for (auto* h = reinterpret_cast<nlmsghdr*>(rx.data()); NLMSG_OK(h, static_cast<unsigned>(len));
         h = NLMSG_NEXT(h, len))
      if (h->nlmsg_type == NLMSG_ERROR && static_cast<nlmsgerr*>(NLMSG_DATA(h))->error) ++errors;
  }
  std::printf("routes=%u seconds=%.3f rate=%.0f errors=%d\n", n, s, n / s, errors);
  return errors ? 1 : 0;
}

int count_routes(int argc, char** argv) {
  if (argc < 4) return 2;
  const int proto = std::atoi(argv[2]);
  const int ifindex = static_cast<int>(if_nametoindex(argv[3]));
  const int fd = open_socket();
  std::vector<uint8_t> req = nl::dump_request(1, AF_INET, 254);
  send(fd, req.data(), req.size(), 0);
  std::vector<uint8_t> rx(1 << 20);
  long count = 0;
  for (;;) {
    int len = static_cast<int>(recv(fd, rx.data(), rx.size(), 0));
    if (len <= 0) break;
    for (auto* h = reinterpret_cast<nlmsghdr*>(rx.data()); NLMSG_OK(h, static_cast<unsigned>(len));
         h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
        std::printf("%ld\n", count);
        return 0;
      }
      auto p = nl::parse_route(h);
      if (p && p->protocol == proto && !p->route.hops.empty() &&
          p->route.hops[0].ifindex == ifindex)
        ++count;
    }
  }
  std::printf("%ld\n", count);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  int rc = 2;
  if (mode == "write") rc = write_routes(argc, argv);
  if (mode == "count") rc = count_routes(argc, argv);
  if (rc == 2)
    std::fprintf(stderr, "usage: fib_floor write N FIRST/LEN GW DEV [onlink] | count PROTO DEV\n");
  return rc;
}
