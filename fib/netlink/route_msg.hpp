#pragma once
// rtnetlink route messages: built straight into a batch buffer (one allocation per batch, not
// per route), and parsed from dumps and notifications. Link messages too: routes name their
// devices by index, and only links say which name an index has.

#include <linux/netlink.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fib/kernel_route.hpp"

namespace tern::fib::nl {

// What makes a route ours and where it lives.
struct RouteTag {
  uint8_t protocol = 12;
  uint32_t table = 254;
  uint32_t metric = 0;
};

// IPv6 stores metric 0 as 1024 (IP6_RT_PRIO_USER); comparisons use what the kernel stores.
uint32_t effective_metric(bgp::Afi afi, uint32_t metric);

// NLM_F_CREATE | NLM_F_REPLACE: installs or swaps the route in one kernel operation.
void append_replace(std::vector<uint8_t>& buf, uint32_t seq, bool ack, const KernelRoute& route,
                    const RouteTag& tag);
void append_replace(std::vector<uint8_t>& buf, uint32_t seq, bool ack, const Prefix& dst,
                    const KernelForwarding& fwd, const RouteTag& tag);
// Deletes only a route carrying tag.protocol at tag.metric in tag.table.
void append_delete(std::vector<uint8_t>& buf, uint32_t seq, bool ack, const Prefix& dst,
                   const RouteTag& tag);
// RTM_GETROUTE dump of one family, filtered to one table where the kernel supports it.
std::vector<uint8_t> dump_request(uint32_t seq, uint8_t family, uint32_t table);
// RTM_GETROUTE for one address with RTM_F_FIB_MATCH: answers the route entry that matches.
std::vector<uint8_t> lookup_request(uint32_t seq, const IpAddr& addr);

struct ParsedRoute {
  KernelRoute route;
  uint8_t protocol = 0;
  uint32_t table = 0;
  uint32_t metric = 0;
  uint8_t type = 0;  // RTN_*
  bool cloned = false;
  bool deleted = false;  // RTM_DELROUTE
};

// nullopt for anything that is not an IPv4/IPv6 route message.
std::optional<ParsedRoute> parse_route(const nlmsghdr* h);

// RTM_GETLINK dump of every device.
std::vector<uint8_t> link_dump_request(uint32_t seq);

struct ParsedLink {
  int ifindex = 0;
  std::string name;  // may be empty in an RTM_DELLINK
  bool up = false;   // IFF_UP: administratively up
  bool deleted = false;
};

// nullopt for anything that is not a link message, and for an RTM_NEWLINK without a name.
std::optional<ParsedLink> parse_link(const nlmsghdr* h);

}  // namespace tern::fib::nl
