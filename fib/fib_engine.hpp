#pragma once
// The writer's state and its one round of work, owned by the FIB thread. Per prefix it keeps
// what is wanted, what the kernel holds of ours, and why anything wanted is not installed
// (parked, refused by the kernel, or blocked by another program's route at the same key).
// Next-hop lists and kernel hop lists are interned: per prefix only ids are kept.

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fib/interner.hpp"
#include "fib/kernel_route.hpp"
#include "fib/netlink/host.hpp"
#include "fib/netlink/route_msg.hpp"
#include "fib/netlink/sender.hpp"
#include "fib/netlink/socket.hpp"
#include "fib/route_queue.hpp"
#include "fib/writer.hpp"

namespace tern::fib {

class FibEngine {
 public:
  using Clock = std::chrono::steady_clock;

  static std::unique_ptr<FibEngine> open(WriterOptions options, std::string* error);
  // requests: dumps and next-hop lookups; batches: route writes, on a thread of their own.
  FibEngine(WriterOptions options, std::unique_ptr<nl::Socket> requests,
            std::unique_ptr<nl::Socket> monitor, std::unique_ptr<nl::Socket> batches);

  int monitor_fd() const { return monitor_->fd(); }
  // How long the thread may sleep before a retry or the stale deadline is due.
  int timeout_ms() const;

  void apply(QueuedWork& work);
  void read_monitor();
  // Reconcile, sweep, retries, then write everything dirty. Publishes status.
  void round();
  std::shared_ptr<const FibStatus> status() const;
  // What is wanted and held per prefix; between rounds, on the engine's thread.
  FibView view(const std::optional<Prefix>& prefix, size_t limit) const;

 private:
  using FwdId = Interner<KernelForwarding, KernelForwardingHash>::Id;
  using HopsId = Interner<std::vector<IpAddr>, IpAddrListHash>::Id;
  // Per prefix, what is wanted and what of ours the kernel holds, in one node: a table of a
  // million routes costs one small allocation per prefix.
  struct Entry {
    HopsId next_hops = 0;  // 0: not wanted; else holds a reference
    bool local = false;    // WantedRoute::local_block
    bool direct = false;   // some hop resolved through the kernel's routes: follows them
    FwdId installed = 0;   // 0: no route of ours; else holds a reference
    bool wanted() const { return next_hops != 0; }
  };
  struct Op {
    Prefix prefix;
    FwdId fwd = 0;           // 0: delete; else holds a reference until the result
    uint32_t metric = 0;     // for deletes of routes left at another metric
    Entry* entry = nullptr;  // the prefix's entry; none for routes left at another metric
  };
  // What a wanted route becomes, minus its destination. It depends on the prefix only through
  // its pool and family, so routes sharing (pool, family, own block, next hops) share one
  // decision per round: no shape, reason text or device lookup per prefix.
  struct ShapeKey {
    const IpPool* pool = nullptr;
    bgp::Afi afi{};
    bool local = false;
    HopsId next_hops = 0;
    bool operator==(const ShapeKey&) const = default;
  };
  struct ShapeKeyHash {
    size_t operator()(const ShapeKey& k) const noexcept {
      return std::hash<const void*>()(k.pool) ^ (static_cast<size_t>(k.afi) << 1) ^ k.local ^
             (static_cast<size_t>(k.next_hops) << 3);
    }
  };
  struct Decided {
    bool none = false;    // shape none: not ours to install
    bool direct = false;  // some hop resolved through the kernel's routes
    std::string parked;   // non-empty: cannot be installed now
    FwdId fwd = 0;        // what to install; holds a reference while decided_ keeps it
  };
  const Decided& decide(const Prefix& p, const Entry& e);
  void forget_decisions();
  // The route as the RIB asked for it, rebuilt from the ids (for shapes and views).
  WantedRoute wanted_route(const Prefix& p, const Entry& e) const;
  // Both take over the caller's reference (id 0: nothing) and keep the counts.
  void set_wanted(Entry& e, HopsId next_hops, bool local);
  void set_installed(Entry& e, FwdId fwd);
  void adopt(const Prefix& p, KernelRoute&& route);  // found in the kernel
  void clear_installed();
  // Entries that hold nothing are erased at the end of a round, never while ops and fresh_
  // point into the table.
  void drop_later(const Prefix& p, const Entry& e);
  struct Failure {
    int attempts = 0;
    Clock::time_point next;
    std::string reason;
  };

  int load_kernel_routes();
  void on_monitor_message(const nlmsghdr* h);
  // Someone else deleted a route of ours: if it is the one we hold, write it again.
  void forget_if_installed(const KernelRoute& route);
  void evaluate(const Prefix& p, std::vector<Op>& ops);
  void evaluate(const Prefix& p, Entry* e, std::vector<Op>& ops);
  // Writing is pipelined with deciding: once the ops decided so far fill a batch, the batch is
  // encoded and handed to the sender thread, and the next one is decided while the kernel
  // applies it. Results are taken in order, at most two batches behind.
  // Ops are written in segments (see kOpsSegment) and point into routes_.
  void pump(std::vector<Op>& ops);           // after ops grew
  void chunk(std::vector<Op>& ops);          // batches the ops not yet in one
  void finish_writes(std::vector<Op>& ops);  // the rest, and every result
  void submit_chunk(std::vector<Op>& ops, size_t begin, size_t end);
  void finish_oldest(std::vector<Op>& ops);
  void apply_results(std::vector<Op>& ops, size_t begin, size_t end, uint32_t first_seq,
                     const nl::BatchSender::Batch& batch);
  void publish();
  // nullopt when neither wanted nor ours in the kernel.
  std::optional<FibRouteView> describe(const Prefix& p) const;
  std::string kernel_text(const KernelForwarding& fwd) const;
  nl::RouteTag tag_for(std::optional<uint32_t> metric = std::nullopt) const;
  uint32_t our_metric(bgp::Afi afi) const { return nl::effective_metric(afi, opts_.metric); }

  WriterOptions opts_;
  std::unique_ptr<nl::Socket> req_;
  std::unique_ptr<nl::Socket> monitor_;
  nl::NetlinkHost host_;
  EncapConfig config_;

  Interner<std::vector<IpAddr>, IpAddrListHash> hop_lists_;
  Interner<KernelForwarding, KernelForwardingHash> forwardings_;
  std::unordered_map<Prefix, Entry, PrefixHash> routes_;
  size_t wanted_count_ = 0, installed_count_ = 0;
  std::vector<Prefix> emptied_;
  std::unordered_set<Prefix, PrefixHash> stale_;
  std::vector<std::pair<Prefix, uint32_t>> odd_metric_;  // ours, at a metric we no longer use
  std::unordered_map<Prefix, std::string, PrefixHash> parked_;
  std::unordered_map<Prefix, uint8_t, PrefixHash> conflicts_;  // prefix -> foreign protocol
  std::unordered_map<Prefix, Failure, PrefixHash> failed_;
  std::unordered_set<Prefix, PrefixHash> none_;  // wanted, but shape none
  std::unordered_set<Prefix, PrefixHash> dirty_;
  // Prefixes of the last work taken from the queue with their entry (nullptr: none), unique
  // by construction (the queue coalesces per prefix): evaluated without going through dirty_
  // or looking them up again.
  std::vector<std::pair<Prefix, Entry*>> fresh_;
  std::unordered_map<ShapeKey, Decided, ShapeKeyHash> decided_;  // cleared every round
  const ShapeKey* last_key_ = nullptr;
  const Decided* last_decided_ = nullptr;
  bool writing_ = false;
  std::vector<KernelRoute> deleted_while_writing_;
  bool all_dirty_ = false;
  bool reconcile_ = false;
  bool links_changed_ = false;
  bool reachability_changed_ = false;
  bool sync_done_ = false;
  bool swept_ = false;
  Clock::time_point stale_deadline_;

  uint64_t written_ = 0, deleted_ = 0, errors_ = 0, batches_ = 0;
  std::string last_error_;
  std::unique_ptr<nl::BatchSender> sender_;
  struct InFlight {
    size_t begin = 0, end = 0;  // ops[begin, end)
    uint32_t first_seq = 0;
    std::unique_ptr<nl::BatchSender::Batch> batch;
  };
  std::deque<InFlight> inflight_;
  std::vector<std::unique_ptr<nl::BatchSender::Batch>> spare_batches_;
  size_t chunk_begin_ = 0;  // first op not yet in a batch
  size_t scanned_ = 0;      // ops counted into chunk_bytes_
  size_t chunk_bytes_ = 0;

  mutable std::mutex status_mu_;
  std::shared_ptr<const FibStatus> status_ = std::make_shared<FibStatus>();
};

}  // namespace tern::fib
