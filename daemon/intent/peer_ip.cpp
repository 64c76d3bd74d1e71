#include "daemon/intent/peer_ip.hpp"

#include "daemon/intent/decimal.hpp"

namespace tern::intent {
namespace {

std::optional<uint16_t> parse_port(std::string_view text) {
  auto v = parse_decimal<uint16_t>(text);
  if (!v || *v == 0) return std::nullopt;
  return v;
}

std::string not_an_ip(std::string_view host) {
  return "\"" + std::string(host) + "\" is not an IP address";
}

std::string bad_port(std::string_view port) {
  return "bad port \"" + std::string(port) + "\" (expected 1-65535)";
}

}  // namespace

std::variant<PeerIp, std::string> parse_peer_ip(std::string_view text) {
  if (text.empty()) return std::string("empty address");
  if (auto a = bgp::IpAddr::parse(text)) return PeerIp{*a, std::nullopt};
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::string("missing ']'");
    const auto host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':')
      return std::string("expected \":port\" after \"[address]\"");
    // net.SplitHostPort takes any host in brackets, and Calico's check then only asks for an
    // IP: "[10.0.0.1]:179" is as good as "10.0.0.1:179".
    auto a = bgp::IpAddr::parse(host);
    if (!a) return not_an_ip(host);
    auto p = parse_port(rest.substr(1));
    if (!p) return bad_port(rest.substr(1));
    return PeerIp{*a, p};
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return not_an_ip(text);
  const auto host = text.substr(0, colon);
  const auto port = text.substr(colon + 1);
  auto a = bgp::IpAddr::parse(host);
  if (!a || a->afi != bgp::Afi::kIpv4) {
    if (host.find(':') != std::string_view::npos)
      return std::string("an IPv6 address with a port is written \"[address]:port\"");
    return not_an_ip(host);
  }
  auto p = parse_port(port);
  if (!p) return bad_port(port);
  return PeerIp{*a, p};
}

}  // namespace tern::intent
