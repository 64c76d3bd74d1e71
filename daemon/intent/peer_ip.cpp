#include "daemon/intent/peer_ip.hpp"

#include <charconv>

namespace tern::intent {
namespace {

std::optional<uint16_t> parse_port(std::string_view text) {
  unsigned v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  if (v == 0 || v > 65535) return std::nullopt;
  return static_cast<uint16_t>(v);
}

}  // namespace

std::variant<PeerIp, std::string> parse_peer_ip(std::string_view text) {
  if (text.empty()) return std::string("empty address");
  if (auto a = bgp::IpAddr::parse(text)) return PeerIp{*a, std::nullopt};
  std::string_view host, port;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::string("missing ']'");
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':')
      return std::string("expected \":port\" after \"[address]\"");
    port = rest.substr(1);
    auto a = bgp::IpAddr::parse(host);
    if (!a || a->afi != bgp::Afi::kIpv6)
      return "\"" + std::string(host) + "\" is not an IPv6 address";
    auto p = parse_port(port);
    if (!p) return "bad port \"" + std::string(port) + "\" (expected 1-65535)";
    return PeerIp{*a, p};
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return "\"" + std::string(text) + "\" is not an IP address";
  host = text.substr(0, colon);
  port = text.substr(colon + 1);
  auto a = bgp::IpAddr::parse(host);
  if (!a || a->afi != bgp::Afi::kIpv4) {
    if (host.find(':') != std::string_view::npos)
      return std::string("an IPv6 address with a port is written \"[address]:port\"");
    return "\"" + std::string(host) + "\" is not an IP address";
  }
  auto p = parse_port(port);
  if (!p) return "bad port \"" + std::string(port) + "\" (expected 1-65535)";
  return PeerIp{*a, p};
}

}  // namespace tern::intent
