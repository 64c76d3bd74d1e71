#include "fib/netlink/socket.hpp"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <optional>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace tern::fib::nl {

std::unique_ptr<Socket> Socket::open(const std::vector<int>& groups, int rcvbuf_bytes,
                                     std::string* error) {
  nl_sock* sk = nl_socket_alloc();
  if (!sk) {
    *error = "nl_socket_alloc failed";
    return nullptr;
  }
  // Sequence numbers and acks are ours: a batch carries many requests and only one ack.
  nl_socket_disable_seq_check(sk);
  nl_socket_disable_auto_ack(sk);
  int rc = nl_connect(sk, NETLINK_ROUTE);
  if (rc < 0) {
    *error = std::string("netlink connect: ") + nl_geterror(rc);
    nl_socket_free(sk);
    return nullptr;
  }
  auto s = std::make_unique<Socket>(sk);
  const int fd = nl_socket_get_fd(sk);
  const int one = 1;
  // Small error answers (no copy of our request) with the kernel's reason text; dumps
  // filtered by the kernel where it can.
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
  setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
  // Error answers of a whole batch, or a burst of notifications, must fit; FORCE works as root
  // and the plain option is the fallback.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf_bytes, sizeof(rcvbuf_bytes)) != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf_bytes, sizeof(rcvbuf_bytes));
  const int sndbuf = 1 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) != 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
  for (int g : groups) {
    rc = nl_socket_add_memberships(sk, g, 0);
    if (rc < 0) {
      *error = std::string("netlink group: ") + nl_geterror(rc);
      return nullptr;
    }
  }
  if (!groups.empty()) nl_socket_set_nonblocking(sk);
  return s;
}

Socket::~Socket() {
  nl_socket_free(sk_);
}

int Socket::fd() const {
  return nl_socket_get_fd(sk_);
}

int Socket::receive(int flags) {
  for (;;) {
    const ssize_t n = recv(fd(), buf_.data(), buf_.size(), flags);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EINTR) continue;
    return -errno;
  }
}

std::string error_reason(const nlmsghdr* h, int error) {
  std::string reason = std::strerror(error);
  if (!(h->nlmsg_flags & NLM_F_ACK_TLVS)) return reason;
  const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
  // With NETLINK_CAP_ACK the echoed request is only its header, which nlmsgerr holds.
  size_t offset = NLMSG_HDRLEN + sizeof(nlmsgerr);
  if (!(h->nlmsg_flags & NLM_F_CAPPED)) offset += err->msg.nlmsg_len - NLMSG_HDRLEN;
  if (offset >= h->nlmsg_len) return reason;
  auto* attrs = reinterpret_cast<nlattr*>(const_cast<char*>(reinterpret_cast<const char*>(h)) +
                                          NLMSG_ALIGN(offset));
  nlattr* tb[NLMSGERR_ATTR_MAX + 1] = {};
  if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, static_cast<int>(h->nlmsg_len - NLMSG_ALIGN(offset)),
                nullptr) == 0 &&
      tb[NLMSGERR_ATTR_MSG]) {
    reason += ": ";
    reason += nla_get_string(tb[NLMSGERR_ATTR_MSG]);
  }
  return reason;
}

template <class Each>
int Socket::read_until(int flags, Each&& each) {
  for (;;) {
    int n = receive(flags);
    if (n < 0) return -n;
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf_.data()); NLMSG_OK(h, static_cast<unsigned>(n));
         h = NLMSG_NEXT(h, n))
      if (std::optional<int> done = each(h)) return *done;
  }
}

int Socket::send_batch(const std::vector<uint8_t>& buf, uint32_t last_seq,
                       std::vector<RequestError>& errors) {
  const int sent = nl_sendto(sk_, const_cast<uint8_t*>(buf.data()), buf.size());
  if (sent < 0) return EIO;
  // The kernel handles the whole buffer inside sendmsg, so every answer is already queued.
  return read_until(0, [&](const nlmsghdr* h) -> std::optional<int> {
    if (h->nlmsg_type != NLMSG_ERROR) return std::nullopt;
    const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
    if (err->error != 0)
      errors.push_back({h->nlmsg_seq, -err->error, error_reason(h, -err->error)});
    if (h->nlmsg_seq == last_seq) return 0;
    return std::nullopt;
  });
}

int Socket::dump(const std::vector<uint8_t>& request, uint32_t seq,
                 const std::function<void(const nlmsghdr*)>& each) {
  if (nl_sendto(sk_, const_cast<uint8_t*>(request.data()), request.size()) < 0) return EIO;
  return read_until(0, [&](const nlmsghdr* h) -> std::optional<int> {
    if (h->nlmsg_seq != seq) return std::nullopt;
    if (h->nlmsg_type == NLMSG_DONE) return 0;
    if (h->nlmsg_type == NLMSG_ERROR) {
      const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      if (err->error != 0) return -err->error;
      return std::nullopt;
    }
    // A dump interrupted by a concurrent change is still complete for what it returned;
    // the monitor reports the change itself.
    each(h);
    return std::nullopt;
  });
}

int Socket::request(const std::vector<uint8_t>& request, uint32_t seq,
                    const std::function<void(const nlmsghdr*)>& answer, std::string* reason) {
  if (nl_sendto(sk_, const_cast<uint8_t*>(request.data()), request.size()) < 0) return EIO;
  return read_until(0, [&](const nlmsghdr* h) -> std::optional<int> {
    if (h->nlmsg_seq != seq) return std::nullopt;
    if (h->nlmsg_type == NLMSG_ERROR) {
      const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      if (err->error == 0) return std::nullopt;
      if (reason) *reason = error_reason(h, -err->error);
      return -err->error;
    }
    answer(h);
    return 0;
  });
}

int Socket::drop_own_route_echoes(uint8_t protocol, uint32_t table) {
  // Classic BPF loads halfwords and words in network order, netlink fields are host order:
  // constants are converted the same way, so the comparisons hold on either endianness.
  constexpr uint32_t kType = offsetof(nlmsghdr, nlmsg_type);
  constexpr uint32_t kRtm = NLMSG_HDRLEN;
  constexpr uint32_t kAttr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(rtmsg));  // first attribute
  const uint32_t compat_table = table < 256 ? table : RT_TABLE_COMPAT;
  // Notifications carry RTA_TABLE first (fib_dump_info, rt6_fill_node); if a kernel ever
  // puts something else first, the rtm_table byte alone decides for tables below 256 and
  // the message is kept for the others.
  // Jump offsets count from the next instruction.
  const sock_filter code[] = {
      /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
      /* 1 */ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, kAttr + 8, 0, 11),  // too short: keep
      /* 2 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, kType),
      /* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohs(RTM_NEWROUTE), 0, 9),
      /* 4 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, kRtm + offsetof(rtmsg, rtm_protocol)),
      /* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, protocol, 0, 7),
      /* 6 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, kRtm + offsetof(rtmsg, rtm_table)),
      /* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, compat_table, 0, 5),
      /* 8 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, kAttr + offsetof(rtattr, rta_type)),
      /* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohs(RTA_TABLE), 0, 2),
      /* 10 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kAttr + RTA_LENGTH(0)),
      /* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(table), 2, 1),
      /* 12 */ BPF_STMT(BPF_RET | BPF_K, table < 256 ? 0u : 0xffffffffu),  // no RTA_TABLE first
      /* 13 */ BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),                     // keep
      /* 14 */ BPF_STMT(BPF_RET | BPF_K, 0),                               // drop
  };
  sock_fprog prog{static_cast<unsigned short>(std::size(code)), const_cast<sock_filter*>(code)};
  if (setsockopt(fd(), SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) != 0) return errno;
  return 0;
}

int Socket::drain(const std::function<void(const nlmsghdr*)>& each) {
  const int e = read_until(MSG_DONTWAIT, [&](const nlmsghdr* h) -> std::optional<int> {
    each(h);
    return std::nullopt;
  });
  return e == EAGAIN || e == EWOULDBLOCK ? 0 : e;
}

}  // namespace tern::fib::nl
