#pragma once
// The hand-over between the RIB's thread and the FIB thread. Per prefix only the latest state
// is kept, so a prefix that flaps a thousand times while the kernel is busy costs one write.
// The consumer sleeps on an eventfd, which lets it wait for netlink events at the same time.
// While the kernel absorbs a table, most of it waits here: an entry is 24 bytes plus a slot of
// the index, and next-hop lists are stored once per distinct list.

#include <cstdint>
#include <future>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "fib/types.hpp"
#include "fib/writer.hpp"

namespace tern::fib {

// A view asked for, answered after the work taken with it has been acted on.
struct ViewRequest {
  std::optional<Prefix> prefix;
  size_t limit = 0;
  std::promise<FibView> done;
};

// One prefix's latest state: withdrawn, or wanted via hop_lists[next_hops] of its work.
struct QueuedRoute {
  Prefix prefix;
  bool wanted = false;
  bool local_block = false;
  uint32_t next_hops = 0;
};

struct QueuedWork {
  // Order is first-touch order; later states overwrite in place.
  std::vector<QueuedRoute> routes;
  std::vector<std::vector<IpAddr>> hop_lists;  // distinct, indexed by QueuedRoute::next_hops
  std::optional<EncapConfig> config;           // the latest config, if it changed
  bool initial_sync_done = false;
  bool reconcile = false;
  bool stop = false;
  std::vector<std::promise<void>> flushes;
  std::vector<ViewRequest> views;
  bool empty() const {
    return routes.empty() && !config && !initial_sync_done && !reconcile && !stop &&
           flushes.empty() && views.empty();
  }
  // The route as it was handed over; nullopt: withdrawn.
  std::optional<WantedRoute> state(const QueuedRoute& r) const;
};

class RouteQueue {
 public:
  RouteQueue();
  ~RouteQueue();
  RouteQueue(const RouteQueue&) = delete;
  RouteQueue& operator=(const RouteQueue&) = delete;

  void update(WantedRoute route);
  void withdraw(const Prefix& prefix);
  void set_config(EncapConfig config);
  void initial_sync_done();
  void reconcile();
  void stop();
  std::future<void> flush();
  std::future<FibView> view(std::optional<Prefix> prefix, size_t limit);

  // Everything pending, leaving the queue empty.
  QueuedWork take();
  // Readable while work is pending (level-triggered until take()).
  int wake_fd() const { return fd_; }
  size_t coalesced() const;  // states overwritten before being taken, since start

 private:
  // Where the pending entry of prefix is: a slot of index_ holding its position + 1, or 0
  // where it would go.
  uint32_t& slot_locked(const Prefix& prefix);
  uint32_t hop_list_locked(const std::vector<IpAddr>& hops);
  QueuedRoute& entry_locked(const Prefix& prefix);
  void signal_locked();

  mutable std::mutex mu_;
  QueuedWork pending_;
  // Open addressing over pending_.routes (positions + 1; 0: free), at most half full. Probing
  // compares the prefixes in routes, so a slot is four bytes.
  std::vector<uint32_t> index_;  // a power of two long, or empty
  std::unordered_map<std::vector<IpAddr>, uint32_t, IpAddrListHash> lists_;
  uint32_t last_list_ = UINT32_MAX;
  size_t coalesced_ = 0;
  bool signalled_ = false;
  int fd_ = -1;
};

}  // namespace tern::fib
