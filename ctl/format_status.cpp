// `ternctl status`: calicoctl node status's layout, so operators' eyes (and scripts grepping
// for "Established") keep working; the first lines say what runs and whether it is ready.

#include <algorithm>

#include "ctl/format.hpp"
#include "ctl/table.hpp"

namespace tern::ctl {
namespace {

// "10.0.0.2", "10.0.0.2:1179" are IPv4; "fd00::2" and "[fd00::2]:1179" IPv6.
bool is_ipv6(const std::string& address) {
  return !address.empty() &&
         (address.front() == '[' || std::count(address.begin(), address.end(), ':') > 1);
}

std::string sentence(std::string text) {
  if (!text.empty() && text.back() != '.') text += '.';
  return text;
}

std::string headline(const api::StatusResponse& s) {
  std::string facts = "backend " + (s.backend().empty() ? std::string("bird") : s.backend());
  if (!s.node().empty()) facts += ", node " + s.node();
  if (s.as_number() != 0) facts += ", AS " + std::to_string(s.as_number());
  if (!s.router_id().empty()) facts += ", router id " + s.router_id();
  if (!s.cluster_id().empty()) facts += ", route reflector cluster " + s.cluster_id();
  return "tern is running (" + facts + ").\n";
}

std::string peer_table(const api::StatusResponse& s, bool ipv6, int64_t now_ms) {
  Table table({"PEER ADDRESS", "PEER TYPE", "STATE", "SINCE", "INFO"});
  for (const auto& peer : s.peers()) {
    if (is_ipv6(peer.address()) != ipv6) continue;
    const std::string info = peer.info().empty() ? peer.fsm_state() : peer.info();
    table.add_row({peer.address(), peer.type(), peer.state(),
                   format_since(peer.since_unix_ms(), now_ms), info});
  }
  const std::string family = ipv6 ? "IPv6" : "IPv4";
  std::string out = "\n" + family + " BGP status\n";
  if (table.empty()) return out + "No " + family + " peers found.\n";
  return out + table.boxed();
}

}  // namespace

std::string format_status(const api::StatusResponse& s, int64_t now_ms) {
  std::string out = headline(s);
  out += s.ready() ? "Ready.\n" : "Not ready: " + sentence(s.ready_reason()) + "\n";
  for (const auto& note : s.notes())
    out += "Note: " + sentence(note) + "\n";
  if (!s.last_error().empty()) out += "Last error: " + sentence(s.last_error()) + "\n";
  if (!s.bgp_enabled()) {
    out += "\nBGP is not running";
    out += s.bgp_needed() ? " although the intent needs it.\n"
                          : " (backend " + s.backend() + " does not use it).\n";
    return out;
  }
  out += peer_table(s, false, now_ms);
  out += peer_table(s, true, now_ms);
  return out;
}

}  // namespace tern::ctl
