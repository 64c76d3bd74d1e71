#include "api/grpc_service.hpp"

#include "api/auth.hpp"
#include "api/kinds.hpp"

namespace tern::api {
namespace {

template <typename T, typename Out>
grpc::Status reply(grpc::ServerContext* context, Result<T> result, Out* out) {
  if (auto* error = std::get_if<Error>(&result)) return to_grpc_status(*error, context);
  *out = std::move(std::get<T>(result));
  return grpc::Status::OK;
}

// Both transports refuse an object of no kind the same way before the Backend sees it.
std::optional<Error> check_object(const Object& object) {
  if (kind_of(object) == nullptr) return Error{400, "object", "no object (or an unknown kind)"};
  return std::nullopt;
}

std::optional<Error> check_ref(const ObjectRef& ref, bool need_name) {
  const KindInfo* kind = find_kind(ref.kind());
  if (kind == nullptr) return Error{404, "kind", "unknown kind \"" + ref.kind() + "\""};
  if (need_name && ref.name().empty()) return Error{400, "name", "a name is required"};
  return std::nullopt;
}

// The Backend sees Calico's kind name whatever spelling the client used.
ObjectRef canonical(const ObjectRef& ref) {
  ObjectRef out = ref;
  out.set_kind(std::string(find_kind(ref.kind())->kind));
  return out;
}

}  // namespace

grpc::StatusCode grpc_code_for(int http_status) {
  switch (http_status) {
    case 400:
    case 422:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case 401:
      return grpc::StatusCode::UNAUTHENTICATED;
    case 403:
      return grpc::StatusCode::PERMISSION_DENIED;
    case 404:
      return grpc::StatusCode::NOT_FOUND;
    case 409:
      return grpc::StatusCode::ALREADY_EXISTS;
    case 413:
    case 429:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case 503:
      return grpc::StatusCode::UNAVAILABLE;
    default:
      return grpc::StatusCode::INTERNAL;
  }
}

grpc::Status to_grpc_status(const Error& error, grpc::ServerContext* context) {
  if (context != nullptr && !error.field.empty()) {
    context->AddTrailingMetadata("tern-field", error.field);
  }
  std::string message = error.field.empty() ? error.message : error.field + ": " + error.message;
  return grpc::Status(grpc_code_for(error.status), message);
}

GrpcService::GrpcService(Backend& backend, GrpcServiceOptions options)
    : backend_(backend), options_(std::move(options)), watch_slots_(options_.max_watch_streams) {}

std::optional<grpc::Status> GrpcService::check_auth(grpc::ServerContext* context) const {
  if (!options_.token) return std::nullopt;
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it != metadata.end() &&
      bearer_matches(std::string_view(it->second.data(), it->second.size()), *options_.token)) {
    return std::nullopt;
  }
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      "a bearer token is required (metadata \"authorization: Bearer ...\")");
}

grpc::Status GrpcService::Create(grpc::ServerContext* context, const CreateRequest* request,
                                 ChangeResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  if (auto err = check_object(request->object())) return to_grpc_status(*err, context);
  return reply(context, backend_.create(request->object(), request->dry_run()), response);
}

grpc::Status GrpcService::Replace(grpc::ServerContext* context, const ReplaceRequest* request,
                                  ChangeResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  if (auto err = check_object(request->object())) return to_grpc_status(*err, context);
  return reply(context, backend_.replace(request->object(), request->dry_run()), response);
}

grpc::Status GrpcService::Apply(grpc::ServerContext* context, const ApplyRequest* request,
                                ChangeResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  return reply(context, backend_.apply(request->objects(), request->dry_run()), response);
}

grpc::Status GrpcService::Delete(grpc::ServerContext* context, const DeleteRequest* request,
                                 ChangeResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  if (auto err = check_ref(request->ref(), true)) return to_grpc_status(*err, context);
  return reply(context, backend_.remove(canonical(request->ref()), request->dry_run()), response);
}

grpc::Status GrpcService::Get(grpc::ServerContext* context, const GetRequest* request,
                              Object* response) {
  if (auto denied = check_auth(context)) return *denied;
  if (auto err = check_ref(request->ref(), true)) return to_grpc_status(*err, context);
  return reply(context, backend_.get(canonical(request->ref())), response);
}

grpc::Status GrpcService::List(grpc::ServerContext* context, const ListRequest* request,
                               ListResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  const KindInfo* kind = find_kind(request->kind());
  if (kind == nullptr) {
    return to_grpc_status(Error{404, "kind", "unknown kind \"" + request->kind() + "\""}, context);
  }
  return reply(context, backend_.list(std::string(kind->kind)), response);
}

grpc::Status GrpcService::Status(grpc::ServerContext* context, const StatusRequest*,
                                 StatusResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  *response = backend_.status();
  return grpc::Status::OK;
}

grpc::Status GrpcService::Routes(grpc::ServerContext* context, const RoutesRequest* request,
                                 RoutesResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  return reply(context, backend_.routes(*request), response);
}

grpc::Status GrpcService::Fib(grpc::ServerContext* context, const FibRequest* request,
                              FibResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  return reply(context, backend_.fib(*request), response);
}

grpc::Status GrpcService::Explain(grpc::ServerContext* context, const ExplainRequest* request,
                                  ExplainResponse* response) {
  if (auto denied = check_auth(context)) return *denied;
  if (request->prefix().empty()) {
    return to_grpc_status(Error{400, "prefix", "a prefix is required"}, context);
  }
  return reply(context, backend_.explain(*request), response);
}

grpc::Status GrpcService::Watch(grpc::ServerContext* context, const WatchRequest* request,
                                grpc::ServerWriter<Event>* writer) {
  if (auto denied = check_auth(context)) return *denied;
  if (!watch_slots_.try_acquire()) {
    return to_grpc_status(Error{429, "", "too many watch streams"}, context);
  }
  auto queue = std::make_shared<EventQueue>(options_.watch_queue);
  auto subscription =
      backend_.watch(*request, [queue](const Event& event) { return queue->push(event); });
  // Headers go out now so the client knows the stream is live before the first event.
  writer->SendInitialMetadata();
  grpc::Status result = grpc::Status::OK;
  bool open = true;
  while (open && !context->IsCancelled() && !stopping_) {
    for (const Event& event : queue->wait_and_take(std::chrono::milliseconds(100))) {
      if (!writer->Write(event)) {
        open = false;
        break;
      }
    }
    if (queue->overflowed()) {
      result = to_grpc_status(Error{429, "", "the watch fell behind; watch again"}, context);
      break;
    }
  }
  queue->close();
  subscription.reset();
  watch_slots_.release();
  return result;
}

grpc::Status GrpcService::Health(grpc::ServerContext*, const HealthRequest*,
                                 HealthResponse* response) {
  // Like /healthz and /readyz: probes need no token.
  *response = backend_.health();
  return grpc::Status::OK;
}

grpc::Status GrpcService::Stop(grpc::ServerContext* context, const StopRequest* request,
                               StopResponse*) {
  if (auto denied = check_auth(context)) return *denied;
  backend_.stop(request->hard());
  return grpc::Status::OK;
}

}  // namespace tern::api
