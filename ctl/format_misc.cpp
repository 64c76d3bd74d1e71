#include "ctl/format.hpp"
#include "ctl/tree.hpp"

namespace tern::ctl {

std::string format_health(const api::HealthResponse& h) {
  std::string out;
  if (!h.live()) {
    out = "ternd is not live";
  } else {
    out = h.ready() ? "ternd is live and ready" : "ternd is live but not ready";
  }
  out += h.reasons().empty() ? ".\n" : ":\n";
  for (const auto& r : h.reasons())
    out += "  " + r + "\n";
  return out;
}

std::string format_event(const api::Event& e) {
  std::string out = format_time(e.time_unix_ms());
  if (e.has_session()) {
    const auto& s = e.session();
    out += " session " + s.name() + ": " + s.from_state() + " -> " + s.to_state();
    if (!s.reason().empty()) out += " (" + s.reason() + ")";
  } else if (e.has_route()) {
    const auto& r = e.route();
    out += " route " + r.prefix() + ": " + r.action();
    if (!r.next_hops().empty()) out += " via " + r.next_hops();
    if (!r.peer().empty()) out += " from " + r.peer();
  } else {
    out += " (unknown event)";
  }
  return out + "\n";
}

std::string format_message(const google::protobuf::Message& message, Output output) {
  const auto tree = message_tree(message, true);
  if (!tree) return "";
  return output == Output::kYaml ? to_yaml(*tree) : to_json(*tree);
}

}  // namespace tern::ctl
