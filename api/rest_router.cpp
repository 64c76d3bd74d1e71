#include "api/rest_router.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "api/json.hpp"
#include "api/kinds.hpp"
#include "api/metrics.hpp"

namespace tern::api {
namespace {

using Query = std::map<std::string, std::string>;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plus_is_space && text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

struct Target {
  std::vector<std::string> segments;  // decoded; "/v1/ippools/a" -> {"v1", "ippools", "a"}
  Query query;
};

std::variant<Target, Error> parse_target(std::string_view target) {
  Target out;
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  if (path.empty() || path.front() != '/') return Error{400, "", "bad request target"};
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    auto segment = percent_decode(path.substr(pos, end - pos), false);
    if (!segment) return Error{400, "", "bad percent-encoding in the path"};
    if (!segment->empty() || end < path.size()) out.segments.push_back(*segment);
    pos = end + 1;
  }
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) return Error{400, "", "bad percent-encoding in the query"};
    if (out.query.count(*key)) return Error{400, *key, "query parameter given twice"};
    out.query[*key] = *value;
  }
  return out;
}

std::optional<Error> only_params(const Query& query, std::initializer_list<std::string_view> ok) {
  for (const auto& [key, value] : query) {
    bool known = false;
    for (auto name : ok)
      known = known || key == name;
    if (!known) return Error{400, key, "unknown query parameter"};
  }
  return std::nullopt;
}

std::variant<bool, Error> bool_param(const Query& query, const std::string& name, bool fallback) {
  auto it = query.find(name);
  if (it == query.end()) return fallback;
  if (it->second == "true" || it->second == "1" || it->second.empty()) return true;
  if (it->second == "false" || it->second == "0") return false;
  return Error{400, name, "expected true or false, got \"" + it->second + "\""};
}

std::string param(const Query& query, const std::string& name) {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

RestResponse json_response(int status, std::string body) {
  RestResponse out;
  out.status = status;
  out.body = std::move(body);
  return out;
}

RestResponse text_response(int status, std::string body) {
  RestResponse out;
  out.status = status;
  out.content_type = "text/plain; charset=utf-8";
  out.body = std::move(body);
  return out;
}

RestResponse method_not_allowed(std::string allow) {
  RestResponse out = error_response(Error{405, "", "method not allowed; use " + allow});
  out.headers.emplace_back("Allow", std::move(allow));
  return out;
}

template <typename T>
RestResponse from_result(Result<T> result, int ok_status = 200) {
  if (auto* error = std::get_if<Error>(&result)) return error_response(*error);
  return json_response(ok_status, to_json(std::get<T>(result)));
}

RestResponse list_response(const KindInfo& kind, const ListResponse& list) {
  // A Calico/kubectl-style list, its items shaped like GET's single objects.
  std::string body = "{\"apiVersion\":" + json_quote(kind.api_version) +
                     ",\"kind\":" + json_quote(std::string(kind.kind) + "List") + ",\"items\":[";
  for (int i = 0; i < list.objects_size(); ++i) {
    if (i > 0) body += ",";
    body += resource_to_json(list.objects(i));
  }
  return json_response(200, body + "]}");
}

}  // namespace

RestResponse error_response(const Error& error) {
  RestResponse out = json_response(error.status, error_json(error));
  if (error.status == 401) out.headers.emplace_back("WWW-Authenticate", "Bearer");
  return out;
}

bool is_public_path(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  return path == "/healthz" || path == "/readyz";
}

std::variant<RestResponse, WatchRequest> RestRouter::handle(const RestRequest& request) {
  auto parsed = parse_target(request.target);
  if (auto* error = std::get_if<Error>(&parsed)) return error_response(*error);
  const Target& target = std::get<Target>(parsed);
  const auto& seg = target.segments;
  const auto& query = target.query;
  const std::string& method = request.method;
  auto not_found = [&] { return error_response(Error{404, "", "no such path"}); };

  if (seg.size() == 1 && (seg[0] == "healthz" || seg[0] == "readyz" || seg[0] == "metrics")) {
    if (method != "GET") return method_not_allowed("GET");
    if (auto err = only_params(query, {})) return error_response(*err);
    if (seg[0] == "metrics") {
      RestResponse out = text_response(200, render_metrics(backend_.status()));
      out.content_type = std::string(kMetricsContentType);
      return out;
    }
    HealthResponse health = backend_.health();
    if (seg[0] == "healthz") {
      return health.live() ? text_response(200, "ok\n") : text_response(503, "not live\n");
    }
    if (health.ready()) return text_response(200, "ready\n");
    std::string reasons = "not ready\n";
    for (const auto& reason : health.reasons())
      reasons += reason + "\n";
    return text_response(503, reasons);
  }
  if (seg.empty() || seg[0] != "v1" || seg.size() < 2) return not_found();
  const std::string& op = seg[1];

  if (op == "status" || op == "routes" || op == "fib" || op == "watch") {
    if (seg.size() != 2) return not_found();
    if (method != "GET") return method_not_allowed("GET");
    if (op == "status") {
      if (auto err = only_params(query, {})) return error_response(*err);
      return json_response(200, to_json(backend_.status()));
    }
    if (op == "routes") {
      if (auto err = only_params(query, {"prefix", "family", "peer", "limit"})) {
        return error_response(*err);
      }
      RoutesRequest routes;
      routes.set_prefix(param(query, "prefix"));
      routes.set_family(param(query, "family"));
      routes.set_peer(param(query, "peer"));
      std::string limit = param(query, "limit");
      if (!limit.empty()) {
        uint32_t value = 0;
        auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
        if (ec != std::errc() || end != limit.data() + limit.size()) {
          return error_response(
              Error{400, "limit", "expected a whole number, got \"" + limit + "\""});
        }
        routes.set_limit(value);
      }
      return from_result(backend_.routes(routes));
    }
    if (op == "fib") {
      if (auto err = only_params(query, {"prefix"})) return error_response(*err);
      FibRequest fib;
      fib.set_prefix(param(query, "prefix"));
      return from_result(backend_.fib(fib));
    }
    if (auto err = only_params(query, {"sessions", "routes"})) return error_response(*err);
    // With neither named, both: "watch everything".
    bool neither = !query.count("sessions") && !query.count("routes");
    auto sessions = bool_param(query, "sessions", neither);
    auto routes = bool_param(query, "routes", neither);
    if (auto* e = std::get_if<Error>(&sessions)) return error_response(*e);
    if (auto* e = std::get_if<Error>(&routes)) return error_response(*e);
    WatchRequest watch;
    watch.set_sessions(std::get<bool>(sessions));
    watch.set_routes(std::get<bool>(routes));
    return watch;
  }

  if (op == "explain") {
    if (method != "GET") return method_not_allowed("GET");
    if (auto err = only_params(query, {"prefix"})) return error_response(*err);
    ExplainRequest explain;
    if (seg.size() > 2) {
      // "/v1/explain/10.0.0.0%2F24", or the slash left as is.
      std::string prefix = seg[2];
      for (size_t i = 3; i < seg.size(); ++i)
        prefix += "/" + seg[i];
      if (query.count("prefix")) {
        return error_response(Error{400, "prefix", "give the prefix in the path or the query"});
      }
      explain.set_prefix(prefix);
    } else {
      explain.set_prefix(param(query, "prefix"));
    }
    if (explain.prefix().empty()) {
      return error_response(Error{400, "prefix", "a prefix is required"});
    }
    return from_result(backend_.explain(explain));
  }

  if (op == "apply" || op == "stop") {
    if (seg.size() != 2) return not_found();
    if (method != "POST") return method_not_allowed("POST");
    if (op == "stop") {
      if (auto err = only_params(query, {})) return error_response(*err);
      StopRequest stop;
      if (!request.body.empty()) {
        if (auto err = parse_json(request.body, stop)) return error_response(*err);
      }
      backend_.stop(stop.hard());
      return json_response(200, "{}");
    }
    if (auto err = only_params(query, {"dryRun"})) return error_response(*err);
    auto dry_run = bool_param(query, "dryRun", false);
    if (auto* e = std::get_if<Error>(&dry_run)) return error_response(*e);
    ApplyRequest apply;
    if (auto err = parse_json(request.body, apply)) return error_response(*err);
    return from_result(backend_.apply(apply.objects(), apply.dry_run() || std::get<bool>(dry_run)));
  }

  const KindInfo* kind = find_kind(op);
  if (kind == nullptr) return error_response(Error{404, "kind", "unknown kind \"" + op + "\""});
  if (seg.size() > 3) return not_found();
  const bool changes = method == "POST" || method == "PUT" || method == "DELETE";
  if (auto err = only_params(query, changes ? std::initializer_list<std::string_view>{"dryRun"}
                                            : std::initializer_list<std::string_view>{})) {
    return error_response(*err);
  }
  auto dry_run_param = bool_param(query, "dryRun", false);
  if (auto* e = std::get_if<Error>(&dry_run_param)) return error_response(*e);
  const bool dry_run = std::get<bool>(dry_run_param);

  if (seg.size() == 2) {
    if (method == "GET") {
      auto result = backend_.list(std::string(kind->kind));
      if (auto* error = std::get_if<Error>(&result)) return error_response(*error);
      return list_response(*kind, std::get<ListResponse>(result));
    }
    if (method != "POST") return method_not_allowed("GET, POST");
    Object object;
    if (auto err = parse_resource_json(request.body, *kind, object)) return error_response(*err);
    return from_result(backend_.create(object, dry_run), dry_run ? 200 : 201);
  }

  const std::string& name = seg[2];
  if (name.empty()) return not_found();
  ObjectRef ref;
  ref.set_kind(std::string(kind->kind));
  ref.set_name(name);
  if (method == "GET") {
    auto result = backend_.get(ref);
    if (auto* error = std::get_if<Error>(&result)) return error_response(*error);
    return json_response(200, resource_to_json(std::get<Object>(result)));
  }
  if (method == "DELETE") return from_result(backend_.remove(ref, dry_run));
  if (method != "PUT") return method_not_allowed("GET, PUT, DELETE");
  Object object;
  if (auto err = parse_resource_json(request.body, *kind, object)) return error_response(*err);
  if (object_name(object) != name) {
    return error_response(
        Error{400, "metadata.name",
              "\"" + object_name(object) + "\" differs from the path's \"" + name + "\""});
  }
  return from_result(backend_.replace(object, dry_run));
}

}  // namespace tern::api
