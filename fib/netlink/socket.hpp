#pragma once
// A NETLINK_ROUTE socket (libnl-3 underneath) with the three exchanges the writer needs:
// a batch of many requests in one sendmsg whose failures come back per sequence number, a
// dump, and one request with one answer. Errors are values; nothing here throws.

#include <linux/netlink.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct nl_sock;

namespace tern::fib::nl {

struct RequestError {
  uint32_t seq = 0;
  int error = 0;       // positive errno
  std::string reason;  // strerror plus the kernel's extended ack message, if any
};

class Socket {
 public:
  // groups: RTNLGRP_* numbers to subscribe to (a monitor socket); none for a request socket.
  static std::unique_ptr<Socket> open(const std::vector<int>& groups, int rcvbuf_bytes,
                                      std::string* error);
  explicit Socket(nl_sock* sk) : sk_(sk) {}  // takes ownership; use open()
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  int fd() const;
  uint32_t next_seq() { return ++seq_; }

  // Sends buf (complete messages; only the last one carries NLM_F_ACK, sequence last_seq) and
  // reads until that ack. Failed requests are appended to errors. Returns 0, or a positive
  // errno when the exchange itself failed (then the outcome of every request is unknown).
  int send_batch(const std::vector<uint8_t>& buf, uint32_t last_seq,
                 std::vector<RequestError>& errors);

  // Sends a dump request and calls each for every answer message until NLMSG_DONE.
  int dump(const std::vector<uint8_t>& request, uint32_t seq,
           const std::function<void(const nlmsghdr*)>& each);

  // One request, one answer (an RTM_NEWROUTE, or an error: returned as positive errno).
  int request(const std::vector<uint8_t>& request, uint32_t seq,
              const std::function<void(const nlmsghdr*)>& answer, std::string* reason);

  // Non-blocking read of whatever is queued (monitor sockets). Returns 0 when drained,
  // ENOBUFS when the kernel dropped notifications, another errno on failure.
  int drain(const std::function<void(const nlmsghdr*)>& each);

  // Monitor sockets: a socket filter drops RTM_NEWROUTE notifications of routes carrying
  // `protocol` in `table` inside the kernel, before they are queued. Those are the echoes of
  // our own writes (one per route written), which the writer ignores anyway; deletes and
  // everything of other protocols still arrive. Returns 0 or errno.
  int drop_own_route_echoes(uint8_t protocol, uint32_t table);

 private:
  int receive(int flags);  // fills buf_, returns bytes or -errno
  // Reads datagrams and hands every message in them to `each` until it returns a result,
  // which is returned; a receive error comes back as a positive errno.
  template <class Each>
  int read_until(int flags, Each&& each);

  nl_sock* sk_;
  uint32_t seq_ = 0;
  std::vector<uint8_t> buf_ = std::vector<uint8_t>(256 * 1024);
};

// The reason text of an error answer: strerror plus NLMSGERR_ATTR_MSG.
std::string error_reason(const nlmsghdr* h, int error);

}  // namespace tern::fib::nl
