#include "fib/workload_monitor.hpp"

#include <linux/rtnetlink.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "fib/netlink/route_msg.hpp"

namespace tern::fib {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRetry = std::chrono::seconds(1);

}  // namespace

std::unique_ptr<WorkloadMonitor> WorkloadMonitor::open(WorkloadMonitorOptions options,
                                                       std::string* error) {
  // Subscribed before the dump: a change made during it may or may not be in it, but it is
  // queued either way, and applying the queue afterwards, in order, ends at the kernel's state.
  auto mon = nl::Socket::open({RTNLGRP_LINK, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE},
                              options.rcvbuf_bytes, error);
  if (!mon) return nullptr;
  // The FIB writer beside us writes many routes of ours; their echoes are dropped in the
  // kernel. (It never replaces another program's route, so no learned route hides there.)
  if (int err = mon->drop_own_route_echoes(options.learn.our_protocol, options.learn.table);
      err != 0)
    spdlog::warn("learn: no socket filter for our own route echoes ({})", std::strerror(err));
  auto req = nl::Socket::open({}, 1 << 20, error);
  if (!req) return nullptr;
  auto m = std::make_unique<WorkloadMonitor>(std::move(options), std::move(mon), std::move(req));
  if (int err = m->dump(); err != 0) {
    *error = std::string("dump: ") + std::strerror(err);
    return nullptr;
  }
  return m;
}

WorkloadMonitor::WorkloadMonitor(WorkloadMonitorOptions options,
                                 std::unique_ptr<nl::Socket> monitor,
                                 std::unique_ptr<nl::Socket> requests)
    : opts_(std::move(options)),
      monitor_(std::move(monitor)),
      requests_(std::move(requests)),
      table_(opts_.learn) {}

int WorkloadMonitor::dump() {
  table_.clear_kernel_state();
  ++dumps_;
  const auto apply = [this](const nlmsghdr* h) { table_.apply(h); };
  uint32_t seq = requests_->next_seq();
  int err = requests_->dump(nl::link_dump_request(seq), seq, apply);
  for (uint8_t family : {uint8_t{AF_INET}, uint8_t{AF_INET6}}) {
    if (err != 0) break;
    seq = requests_->next_seq();
    err = requests_->dump(nl::dump_request(seq, family, opts_.learn.table), seq, apply);
    if (family == AF_INET6 && err == EAFNOSUPPORT) err = 0;  // a kernel without IPv6
  }
  dump_due_ = err != 0;
  next_dump_ = Clock::now() + (err != 0 ? std::chrono::milliseconds(kRetry) : opts_.rescan);
  return err;
}

void WorkloadMonitor::drain() {
  // An overrun is reported once, where the loss happened; what was queued after it is intact
  // and read on, so the dump that follows is the newest word on everything lost.
  for (int i = 0; i < 16; ++i) {
    const int err = monitor_->drain([this](const nlmsghdr* h) { table_.apply(h); });
    if (err == 0) return;
    if (err != ENOBUFS) {
      last_error_ = std::string("monitor: ") + std::strerror(err);
      return;
    }
    ++overruns_;
    dump_due_ = true;
  }
}

int WorkloadMonitor::timeout_ms() const {
  if (!dump_due_ && opts_.rescan.count() == 0) return -1;
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(next_dump_ - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

LearnedChanges WorkloadMonitor::read() {
  drain();
  const bool rescan = opts_.rescan.count() > 0 && Clock::now() >= next_dump_;
  if (dump_due_ || rescan) {
    if (dump_due_) spdlog::warn("learn: notifications lost; dumping links and routes again");
    if (int err = dump(); err != 0) {
      last_error_ = std::string("dump: ") + std::strerror(err);
      return {};
    }
    // What changed while the dump ran is queued: apply it before answering.
    drain();
    if (dump_due_) return {};
  }
  return table_.take_changes();
}

void WorkloadMonitor::run(int stop_fd,
                          const std::function<void(const LearnedChanges&)>& on_change) {
  for (;;) {
    auto changes = read();
    if (!changes.empty()) on_change(changes);
    pollfd fds[2] = {{fd(), POLLIN, 0}, {stop_fd, POLLIN, 0}};
    const int n = poll(fds, 2, timeout_ms());
    if (n < 0 && errno != EINTR) {
      last_error_ = std::string("poll: ") + std::strerror(errno);
      return;
    }
    if (n > 0 && fds[1].revents) return;
  }
}

}  // namespace tern::fib
