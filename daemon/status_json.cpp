#include "daemon/status_json.hpp"

#include <sstream>

#include "api/json_quote.hpp"

namespace tern {

using api::json_quote;

std::string status_json(const TerndStatus& s) {
  std::ostringstream o;
  auto b = [](bool v) { return v ? "true" : "false"; };
  o << "{\"node\":" << json_quote(s.node_name) << ",\"backend\":" << json_quote(s.backend)
    << ",\"node_known\":" << b(s.node_known) << ",\"bgp_enabled\":" << b(s.bgp_enabled)
    << ",\"bgp_needed\":" << b(s.bgp_needed) << ",\"intent_revision\":" << s.intent_revision
    << ",\"ready\":" << b(s.readiness.ready)
    << ",\"ready_reason\":" << json_quote(s.readiness.reason)
    << ",\"last_error\":" << json_quote(s.last_error) << ",\"routes\":{\"ipv4\":" << s.routes_v4
    << ",\"ipv6\":" << s.routes_v6 << "}";
  o << ",\"sessions\":[";
  for (size_t i = 0; i < s.sessions.size(); ++i) {
    const auto& x = s.sessions[i];
    o << (i ? "," : "") << "{\"name\":" << json_quote(x.name)
      << ",\"remote\":" << json_quote(x.remote)
      << ",\"state\":" << json_quote(bgp::to_string(x.state))
      << ",\"last_error\":" << json_quote(x.counters.last_error) << "}";
  }
  o << "],\"notes\":[";
  for (size_t i = 0; i < s.notes.size(); ++i)
    o << (i ? "," : "") << json_quote(s.notes[i]);
  o << "]";
  if (s.fib) {
    const auto& f = *s.fib;
    o << ",\"fib\":{\"wanted\":" << f.wanted << ",\"installed\":" << f.installed
      << ",\"parked\":" << f.parked << ",\"failed\":" << f.failed << ",\"stale\":" << f.stale
      << ",\"swept\":" << b(f.swept) << ",\"last_error\":" << json_quote(f.last_error) << "}";
  }
  o << "}\n";
  return o.str();
}

}  // namespace tern
