#include "ctl/grpc_client.hpp"

#include <grpcpp/grpcpp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "api/tern.grpc.pb.h"

namespace tern::ctl {
namespace {

// Why nothing answered on a unix socket, in the terms an operator can act on.
std::string socket_problem(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "no socket at " + path;
  if (!S_ISSOCK(st.st_mode)) return path + " is not a socket";
  if (::access(path.c_str(), R_OK | W_OK) != 0) return "permission denied on " + path;
  return "nothing accepted the connection";
}

class GrpcClient : public Client {
 public:
  explicit GrpcClient(const Endpoint& endpoint) : endpoint_(endpoint) {
    grpc::ChannelArguments args;
    // Responses (a full routes table) can exceed gRPC's 4 MiB default.
    args.SetMaxReceiveMessageSize(256 << 20);
    channel_ = grpc::CreateCustomChannel(endpoint.target, grpc::InsecureChannelCredentials(), args);
    stub_ = api::Tern::NewStub(channel_);
  }

  Call<api::StatusResponse> status() override {
    return unary<api::StatusResponse>(
        [&](auto* ctx, auto* out) { return stub_->Status(ctx, api::StatusRequest(), out); });
  }
  Call<api::RoutesResponse> routes(const api::RoutesRequest& request) override {
    return unary<api::RoutesResponse>(
        [&](auto* ctx, auto* out) { return stub_->Routes(ctx, request, out); });
  }
  Call<api::FibResponse> fib(const api::FibRequest& request) override {
    return unary<api::FibResponse>(
        [&](auto* ctx, auto* out) { return stub_->Fib(ctx, request, out); });
  }
  Call<api::ExplainResponse> explain(const api::ExplainRequest& request) override {
    return unary<api::ExplainResponse>(
        [&](auto* ctx, auto* out) { return stub_->Explain(ctx, request, out); });
  }
  Call<api::Object> get(const api::ObjectRef& ref) override {
    api::GetRequest request;
    *request.mutable_ref() = ref;
    return unary<api::Object>([&](auto* ctx, auto* out) { return stub_->Get(ctx, request, out); });
  }
  Call<api::ListResponse> list(const std::string& kind) override {
    api::ListRequest request;
    request.set_kind(kind);
    return unary<api::ListResponse>(
        [&](auto* ctx, auto* out) { return stub_->List(ctx, request, out); });
  }
  Call<api::ChangeResponse> apply(const api::ApplyRequest& request) override {
    return unary<api::ChangeResponse>(
        [&](auto* ctx, auto* out) { return stub_->Apply(ctx, request, out); });
  }
  Call<api::ChangeResponse> remove(const api::DeleteRequest& request) override {
    return unary<api::ChangeResponse>(
        [&](auto* ctx, auto* out) { return stub_->Delete(ctx, request, out); });
  }
  Call<api::HealthResponse> health() override {
    return unary<api::HealthResponse>(
        [&](auto* ctx, auto* out) { return stub_->Health(ctx, api::HealthRequest(), out); });
  }
  Call<api::StopResponse> stop(bool hard) override {
    api::StopRequest request;
    request.set_hard(hard);
    return unary<api::StopResponse>(
        [&](auto* ctx, auto* out) { return stub_->Stop(ctx, request, out); });
  }

  std::optional<CallError> watch(const api::WatchRequest& request,
                                 const std::function<bool(const api::Event&)>& sink) override {
    grpc::ClientContext ctx;
    prepare(ctx);
    auto reader = stub_->Watch(&ctx, request);
    api::Event event;
    while (reader->Read(&event)) {
      if (!sink(event)) {
        ctx.TryCancel();
        break;
      }
    }
    const grpc::Status status = reader->Finish();
    if (status.ok() || status.error_code() == grpc::StatusCode::CANCELLED) return std::nullopt;
    return error_from(status, ctx);
  }

 private:
  template <typename Response, typename Rpc>
  Call<Response> unary(Rpc rpc) {
    grpc::ClientContext ctx;
    prepare(ctx);
    Response response;
    const grpc::Status status = rpc(&ctx, &response);
    if (status.ok()) return response;
    return error_from(status, ctx);
  }

  void prepare(grpc::ClientContext& ctx) const {
    if (endpoint_.timeout_s > 0) {
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(endpoint_.timeout_s * 1000)));
    }
    if (!endpoint_.token.empty()) ctx.AddMetadata("authorization", "Bearer " + endpoint_.token);
  }

  CallError error_from(const grpc::Status& status, const grpc::ClientContext& ctx) {
    CallError error;
    error.code = status.error_code();
    error.message = status.error_message();
    // ternd answers 503 (not ready) as UNAVAILABLE too: only a channel that never got through
    // means ternd is not there.
    const bool no_channel = channel_->GetState(false) != GRPC_CHANNEL_READY;
    if (no_channel && (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                       status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)) {
      error.unreachable = true;
      error.message = endpoint_.unix_socket
                          ? socket_problem(endpoint_.target.substr(std::string("unix:").size()))
                          : status.error_message();
      return error;
    }
    const auto& trailers = ctx.GetServerTrailingMetadata();
    if (const auto it = trailers.find("tern-field"); it != trailers.end()) {
      error.field.assign(it->second.data(), it->second.size());
      // The message repeats the field for clients that ignore the metadata.
      const std::string prefix = error.field + ": ";
      if (error.message.rfind(prefix, 0) == 0) error.message.erase(0, prefix.size());
    }
    return error;
  }

  Endpoint endpoint_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<api::Tern::Stub> stub_;
};

}  // namespace

std::unique_ptr<Client> make_grpc_client(const Endpoint& endpoint) {
  return std::make_unique<GrpcClient>(endpoint);
}

}  // namespace tern::ctl
