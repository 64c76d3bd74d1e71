#pragma once
// The FIB writer's interface, shared by the netlink writer and the fake one. Callers hand over
// wanted state and never wait for the kernel: calls are cheap and thread-safe, and results come
// back as status snapshots (or a callback) from the writer.

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fib/types.hpp"

namespace tern::fib {

struct RouteProblem {
  Prefix prefix;
  std::string
      state;  // "parked" (device or next hop missing), "failed" (kernel refused), "conflict"
  std::string reason;
  int attempts = 0;
};

struct FibStatus {
  size_t wanted = 0;     // prefixes the RIB wants
  size_t installed = 0;  // routes of ours in the kernel
  size_t not_ours = 0;   // wanted but shape none (VXLAN, agent-owned)
  size_t parked = 0;
  size_t failed = 0;
  size_t stale = 0;  // adopted at start and not (yet) wanted again
  bool initial_sync_done = false;
  bool swept = false;           // stale routes have been removed
  uint64_t routes_written = 0;  // replace operations the kernel accepted
  uint64_t routes_deleted = 0;
  uint64_t write_errors = 0;
  uint64_t batches = 0;
  std::vector<RouteProblem> problems;  // the first few, with the kernel's or our reason
  std::string last_error;
};

// What the writer holds for one prefix, for the API's `fib` and `explain`.
struct FibRouteView {
  Prefix prefix;
  // `ip route`-like text without the destination: what the kernel holds of ours when
  // installed or stale ("blackhole", "via 10.0.0.2 dev tunl0 onlink", "nexthop via ... nexthop
  // via ..."), otherwise the wanted shape ("none" when not ours; a direct hop as "via NH").
  std::string shape;
  // "installed", "pending" (not written yet, or ours and no longer wanted), "parked" (device or
  // next hop missing), "failed" (kernel refused), "conflict" (another program's route holds
  // the key), "not ours" (shape none), "stale" (adopted at start, not wanted again yet).
  std::string state;
  // The shape decision's reason; when not installed, why first ("tunl0 is missing or down;
  // pool ... ipipMode Always: via tunl0 onlink").
  std::string reason;
  int attempts = 0;  // failed writes so far
};

struct FibView {
  std::vector<FibRouteView> routes;  // by prefix: IPv4 first, then address, then length
  bool truncated = false;            // more prefixes than the limit
};

struct WriterOptions {
  uint8_t protocol = 12;  // RTPROT_BIRD: what Calico's tooling expects of BGP routes
  uint32_t table = 254;   // main
  uint32_t metric = 0;
  std::chrono::milliseconds stale_deferral{240'000};  // BIRD's DEFAULT_GR_WAIT
  size_t batch_bytes = 128 * 1024;
  std::chrono::milliseconds retry_first{250};
  std::chrono::milliseconds retry_max{30'000};
  size_t max_problems_reported = 100;
  // Called on the writer's thread after every round that changed something.
  std::function<void(std::shared_ptr<const FibStatus>)> on_status;
};

class FibWriter {
 public:
  virtual ~FibWriter() = default;
  virtual void set_config(EncapConfig config) = 0;
  virtual void update(WantedRoute route) = 0;
  virtual void withdraw(const Prefix& prefix) = 0;
  // The RIB's initial exchange is complete (End-of-RIB from every peer): stale routes adopted
  // at start that nobody wants any more can go.
  virtual void initial_sync_done() = 0;
  // Dump the kernel's routes with our tag and fix whatever differs from the wanted set.
  virtual void reconcile() = 0;
  // Ready once everything handed over before the call has been acted on.
  virtual std::future<void> flush() = 0;
  virtual std::shared_ptr<const FibStatus> status() const = 0;
  // Ready once everything handed over before the call has been acted on: the one prefix (an
  // empty view when the writer knows nothing of it; limit unused), or the first `limit`
  // prefixes it wants or holds, in view order. One lookup for a prefix, O(n log limit) for a
  // listing of n.
  virtual std::future<FibView> view(std::optional<Prefix> prefix, size_t limit) = 0;
};

}  // namespace tern::fib
