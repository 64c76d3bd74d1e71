#include "fib/netlink/sender.hpp"

#include <pthread.h>

namespace tern::fib::nl {

BatchSender::BatchSender(std::unique_ptr<Socket> socket) : sock_(std::move(socket)) {
  thread_ = std::thread([this] { run(); });
}

BatchSender::~BatchSender() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void BatchSender::submit(Batch* batch) {
  batch->done = false;
  batch->err = 0;
  batch->errors.clear();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(batch);
  }
  cv_.notify_all();
}

void BatchSender::wait(Batch* batch) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [batch] { return batch->done; });
}

void BatchSender::run() {
  pthread_setname_np(pthread_self(), "fib-sender");
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    Batch* b = queue_.front();
    queue_.pop_front();
    lock.unlock();
    std::vector<RequestError> errors;
    const int err = sock_->send_batch(b->buf, b->last_seq, errors);
    lock.lock();
    b->err = err;
    b->errors = std::move(errors);
    b->done = true;
    cv_.notify_all();
  }
}

}  // namespace tern::fib::nl
