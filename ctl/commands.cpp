#include "ctl/commands.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <iterator>
#include <ostream>
#include <sstream>

#include "ctl/format.hpp"
#include "daemon/intent/manifest.hpp"
#include "daemon/intent/objects.hpp"

namespace tern::ctl {
namespace {

struct Failure {
  int code;
  std::string message;  // printed after "ternctl: "
};

std::variant<std::string, Failure> read_token(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return Failure{kExitUsage, "--token-file: cannot read " + path + ": " + std::strerror(errno)};
  }
  std::string token((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
    token.pop_back();
  size_t start = 0;
  while (start < token.size() && std::isspace(static_cast<unsigned char>(token[start])))
    ++start;
  token = token.substr(start);
  if (token.empty()) return Failure{kExitUsage, "--token-file: " + path + " is empty"};
  return token;
}

Endpoint endpoint_for(const Invocation& inv) {
  Endpoint e;
  if (!inv.server.empty()) {
    e.target = inv.server;
    e.description = "address " + inv.server;
    e.unix_socket = false;
  } else {
    e.target = "unix:" + inv.socket;
    e.description = "socket " + inv.socket;
  }
  const bool changes = inv.command == "apply" || inv.command == "delete";
  e.timeout_s = inv.timeout_s > 0 ? inv.timeout_s : (changes ? 30 : 10);
  if (inv.command == "watch") e.timeout_s = 0;
  return e;
}

// The command body: prints its result, or returns the call's error for run() to report.
class Command {
 public:
  Command(const Invocation& inv, Client& client, Io& io) : inv_(inv), client_(client), io_(io) {}

  int run(const api::Intent* manifests) {
    const std::string& c = inv_.command;
    if (c == "status") return status();
    if (c == "routes") return routes();
    if (c == "fib") return fib();
    if (c == "explain") return explain();
    if (c == "get") return get();
    if (c == "delete") return remove();
    if (c == "apply") return apply(*manifests);
    if (c == "watch") return watch();
    if (c == "stop") return stop();
    if (c == "health") return health();
    return kExitUsage;
  }

  const std::optional<CallError>& error() const { return error_; }

 private:
  // The response, or nullptr after recording the error.
  template <typename T>
  const T* take(const Call<T>& call) {
    if (const auto* e = std::get_if<CallError>(&call)) {
      error_ = *e;
      return nullptr;
    }
    return &std::get<T>(call);
  }

  // -o json|yaml prints the response itself; true when done.
  bool structured(const google::protobuf::Message& m) {
    if (inv_.output == Output::kTable) return false;
    io_.out << format_message(m, inv_.output);
    return true;
  }

  std::string arg(size_t i) const { return i < inv_.args.size() ? inv_.args[i] : ""; }

  int status() {
    const auto call = client_.status();
    const auto* r = take(call);
    if (!r) return kExitFailed;
    if (!structured(*r)) io_.out << format_status(*r, io_.now_ms());
    return kExitOk;
  }

  int routes() {
    api::RoutesRequest req;
    req.set_prefix(arg(0));
    req.set_family(inv_.family);
    req.set_peer(inv_.peer);
    req.set_limit(inv_.limit);
    const auto call = client_.routes(req);
    const auto* r = take(call);
    if (!r) return kExitFailed;
    if (!structured(*r)) io_.out << format_routes(*r);
    return kExitOk;
  }

  int fib() {
    api::FibRequest req;
    req.set_prefix(arg(0));
    const auto call = client_.fib(req);
    const auto* r = take(call);
    if (!r) return kExitFailed;
    if (!structured(*r)) io_.out << format_fib(*r);
    return kExitOk;
  }

  int explain() {
    api::ExplainRequest req;
    req.set_prefix(arg(0));
    const auto call = client_.explain(req);
    const auto* r = take(call);
    if (!r) return kExitFailed;
    if (!structured(*r)) io_.out << format_explain(*r);
    return kExitOk;
  }

  int get() {
    std::vector<api::Object> objects;
    const bool single = inv_.args.size() == 2;
    if (single) {
      api::ObjectRef ref;
      ref.set_kind(inv_.kind);
      ref.set_name(arg(1));
      const auto call = client_.get(ref);
      const auto* r = take(call);
      if (!r) return kExitFailed;
      objects.push_back(*r);
    } else {
      const auto call = client_.list(inv_.kind);
      const auto* r = take(call);
      if (!r) return kExitFailed;
      objects.assign(r->objects().begin(), r->objects().end());
    }
    switch (inv_.output) {
      case Output::kYaml:
        io_.out << format_objects_yaml(objects);
        break;
      case Output::kJson:
        io_.out << format_objects_json(inv_.kind, objects, single);
        break;
      case Output::kTable:
        if (objects.empty()) {
          io_.out << "No " << inv_.kind << " resources found.\n";
        } else {
          io_.out << format_objects_table(inv_.kind, objects);
        }
        break;
    }
    return kExitOk;
  }

  int remove() {
    api::DeleteRequest req;
    req.mutable_ref()->set_kind(inv_.kind);
    req.mutable_ref()->set_name(arg(1));
    req.set_dry_run(inv_.dry_run);
    const auto call = client_.remove(req);
    const auto* r = take(call);
    if (!r) return kExitFailed;
    if (!structured(*r)) {
      io_.out << format_change(*r, ChangeVerb::kDelete, inv_.kind + " " + arg(1));
    }
    return kExitOk;
  }

  int apply(const api::Intent& objects) {
    api::ApplyRequest req;
    *req.mutable_objects() = objects;
    req.set_dry_run(inv_.dry_run);
    const auto call = client_.apply(req);
    const auto* r = take(call);
    if (!r) return kExitFailed;
    if (!structured(*r)) {
      io_.out << format_change(*r, ChangeVerb::kApply, object_count_words(intent::count(objects)));
    }
    return kExitOk;
  }

  int watch() {
    api::WatchRequest req;
    const bool both = !inv_.sessions && !inv_.routes;
    req.set_sessions(both || inv_.sessions);
    req.set_routes(both || inv_.routes);
    error_ = client_.watch(req, [this](const api::Event& e) {
      io_.out << format_event(e) << std::flush;
      return static_cast<bool>(io_.out);
    });
    return error_ ? kExitFailed : kExitOk;
  }

  int stop() {
    const auto call = client_.stop(inv_.hard);
    if (!take(call)) return kExitFailed;
    io_.out << (inv_.hard ? "ternd is stopping; it sent Cease to every peer first.\n"
                          : "ternd is stopping; peers keep its routes for the graceful restart "
                            "time.\n");
    return kExitOk;
  }

  int health() {
    const auto call = client_.health();
    const auto* r = take(call);
    if (!r) return kExitFailed;
    if (!structured(*r)) io_.out << format_health(*r);
    return r->live() && r->ready() ? kExitOk : kExitFailed;
  }

  const Invocation& inv_;
  Client& client_;
  Io& io_;
  std::optional<CallError> error_;
};

// Manifests are read (and refused) before any connection is made.
std::variant<api::Intent, Failure> read_input(const Invocation& inv, std::istream& in) {
  std::variant<api::Intent, intent::ManifestError> read;
  if (inv.file == "-") {
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    read = intent::read_manifests(text);
    if (auto* e = std::get_if<intent::ManifestError>(&read)) e->file = "<stdin>";
  } else {
    read = intent::read_manifest_file(inv.file);
  }
  if (const auto* e = std::get_if<intent::ManifestError>(&read)) {
    return Failure{kExitFailed, e->to_string()};
  }
  api::Intent intent = std::get<api::Intent>(std::move(read));
  if (intent::count(intent) == 0) {
    return Failure{kExitFailed, (inv.file == "-" ? std::string("<stdin>") : inv.file) +
                                    ": no resources to apply"};
  }
  return intent;
}

}  // namespace

std::string error_text(const CallError& error, const Endpoint& endpoint) {
  if (error.unreachable) {
    std::string out = "ternctl: cannot connect to ternd at " + endpoint.description;
    if (!error.message.empty()) out += ": " + error.message;
    out += "\n";
    if (endpoint.unix_socket) {
      out +=
          "Is ternd running on this node? It serves its API on that socket; choose another with "
          "--socket or TERN_SOCKET (reading it may need root).\n";
    } else {
      out += "Is ternd running and serving its API on that address?\n";
    }
    return out;
  }
  std::string out = "ternctl: ";
  if (!error.field.empty()) out += error.field + ": ";
  out += error.message.empty() ? "request failed (gRPC code " + std::to_string(error.code) + ")"
                               : error.message;
  return out + "\n";
}

int run(const std::vector<std::string>& argv, const Getenv& getenv, const Connector& connect,
        Io io) {
  auto parsed = parse_args(argv, getenv);
  if (const auto* u = std::get_if<UsageError>(&parsed)) {
    io.err << "ternctl: " << u->message << "\nRun 'ternctl --help' for usage.\n";
    return kExitUsage;
  }
  const Invocation& inv = std::get<Invocation>(parsed);
  if (inv.command == "help") {
    io.out << usage_text();
    return kExitOk;
  }

  std::optional<api::Intent> manifests;
  if (inv.command == "apply") {
    auto input = read_input(inv, io.in);
    if (const auto* f = std::get_if<Failure>(&input)) {
      io.err << "ternctl: " << f->message << "\n";
      return f->code;
    }
    manifests = std::get<api::Intent>(std::move(input));
  }
  Endpoint endpoint = endpoint_for(inv);
  if (!inv.token_file.empty()) {
    auto token = read_token(inv.token_file);
    if (const auto* f = std::get_if<Failure>(&token)) {
      io.err << "ternctl: " << f->message << "\n";
      return f->code;
    }
    endpoint.token = std::get<std::string>(token);
  }

  std::unique_ptr<Client> client = connect(endpoint);
  Command command(inv, *client, io);
  const int code = command.run(manifests ? &*manifests : nullptr);
  if (const auto& e = command.error()) {
    io.err << error_text(*e, endpoint);
    return e->unreachable ? kExitUnreachable : kExitFailed;
  }
  return code;
}

}  // namespace tern::ctl
