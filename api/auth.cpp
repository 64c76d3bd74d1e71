#include "api/auth.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace tern::api {

std::optional<HostPort> parse_host_port(std::string_view text, std::string* error) {
  HostPort out;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      *error = "expected [address]:port, got \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    out.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      *error = "expected address:port, got \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    out.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || port.empty() || value > 65535) {
    *error = "bad port in \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  out.port = static_cast<uint16_t>(value);
  if (out.host != "localhost") {
    boost::system::error_code ec2;
    boost::asio::ip::make_address(out.host, ec2);
    if (ec2) {
      *error = "bad address in \"" + std::string(text) + "\"";
      return std::nullopt;
    }
  }
  return out;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return address.to_v6().to_v4().is_loopback();
  }
  return address.is_loopback();
}

std::optional<std::string> read_token_file(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read the token file " + path;
    return std::nullopt;
  }
  std::string token;
  std::getline(in, token);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
    token.pop_back();
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) {
    token.erase(0, 1);
  }
  if (token.empty()) {
    *error = "the token file " + path + " is empty";
    return std::nullopt;
  }
  return token;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  // Walk the longer string whole so the time says nothing about where they differ.
  size_t n = std::max(a.size(), b.size());
  volatile unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff = diff | (x ^ y);
  }
  return diff == 0;
}

bool bearer_matches(std::string_view header, std::string_view token) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return false;
  }
  std::string_view given = header.substr(kScheme.size());
  while (!given.empty() && given.front() == ' ')
    given.remove_prefix(1);
  return constant_time_equals(given, token);
}

}  // namespace tern::api
