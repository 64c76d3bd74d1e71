#pragma once
// The hand-over between the RIB's thread and the FIB thread. Per prefix only the latest state
// is kept, so a prefix that flaps a thousand times while the kernel is busy costs one write.
// The consumer sleeps on an eventfd, which lets it wait for netlink events at the same time.

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

struct QueuedWork {
  // nullopt: withdrawn. Order is first-touch order; later states overwrite in place.
  std::vector<std::pair<Prefix, std::optional<WantedRoute>>> routes;
  std::optional<EncapConfig> config;  // the latest config, if it changed
  bool initial_sync_done = false;
  bool reconcile = false;
  bool stop = false;
  std::vector<std::promise<void>> flushes;
  std::vector<ViewRequest> views;
  bool empty() const {
    return routes.empty() && !config && !initial_sync_done && !reconcile && !stop &&
           flushes.empty() && views.empty();
  }
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
  void put(const Prefix& prefix, std::optional<WantedRoute> state);
  void signal_locked();

  mutable std::mutex mu_;
  QueuedWork pending_;
  std::unordered_map<Prefix, size_t, PrefixHash> index_;
  size_t coalesced_ = 0;
  bool signalled_ = false;
  int fd_ = -1;
};

}  // namespace tern::fib
