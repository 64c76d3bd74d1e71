#pragma once
// The REST gateway's routes, without sockets: a request (method, target, body) in, a response
// out, every operation mapped onto the same Backend call gRPC makes. Watch is answered by the
// server as Server-Sent Events, so routing only hands back its WatchRequest.

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "api/backend.hpp"

namespace tern::api {

struct RestRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::string body;
};

struct RestResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

RestResponse error_response(const Error& error);

// Paths that answer without a token (probes).
bool is_public_path(std::string_view target);

class RestRouter {
 public:
  explicit RestRouter(Backend& backend) : backend_(backend) {}

  std::variant<RestResponse, WatchRequest> handle(const RestRequest& request);

 private:
  Backend& backend_;
};

}  // namespace tern::api
