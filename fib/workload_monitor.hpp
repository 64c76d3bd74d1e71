#pragma once
// Keeps a WorkloadRouteTable current from the kernel: a link and route dump at start,
// link and route notifications after, and a fresh dump when notifications were lost (or,
// optionally, periodically, as BIRD's `scan time`). Driven either from an event loop (poll
// fd(), call read() when readable or after timeout_ms()) or from a thread of its own (run()).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "fib/netlink/socket.hpp"
#include "fib/workload_routes.hpp"

namespace tern::fib {

struct WorkloadMonitorOptions {
  LearnOptions learn;
  std::chrono::milliseconds rescan{0};  // 0: only after lost notifications
  int rcvbuf_bytes = 4 << 20;
};

class WorkloadMonitor {
 public:
  // Subscribes, then dumps links and routes. nullptr and *error on failure.
  static std::unique_ptr<WorkloadMonitor> open(WorkloadMonitorOptions options, std::string* error);
  WorkloadMonitor(WorkloadMonitorOptions options, std::unique_ptr<nl::Socket> monitor,
                  std::unique_ptr<nl::Socket> requests);  // use open()

  int fd() const { return monitor_->fd(); }
  // Until a rescan (or the retry of a failed one) is due; -1: none.
  int timeout_ms() const;
  // Reads what is queued, dumps again if due, and answers what changed since the last call
  // (the first call: the whole initial set). While a dump keeps failing nothing is reported
  // (a partial table would look like removals); last_error() says why.
  LearnedChanges read();
  // A thread of its own: calls on_change for every non-empty change until stop_fd is readable.
  void run(int stop_fd, const std::function<void(const LearnedChanges&)>& on_change);

  std::vector<LearnedRoute> learned() const { return table_.learned(); }
  const std::string& last_error() const { return last_error_; }
  uint64_t overruns() const { return overruns_; }
  uint64_t dumps() const { return dumps_; }

 private:
  int dump();  // 0 or errno
  void drain();

  WorkloadMonitorOptions opts_;
  std::unique_ptr<nl::Socket> monitor_;
  std::unique_ptr<nl::Socket> requests_;
  WorkloadRouteTable table_;
  bool dump_due_ = false;
  std::chrono::steady_clock::time_point next_dump_;
  std::string last_error_;
  uint64_t overruns_ = 0;
  uint64_t dumps_ = 0;
};

}  // namespace tern::fib
