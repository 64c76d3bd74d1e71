#pragma once
// The API as ternctl calls it. The gRPC client implements it; tests use fakes, so every command
// (and "apply -f with a bad manifest never connects") is testable without a server.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "api/tern.pb.h"

namespace tern::ctl {

struct CallError {
  bool unreachable = false;  // no connection to the server at all
  int code = 0;              // the gRPC status code
  std::string field;         // from the `tern-field` trailing metadata, when the server names one
  std::string message;
};

template <typename T>
using Call = std::variant<T, CallError>;

class Client {
 public:
  virtual ~Client() = default;
  virtual Call<api::StatusResponse> status() = 0;
  virtual Call<api::RoutesResponse> routes(const api::RoutesRequest& request) = 0;
  virtual Call<api::FibResponse> fib(const api::FibRequest& request) = 0;
  virtual Call<api::ExplainResponse> explain(const api::ExplainRequest& request) = 0;
  virtual Call<api::Object> get(const api::ObjectRef& ref) = 0;
  virtual Call<api::ListResponse> list(const std::string& kind) = 0;
  virtual Call<api::ChangeResponse> apply(const api::ApplyRequest& request) = 0;
  virtual Call<api::ChangeResponse> remove(const api::DeleteRequest& request) = 0;
  virtual Call<api::HealthResponse> health() = 0;
  virtual Call<api::StopResponse> stop(bool hard) = 0;
  // Feeds `sink` until it returns false or the stream ends; the error that ended it, if any.
  virtual std::optional<CallError> watch(const api::WatchRequest& request,
                                         const std::function<bool(const api::Event&)>& sink) = 0;
};

// Where and how to reach ternd.
struct Endpoint {
  std::string target;       // gRPC target: "unix:/run/tern/tern.sock" or "host:port"
  std::string description;  // for messages: "socket /run/tern/tern.sock", "address host:port"
  bool unix_socket = true;
  std::string token;      // bearer token; empty: none
  double timeout_s = 10;  // per call; 0: none (watch)
};

// Makes a client for the endpoint; connecting happens on the first call.
using Connector = std::function<std::unique_ptr<Client>(const Endpoint&)>;

}  // namespace tern::ctl
