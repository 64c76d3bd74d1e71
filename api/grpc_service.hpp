#pragma once
// The gRPC face of the API: each rpc calls the Backend; a refused request becomes a gRPC status
// whose message is "FIELD: reason" and whose trailing metadata "tern-field" names the field.

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <optional>
#include <string>

#include "api/backend.hpp"
#include "api/event_queue.hpp"
#include "api/tern.grpc.pb.h"

namespace tern::api {

struct GrpcServiceOptions {
  std::optional<std::string> token;  // when set, every rpc but Health needs it
  size_t max_watch_streams = 16;
  size_t watch_queue = 1024;  // events buffered per stream before it is ended
};

grpc::StatusCode grpc_code_for(int http_status);

// The status for `error`; also puts the field into the call's trailing metadata.
grpc::Status to_grpc_status(const Error& error, grpc::ServerContext* context);

class GrpcService final : public Tern::Service {
 public:
  GrpcService(Backend& backend, GrpcServiceOptions options);

  // Ends open Watch streams (before grpc::Server::Shutdown, which waits for them).
  void shutdown() { stopping_ = true; }

  grpc::Status Create(grpc::ServerContext*, const CreateRequest*, ChangeResponse*) override;
  grpc::Status Replace(grpc::ServerContext*, const ReplaceRequest*, ChangeResponse*) override;
  grpc::Status Apply(grpc::ServerContext*, const ApplyRequest*, ChangeResponse*) override;
  grpc::Status Delete(grpc::ServerContext*, const DeleteRequest*, ChangeResponse*) override;
  grpc::Status Get(grpc::ServerContext*, const GetRequest*, Object*) override;
  grpc::Status List(grpc::ServerContext*, const ListRequest*, ListResponse*) override;
  grpc::Status Status(grpc::ServerContext*, const StatusRequest*, StatusResponse*) override;
  grpc::Status Routes(grpc::ServerContext*, const RoutesRequest*, RoutesResponse*) override;
  grpc::Status Fib(grpc::ServerContext*, const FibRequest*, FibResponse*) override;
  grpc::Status Explain(grpc::ServerContext*, const ExplainRequest*, ExplainResponse*) override;
  grpc::Status Watch(grpc::ServerContext*, const WatchRequest*,
                     grpc::ServerWriter<Event>*) override;
  grpc::Status Health(grpc::ServerContext*, const HealthRequest*, HealthResponse*) override;
  grpc::Status Stop(grpc::ServerContext*, const StopRequest*, StopResponse*) override;

 private:
  std::optional<grpc::Status> check_auth(grpc::ServerContext* context) const;

  Backend& backend_;
  GrpcServiceOptions options_;
  Slots watch_slots_;
  std::atomic<bool> stopping_{false};
};

}  // namespace tern::api
