#pragma once
// What the writer knows about the host besides its own routes: devices (by name and index, up
// or not) from a link dump kept current by notifications, and how a next hop is reached, asked
// of the kernel's FIB and cached until something that could change the answer happens.

#include <linux/netlink.h>

#include <optional>
#include <string>
#include <unordered_map>

#include "fib/kernel_route.hpp"
#include "fib/netlink/socket.hpp"

namespace tern::fib::nl {

class NetlinkHost final : public HostView {
 public:
  NetlinkHost(Socket& requests, uint8_t our_protocol)
      : sock_(requests), our_protocol_(our_protocol) {}

  int load_links();  // 0 or errno

  // A link notification; true when some device appeared, vanished, or went up or down.
  bool apply_link(const nlmsghdr* h);
  void forget_resolutions() { resolved_.clear(); }
  bool has_resolutions() const { return !resolved_.empty(); }

  std::optional<int> usable_link(const std::string& name) override;
  // For views: the device's name, or "if<N>" when it is gone.
  std::string link_name(int ifindex) const;
  Resolution resolve(const IpAddr& next_hop) override;

 private:
  struct Link {
    std::string name;
    bool up = false;
  };
  bool set_link(int ifindex, const std::string& name, bool up);

  Socket& sock_;
  uint8_t our_protocol_;
  std::unordered_map<int, Link> links_;
  std::unordered_map<std::string, int> by_name_;
  std::unordered_map<IpAddr, Resolution, IpAddrHash> resolved_;
};

}  // namespace tern::fib::nl
