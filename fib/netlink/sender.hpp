#pragma once
// A thread that hands batches to the kernel, so the writer's thread can decide and encode the
// next batch while the kernel applies this one (sendmsg on NETLINK_ROUTE does the whole
// batch's work inside the call). Batches go out in submission order on a socket of their own.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "fib/netlink/socket.hpp"

namespace tern::fib::nl {

class BatchSender {
 public:
  struct Batch {
    std::vector<uint8_t> buf;  // complete requests; only the last asks for an ack
    uint32_t last_seq = 0;
    // Filled in by the sender: Socket::send_batch's result and the failed requests.
    int err = 0;
    std::vector<RequestError> errors;
    bool done = false;
  };

  explicit BatchSender(std::unique_ptr<Socket> socket);
  ~BatchSender();
  BatchSender(const BatchSender&) = delete;
  BatchSender& operator=(const BatchSender&) = delete;

  Socket& socket() { return *sock_; }
  // The batch must stay alive and untouched until wait() for it returned.
  void submit(Batch* batch);
  void wait(Batch* batch);

 private:
  void run();

  std::unique_ptr<Socket> sock_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Batch*> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tern::fib::nl
