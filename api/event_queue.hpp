#pragma once
// A watch stream's events between the Backend's thread and the transport's: bounded, so a
// client that stops reading cannot grow memory; past the bound the stream ends (the client
// re-watches) rather than silently dropping events.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "api/tern.pb.h"

namespace tern::api {

class EventQueue {
 public:
  explicit EventQueue(size_t capacity) : capacity_(capacity) {}

  // From the Backend's sink: false once the stream is closed, so the Backend can let go.
  bool push(const Event& event) {
    bool accepted = false;
    {
      std::lock_guard lock(mutex_);
      if (closed_) return false;
      if (events_.size() >= capacity_) {
        overflowed_ = true;
        closed_ = true;
      } else {
        events_.push_back(event);
        accepted = true;
      }
      // Under the lock so close() guarantees no notify runs after it returns.
      if (notify_) notify_();
    }
    cv_.notify_all();
    return accepted;
  }

  // Called under the queue's lock after every push (it must not block or re-enter the queue);
  // the REST stream posts a flush with it.
  void set_notify(std::function<void()> notify) {
    std::lock_guard lock(mutex_);
    notify_ = std::move(notify);
  }

  // Waits up to `timeout` for events; returns what is queued (maybe nothing).
  std::vector<Event> wait_and_take(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return !events_.empty() || closed_; });
    return take_locked();
  }

  std::vector<Event> take() {
    std::lock_guard lock(mutex_);
    return take_locked();
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      notify_ = nullptr;
    }
    cv_.notify_all();
  }

  bool overflowed() const {
    std::lock_guard lock(mutex_);
    return overflowed_;
  }

 private:
  std::vector<Event> take_locked() {
    std::vector<Event> out(std::make_move_iterator(events_.begin()),
                           std::make_move_iterator(events_.end()));
    events_.clear();
    return out;
  }

  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Event> events_;
  std::function<void()> notify_;
  bool closed_ = false;
  bool overflowed_ = false;
};

// At most `limit` concurrent holders (watch streams, connections).
class Slots {
 public:
  explicit Slots(size_t limit) : limit_(limit) {}
  bool try_acquire() {
    size_t now = used_.load();
    while (now < limit_) {
      if (used_.compare_exchange_weak(now, now + 1)) return true;
    }
    return false;
  }
  void release() { used_.fetch_sub(1); }
  size_t used() const { return used_.load(); }

 private:
  const size_t limit_;
  std::atomic<size_t> used_{0};
};

}  // namespace tern::api
