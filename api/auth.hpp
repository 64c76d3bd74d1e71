#pragma once
// Who may talk to the API: loopback and the unix socket need nothing unless a token is
// configured; any other listen address needs one. Tokens are compared in constant time.

#include <optional>
#include <string>
#include <string_view>

namespace tern::api {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// "127.0.0.1:9179", "[::1]:9179", "localhost:9179"; the error text otherwise.
std::optional<HostPort> parse_host_port(std::string_view text, std::string* error);

// 127.0.0.0/8, ::1 and "localhost"; everything else (including 0.0.0.0 and ::) is exposed.
bool is_loopback_host(std::string_view host);

// The token file's first line, trimmed; nullopt with the reason when missing or empty.
std::optional<std::string> read_token_file(const std::string& path, std::string* error);

// Whether an "Authorization" header value is "Bearer <token>" for exactly `token`.
bool bearer_matches(std::string_view header, std::string_view token);

// Equal contents, in time that depends only on the lengths.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace tern::api
