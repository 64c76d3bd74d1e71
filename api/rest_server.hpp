#pragma once
// The REST gateway: Boost.Beast HTTP/1.1 on its own io_context and threads, in front of the
// RestRouter. It owns the transport's safety: bearer tokens, Content-Type, header and body
// limits (413 from Content-Length alone, before the body is read), a cap on connections and on
// watch streams (Server-Sent Events), idle timeouts, and a request rate per client.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/backend.hpp"

namespace tern::api {

struct RestServerOptions {
  std::string listen = "127.0.0.1:9179";
  std::optional<std::string> token;  // when set, every path but /healthz and /readyz needs it
  size_t body_limit = 1 << 20;
  size_t header_limit = 16 << 10;
  size_t max_connections = 64;
  size_t max_watch_streams = 16;
  size_t watch_queue = 1024;
  int threads = 2;
  std::chrono::seconds idle_timeout{30};
  double rate = 100;  // requests per second per client address (0: no limit)
  double burst = 200;
};

class RestServer {
 public:
  RestServer(Backend& backend, RestServerOptions options);
  ~RestServer();
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  // Binds and starts the threads; the error text when it cannot.
  std::optional<std::string> start();
  // Closes every connection and stream, joins the threads. Idempotent.
  void stop();
  // The bound port (useful with port 0).
  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::api
