#include "daemon/plan/parse.hpp"

#include <charconv>
#include <cmath>
#include <vector>

namespace tern::plan {

namespace {

template <typename T>
std::optional<T> parse_uint(std::string_view text) {
  T v{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t at = text.find(sep, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

}  // namespace

std::optional<uint32_t> parse_duration_seconds(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty() || text[0] == '-') return std::nullopt;
  if (text == "0") return 0;
  // Units by length, longest first so "ms" is not read as "m".
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"ns", 1e-9}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6}, {"\xce\xbcs", 1e-6},
      {"ms", 1e-3}, {"s", 1.0},   {"m", 60.0},         {"h", 3600.0},
  };
  double seconds = 0;
  while (!text.empty()) {
    size_t n = 0;
    while (n < text.size() && ((text[n] >= '0' && text[n] <= '9') || text[n] == '.'))
      ++n;
    const std::string_view number = text.substr(0, n);
    if (number.empty() || number == "." || number.find('.') != number.rfind('.'))
      return std::nullopt;
    text.remove_prefix(n);
    double unit = 0;
    for (const auto& [name, scale] : kUnits) {
      if (text.substr(0, name.size()) == name) {
        unit = scale;
        text.remove_prefix(name.size());
        break;
      }
    }
    if (unit == 0) return std::nullopt;
    seconds += std::stod(std::string(number)) * unit;
  }
  const double rounded = std::round(seconds);
  if (rounded > 4294967295.0) return std::nullopt;
  return static_cast<uint32_t>(rounded);
}

std::optional<PeerAddress> parse_peer_ip(std::string_view text) {
  std::string_view host = text;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
    has_port = true;
  } else if (const size_t colon = text.find(':');
             colon != std::string_view::npos &&
             text.find(':', colon + 1) == std::string_view::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    has_port = true;
  }
  PeerAddress out;
  auto ip = bgp::IpAddr::parse(host);
  if (!ip) return std::nullopt;
  out.ip = *ip;
  if (has_port) {
    auto port = parse_uint<uint16_t>(port_text);
    if (!port) return std::nullopt;
    if (*port != 0) out.port = *port;
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=')
    text.remove_suffix(1);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else {
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6) return std::nullopt;  // a lone trailing character holds no whole byte
  return out;
}

std::optional<CommunityValue> parse_community(std::string_view text) {
  const auto parts = split(text, ':');
  CommunityValue out;
  if (parts.size() == 2) {
    auto aa = parse_uint<uint16_t>(parts[0]);
    auto nn = parse_uint<uint16_t>(parts[1]);
    if (!aa || !nn) return std::nullopt;
    out.standard = (uint32_t{*aa} << 16) | *nn;
    return out;
  }
  if (parts.size() == 3) {
    auto a = parse_uint<uint32_t>(parts[0]);
    auto b = parse_uint<uint32_t>(parts[1]);
    auto c = parse_uint<uint32_t>(parts[2]);
    if (!a || !b || !c) return std::nullopt;
    out.large = true;
    out.large_value = bgp::LargeCommunity{*a, *b, *c};
    return out;
  }
  return std::nullopt;
}

}  // namespace tern::plan
