#pragma once
// The FIB writer on netlink: one thread owns the kernel conversation. It takes coalesced work
// from a RouteQueue, decides shapes, writes replace/delete requests in batches, adopts and
// later sweeps the routes a previous run left behind, and follows link, address and route
// notifications so parked routes come back and direct routes follow their next hops.

#include <memory>
#include <string>
#include <thread>

#include "fib/route_queue.hpp"
#include "fib/writer.hpp"

namespace tern::fib {

class FibEngine;

class NetlinkWriter final : public FibWriter {
 public:
  // Opens the sockets, reads links and the routes already tagged as ours (adopted as stale),
  // then starts the thread. nullptr and *error on failure.
  static std::unique_ptr<NetlinkWriter> start(WriterOptions options, std::string* error);
  // Stops the thread; routes stay in the kernel (the next run adopts them).
  ~NetlinkWriter() override;

  void set_config(EncapConfig config) override { queue_.set_config(std::move(config)); }
  void update(WantedRoute route) override { queue_.update(std::move(route)); }
  void withdraw(const Prefix& prefix) override { queue_.withdraw(prefix); }
  void initial_sync_done() override { queue_.initial_sync_done(); }
  void reconcile() override { queue_.reconcile(); }
  std::future<void> flush() override { return queue_.flush(); }
  std::shared_ptr<const FibStatus> status() const override;
  std::future<FibView> view(std::optional<Prefix> prefix, size_t limit) override {
    return queue_.view(prefix, limit);
  }

  explicit NetlinkWriter(std::unique_ptr<FibEngine> engine);  // use start()

 private:
  void run();

  RouteQueue queue_;
  std::unique_ptr<FibEngine> engine_;
  std::thread thread_;
};

}  // namespace tern::fib
