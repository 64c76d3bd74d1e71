#include "fib/route_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
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

std::optional<WantedRoute> QueuedWork::state(const QueuedRoute& r) const {
  if (!r.wanted) return std::nullopt;
  return WantedRoute{r.prefix, hop_lists.at(r.next_hops), r.local_block};
}

namespace {
// Fibonacci hashing: the top bits of the product depend on every bit of the hash, which the
// low bits of FNV do not (prefixes that differ in high bits of a byte would share a slot).
size_t slot_of(const Prefix& p, int bits) {
  return static_cast<size_t>((PrefixHash()(p) * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}
}  // namespace

uint32_t& RouteQueue::slot_locked(const Prefix& prefix) {
  int bits = std::countr_zero(index_.size());
  if ((pending_.routes.size() + 1) * 2 > index_.size()) {
    bits = index_.empty() ? 10 : bits + 1;
    std::vector<uint32_t> bigger(size_t{1} << bits, 0);
    const size_t mask = bigger.size() - 1;
    for (uint32_t i = 0; i < pending_.routes.size(); ++i) {
      size_t at = slot_of(pending_.routes[i].prefix, bits);
      while (bigger[at] != 0)
        at = (at + 1) & mask;
      bigger[at] = i + 1;
    }
    index_.swap(bigger);
  }
  const size_t mask = index_.size() - 1;
  for (size_t at = slot_of(prefix, bits);; at = (at + 1) & mask) {
    uint32_t& slot = index_[at];
    if (slot == 0 || pending_.routes[slot - 1].prefix == prefix) return slot;
  }
}

uint32_t RouteQueue::hop_list_locked(const std::vector<IpAddr>& hops) {
  // Routes arrive in runs sharing one list; the map is for the rest.
  if (last_list_ < pending_.hop_lists.size() && pending_.hop_lists[last_list_] == hops)
    return last_list_;
  auto [it, inserted] = lists_.try_emplace(hops, static_cast<uint32_t>(pending_.hop_lists.size()));
  if (inserted) pending_.hop_lists.push_back(hops);
  return last_list_ = it->second;
}

QueuedRoute& RouteQueue::entry_locked(const Prefix& prefix) {
  uint32_t& slot = slot_locked(prefix);
  if (slot == 0) {
    pending_.routes.push_back(QueuedRoute{prefix});
    slot = static_cast<uint32_t>(pending_.routes.size());
  } else {
    ++coalesced_;
  }
  return pending_.routes[slot - 1];
}

void RouteQueue::update(WantedRoute route) {
  std::lock_guard lock(mu_);
  const uint32_t list = hop_list_locked(route.next_hops);
  QueuedRoute& e = entry_locked(route.prefix);
  e.wanted = true;
  e.local_block = route.local_block;
  e.next_hops = list;
  signal_locked();
}

void RouteQueue::withdraw(const Prefix& prefix) {
  std::lock_guard lock(mu_);
  QueuedRoute& e = entry_locked(prefix);
  e.wanted = false;
  e.local_block = false;
  e.next_hops = 0;
  signal_locked();
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
  // A table's worth of index is given back; a small one is kept for the next work.
  if (index_.size() > 4096) {
    index_ = {};
  } else {
    std::fill(index_.begin(), index_.end(), 0);
  }
  lists_.clear();
  last_list_ = UINT32_MAX;
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
