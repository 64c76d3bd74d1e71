#include "api/api_server.hpp"

#include <grpcpp/grpcpp.h>
#include <grpcpp/security/server_credentials.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "api/auth.hpp"
#include "api/grpc_service.hpp"
#include "api/rest_server.hpp"
#include "api/unix_socket.hpp"

namespace tern::api {

struct ApiServer::Impl {
  explicit Impl(Backend& b) : backend(b) {}

  Backend& backend;
  std::unique_ptr<GrpcService> service;
  std::unique_ptr<grpc::Server> grpc_server;
  std::unique_ptr<RestServer> rest;
  int grpc_port = 0;
};

ApiServer::ApiServer(Backend& backend) : impl_(std::make_unique<Impl>(backend)) {}

ApiServer::~ApiServer() {
  stop();
}

namespace {

// A TCP listen address that is not loopback needs a token; the error text otherwise.
std::optional<std::string> check_exposure(const std::string& what, const std::string& listen,
                                          bool have_token) {
  if (listen.empty()) return std::nullopt;
  std::string error;
  auto where = parse_host_port(listen, &error);
  if (!where) return what + ": " + error;
  if (!is_loopback_host(where->host) && !have_token) {
    return what + " " + listen +
           " is not a loopback address: refusing to serve it without a bearer token file";
  }
  return std::nullopt;
}

}  // namespace

std::string ApiServer::start(const ApiServerOptions& options) {
  stop();
  auto& impl = *impl_;
  std::optional<std::string> token;
  if (!options.token_file.empty()) {
    std::string error;
    token = read_token_file(options.token_file, &error);
    if (!token) return error;
  }
  if (auto err = check_exposure("REST listen address", options.rest_listen, token.has_value())) {
    return *err;
  }
  if (auto err = check_exposure("gRPC listen address", options.grpc_listen, token.has_value())) {
    return *err;
  }

  if (!options.unix_socket.empty() || !options.grpc_listen.empty()) {
    if (!options.unix_socket.empty()) {
      if (auto err = prepare_unix_socket(options.unix_socket)) return *err;
    }
    impl.service = std::make_unique<GrpcService>(
        impl.backend, GrpcServiceOptions{token, options.max_watch_streams, options.watch_queue});
    grpc::ServerBuilder builder;
    if (!options.unix_socket.empty()) {
      builder.AddListeningPort("unix:" + options.unix_socket, grpc::InsecureServerCredentials());
    }
    if (!options.grpc_listen.empty()) {
      builder.AddListeningPort(options.grpc_listen, grpc::InsecureServerCredentials(),
                               &impl.grpc_port);
    }
    builder.SetMaxReceiveMessageSize(static_cast<int>(options.body_limit));
    grpc::ResourceQuota quota("tern-api");
    // A Watch holds a sync-server thread for its whole life; leave room for the other rpcs.
    quota.SetMaxThreads(options.grpc_max_threads + static_cast<int>(options.max_watch_streams));
    builder.SetResourceQuota(quota);
    builder.RegisterService(impl.service.get());
    impl.grpc_server = builder.BuildAndStart();
    if (!impl.grpc_server) {
      impl.service.reset();
      return "gRPC could not listen on " +
             (options.unix_socket.empty() ? std::string() : "unix:" + options.unix_socket + " ") +
             options.grpc_listen;
    }
    if (!options.unix_socket.empty()) {
      if (auto err = restrict_unix_socket(options.unix_socket)) {
        stop();
        return *err;
      }
    }
  }

  if (!options.rest_listen.empty()) {
    RestServerOptions rest;
    rest.listen = options.rest_listen;
    rest.token = token;
    rest.body_limit = options.body_limit;
    rest.header_limit = options.header_limit;
    rest.max_connections = options.max_connections;
    rest.max_watch_streams = options.max_watch_streams;
    rest.rate = options.rest_rate;
    rest.burst = options.rest_burst;
    rest.watch_queue = options.watch_queue;
    rest.threads = options.rest_threads;
    rest.idle_timeout = options.idle_timeout;
    impl.rest = std::make_unique<RestServer>(impl.backend, rest);
    if (auto err = impl.rest->start()) {
      stop();
      return *err;
    }
  }
  spdlog::info("api: started (unix {}, REST {}, gRPC {})", options.unix_socket, options.rest_listen,
               options.grpc_listen);
  return {};
}

void ApiServer::stop() {
  auto& impl = *impl_;
  if (impl.rest) {
    impl.rest->stop();
    impl.rest.reset();
  }
  if (impl.grpc_server) {
    impl.service->shutdown();
    impl.grpc_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    impl.grpc_server->Wait();
    impl.grpc_server.reset();
  }
  impl.service.reset();
  impl.grpc_port = 0;
}

uint16_t ApiServer::rest_port() const {
  return impl_->rest ? impl_->rest->port() : 0;
}
uint16_t ApiServer::grpc_port() const {
  return static_cast<uint16_t>(impl_->grpc_port);
}

}  // namespace tern::api
