#pragma once
// Workload routes learned from the kernel, as BIRD's kernel protocol with `learn` sees them:
// host routes (/32, /128) of other programs in one table whose device name starts with a
// prefix (Felix's `cali*`). The table is fed rtnetlink messages (dump answers and
// notifications alike) and answers what changed since it was last asked; no sockets here, so
// it is tested with built messages. The daemon keeps of them the borrowed addresses.

#include <linux/netlink.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "fib/types.hpp"

namespace tern::fib {

struct LearnedRoute {
  Prefix prefix;
  std::string ifname;
  bool operator==(const LearnedRoute&) const = default;
};

// Apply removed before added: a route that moved to another device is in both.
struct LearnedChanges {
  std::vector<LearnedRoute> removed;
  std::vector<LearnedRoute> added;
  bool empty() const { return removed.empty() && added.empty(); }
};

struct LearnOptions {
  std::string ifname_prefix = "cali";
  uint8_t our_protocol = 12;  // routes of ours are never learned
  uint32_t table = 254;       // main
};

class WorkloadRouteTable {
 public:
  explicit WorkloadRouteTable(LearnOptions options) : opts_(std::move(options)) {}

  // A link or route message; anything else is ignored.
  void apply(const nlmsghdr* h);
  // Before a fresh dump: forgets links and routes, keeps what was reported, so the next
  // take_changes() answers the difference between the old view and the dump.
  void clear_kernel_state();
  // Changes since the previous call (the first call: everything, as added), sorted.
  LearnedChanges take_changes();
  // The learned set now, sorted by prefix.
  std::vector<LearnedRoute> learned() const;

  const LearnOptions& options() const { return opts_; }

 private:
  // One kernel route at a host prefix. Several may share a prefix (other metrics, IPv6
  // siblings, IPv4 appends); the kernel forwards with the lowest metric, and so do we learn.
  struct Entry {
    uint32_t metric = 0;
    int ifindex = 0;  // 0: no single output device (blackhole, multipath)
    bool ipv4 = true;
    bool operator==(const Entry&) const = default;
  };
  struct Link {
    std::string name;
    bool up = false;
  };
  void apply_route(const nlmsghdr* h);
  void apply_link(const nlmsghdr* h);
  // The kernel drops these routes with their device without telling (IPv4 on down, all on
  // unregister).
  void drop_routes_of(int ifindex, bool ipv4_only);
  std::unordered_map<Prefix, std::string, PrefixHash> compute() const;

  LearnOptions opts_;
  std::unordered_map<int, Link> links_;
  std::unordered_map<Prefix, std::vector<Entry>, PrefixHash> routes_;
  std::unordered_map<Prefix, std::string, PrefixHash> reported_;
  bool dirty_ = true;
};

// The learned addresses this node must originate itself: inside some pool, outside every block
// of its own (those it advertises as the block). Keeps the order of `learned`.
std::vector<Prefix> borrowed(const std::vector<Prefix>& learned, const std::vector<IpPool>& pools,
                             const std::vector<Prefix>& own_blocks);

}  // namespace tern::fib
