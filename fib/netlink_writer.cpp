#include "fib/netlink_writer.hpp"

#include <poll.h>
#include <pthread.h>

#include <cerrno>

#include "fib/fib_engine.hpp"

namespace tern::fib {

std::unique_ptr<NetlinkWriter> NetlinkWriter::start(WriterOptions options, std::string* error) {
  auto engine = FibEngine::open(std::move(options), error);
  if (!engine) return nullptr;
  return std::make_unique<NetlinkWriter>(std::move(engine));
}

NetlinkWriter::NetlinkWriter(std::unique_ptr<FibEngine> engine) : engine_(std::move(engine)) {
  thread_ = std::thread([this] { run(); });
}

NetlinkWriter::~NetlinkWriter() {
  queue_.stop();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const FibStatus> NetlinkWriter::status() const {
  return engine_->status();
}

void NetlinkWriter::run() {
  // Named, like the sender, so top -H and /proc tell the kernel-route threads from the loop.
  pthread_setname_np(pthread_self(), "fib-writer");
  for (;;) {
    pollfd fds[2] = {{queue_.wake_fd(), POLLIN, 0}, {engine_->monitor_fd(), POLLIN, 0}};
    const int n = poll(fds, 2, engine_->timeout_ms());
    if (n < 0 && errno != EINTR) break;
    if (fds[1].revents) engine_->read_monitor();
    QueuedWork work = queue_.take();
    engine_->apply(work);
    engine_->round();
    for (auto& f : work.flushes)
      f.set_value();
    for (auto& v : work.views)
      v.done.set_value(engine_->view(v.prefix, v.limit));
    if (work.stop) break;
  }
}

}  // namespace tern::fib
