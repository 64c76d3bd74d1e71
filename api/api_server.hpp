#pragma once
// tern's API as one object: gRPC on the unix socket (and optionally TCP) plus the REST gateway,
// all over one Backend, each on threads of its own. Exposure is opt-in: a listen address off
// loopback is refused unless a bearer token file is configured.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/backend.hpp"

namespace tern::api {

struct ApiServerOptions {
  std::string unix_socket = "/run/tern/tern.sock";  // gRPC; "" disables
  std::string rest_listen = "127.0.0.1:9179";       // "" disables
  std::string grpc_listen;                          // gRPC over TCP, e.g. "127.0.0.1:9178"
  std::string token_file;  // when set, its token is required on every transport
  size_t body_limit = 1 << 20;
  size_t header_limit = 16 << 10;
  size_t max_connections = 64;
  size_t max_watch_streams = 16;
  size_t watch_queue = 1024;
  int rest_threads = 2;
  int grpc_max_threads = 8;  // for unary rpcs; each watch stream gets a thread on top
  std::chrono::seconds idle_timeout{30};
  // REST requests per second per client address, after a burst (0: no limit); the probes
  // (/healthz, /readyz) are never limited.
  double rest_rate = 100;
  double rest_burst = 200;
};

class ApiServer {
 public:
  explicit ApiServer(Backend& backend);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Starts every configured listener; "" on success, else why not (nothing is left running).
  std::string start(const ApiServerOptions& options);
  // Stops both servers and joins their threads (open watch streams end). Idempotent.
  void stop();

  uint16_t rest_port() const;  // the bound ports, for options that asked for port 0
  uint16_t grpc_port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::api
