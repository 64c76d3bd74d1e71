#pragma once
// What the API serves, independent of transport: the gRPC service and the REST gateway both
// call one Backend, so the two can never drift apart. ternd implements it (its handlers hop
// onto the main loop and read published snapshots); tests use a fake.

#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "api/tern.pb.h"

namespace tern::api {

// A refused request: the HTTP status (400 bad input, 401, 404, 409 exists, 413 too large,
// 422 invalid intent, 503 not ready...), the field path it is about and why. gRPC maps the
// status to its code (400/422 INVALID_ARGUMENT, 404 NOT_FOUND, 409 ALREADY_EXISTS, ...).
struct Error {
  int status = 400;
  std::string field;  // e.g. "spec.cidr", "metadata.name"; empty when about the whole request
  std::string message;
};

template <typename T>
using Result = std::variant<T, Error>;

// A live watch; destroying it ends the stream.
class Subscription {
 public:
  virtual ~Subscription() = default;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Called from API threads; implementations do their own synchronisation.
  virtual Result<ChangeResponse> create(const Object& object, bool dry_run) = 0;
  virtual Result<ChangeResponse> replace(const Object& object, bool dry_run) = 0;
  virtual Result<ChangeResponse> apply(const Intent& objects, bool dry_run) = 0;
  virtual Result<ChangeResponse> remove(const ObjectRef& ref, bool dry_run) = 0;
  virtual Result<Object> get(const ObjectRef& ref) = 0;
  virtual Result<ListResponse> list(const std::string& kind) = 0;
  virtual StatusResponse status() = 0;
  virtual Result<RoutesResponse> routes(const RoutesRequest& request) = 0;
  virtual Result<FibResponse> fib(const FibRequest& request) = 0;
  virtual Result<ExplainResponse> explain(const ExplainRequest& request) = 0;
  virtual HealthResponse health() = 0;
  // `sink` is called from any thread until it returns false or the subscription is dropped.
  virtual std::unique_ptr<Subscription> watch(const WatchRequest& request,
                                              std::function<bool(const Event&)> sink) = 0;
  virtual void stop(bool hard) = 0;
};

}  // namespace tern::api
