#include "fib/route_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace tern::fib {

RouteQueue::RouteQueue() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

RouteQueue::~RouteQueue() {
  if (fd_ >= 0) close(fd_);
}

void RouteQueue::signal_locked() {
  if (signalled_) return;
  signalled_ = true;
  const uint64_t one = 1;
  [[maybe_unused]] auto n = write(fd_, &one, sizeof(one));
}

void RouteQueue::put(const Prefix& prefix, std::optional<WantedRoute> state) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = index_.try_emplace(prefix, pending_.routes.size());
  if (inserted) {
    pending_.routes.emplace_back(prefix, std::move(state));
  } else {
    pending_.routes[it->second].second = std::move(state);
    ++coalesced_;
  }
  signal_locked();
}

void RouteQueue::update(WantedRoute route) {
  const Prefix p = route.prefix;
  put(p, std::move(route));
}

void RouteQueue::withdraw(const Prefix& prefix) {
  put(prefix, std::nullopt);
}

void RouteQueue::set_config(EncapConfig config) {
  std::lock_guard lock(mu_);
  pending_.config = std::move(config);
  signal_locked();
}

void RouteQueue::initial_sync_done() {
  std::lock_guard lock(mu_);
  pending_.initial_sync_done = true;
  signal_locked();
}

void RouteQueue::reconcile() {
  std::lock_guard lock(mu_);
  pending_.reconcile = true;
  signal_locked();
}

void RouteQueue::stop() {
  std::lock_guard lock(mu_);
  pending_.stop = true;
  signal_locked();
}

std::future<void> RouteQueue::flush() {
  std::lock_guard lock(mu_);
  pending_.flushes.emplace_back();
  auto f = pending_.flushes.back().get_future();
  signal_locked();
  return f;
}

std::future<FibView> RouteQueue::view(std::optional<Prefix> prefix, size_t limit) {
  std::lock_guard lock(mu_);
  pending_.views.push_back(ViewRequest{prefix, limit, {}});
  auto f = pending_.views.back().done.get_future();
  signal_locked();
  return f;
}

QueuedWork RouteQueue::take() {
  std::lock_guard lock(mu_);
  QueuedWork out = std::move(pending_);
  pending_ = QueuedWork{};
  index_.clear();
  if (signalled_) {
    uint64_t v;
    [[maybe_unused]] auto n = read(fd_, &v, sizeof(v));
    signalled_ = false;
  }
  return out;
}

size_t RouteQueue::coalesced() const {
  std::lock_guard lock(mu_);
  return coalesced_;
}

}  // namespace tern::fib
