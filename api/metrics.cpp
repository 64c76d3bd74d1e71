#include "api/metrics.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tern::api {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// One metric family: HELP and TYPE once, then its samples together, as the format wants.
class Family {
 public:
  Family(std::string& out, std::string_view name, std::string_view type, std::string_view help)
      : out_(out), name_(name) {
    out_ += "# HELP " + name_ + " " + escape_help(help) + "\n";
    out_ += "# TYPE " + name_ + " " + std::string(type) + "\n";
  }

  void sample(const Labels& labels, uint64_t value) { sample(labels, std::to_string(value)); }

  void sample(const Labels& labels, const std::string& value) {
    out_ += name_;
    if (!labels.empty()) {
      out_ += "{";
      for (size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) out_ += ",";
        out_ += labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
      }
      out_ += "}";
    }
    out_ += " " + value + "\n";
  }

 private:
  static std::string escape_help(std::string_view text) {
    std::string out;
    for (char c : text) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    return out;
  }

  std::string& out_;
  std::string name_;
};

// Every RFC 4271 state appears, zero or not, so an alert on "Established" never sees a gap.
constexpr std::string_view kFsmStates[] = {"Idle",     "Connect",     "Active",
                                           "OpenSent", "OpenConfirm", "Established"};

std::string state_of(const PeerStatus& peer) {
  return peer.fsm_state().empty() ? peer.state() : peer.fsm_state();
}

template <typename Get>
void per_peer(std::string& out, const StatusResponse& status, std::string_view name,
              std::string_view type, std::string_view help, Get get) {
  Family family(out, name, type, help);
  for (const auto& peer : status.peers())
    family.sample({{"peer", peer.name()}}, get(peer));
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_metrics(const StatusResponse& status) {
  std::string out;

  std::map<std::string, uint64_t> by_state;
  for (auto state : kFsmStates)
    by_state[std::string(state)] = 0;
  for (const auto& peer : status.peers())
    ++by_state[state_of(peer)];
  {
    Family family(out, "tern_bgp_sessions", "gauge", "BGP sessions by FSM state.");
    for (const auto& [state, count] : by_state)
      family.sample({{"state", state}}, count);
  }

  per_peer(out, status, "tern_bgp_peer_up", "gauge", "1 when the session is Established.",
           [](const PeerStatus& p) -> uint64_t { return state_of(p) == "Established" ? 1 : 0; });
  per_peer(out, status, "tern_bgp_prefixes_received", "gauge",
           "Paths in the peer's Adj-RIB-In, accepted or refused.",
           [](const PeerStatus& p) { return p.prefixes_received(); });
  per_peer(out, status, "tern_bgp_prefixes_accepted", "gauge",
           "Paths from the peer accepted by import policy.",
           [](const PeerStatus& p) { return p.prefixes_accepted(); });
  per_peer(out, status, "tern_bgp_prefixes_sent", "gauge", "Prefixes advertised to the peer.",
           [](const PeerStatus& p) { return p.prefixes_sent(); });
  per_peer(out, status, "tern_bgp_updates_in_total", "counter", "UPDATE messages received.",
           [](const PeerStatus& p) { return p.updates_in(); });
  per_peer(out, status, "tern_bgp_updates_out_total", "counter", "UPDATE messages sent.",
           [](const PeerStatus& p) { return p.updates_out(); });
  per_peer(out, status, "tern_bgp_established_total", "counter",
           "Times the session reached Established.",
           [](const PeerStatus& p) { return p.established_count(); });
  {
    Family family(out, "tern_bgp_update_errors_total", "counter",
                  "Malformed UPDATEs by RFC 7606 action.");
    for (const auto& peer : status.peers()) {
      // Sorted so the output is stable (protobuf maps have no order).
      std::map<std::string, uint64_t> errors(peer.update_errors().begin(),
                                             peer.update_errors().end());
      for (const auto& [action, count] : errors) {
        family.sample({{"peer", peer.name()}, {"action", action}}, count);
      }
    }
  }
  {
    Family family(out, "tern_rib_routes", "gauge", "Prefixes in the Loc-RIB by family.");
    family.sample({{"family", "ipv4"}}, status.routes_ipv4());
    family.sample({{"family", "ipv6"}}, status.routes_ipv6());
  }
  const FibSummary& fib = status.fib();
  {
    Family family(out, "tern_fib_routes", "gauge", "Kernel routes by state.");
    family.sample({{"state", "wanted"}}, fib.wanted());
    family.sample({{"state", "installed"}}, fib.installed());
    family.sample({{"state", "not_ours"}}, fib.not_ours());
    family.sample({{"state", "parked"}}, fib.parked());
    family.sample({{"state", "failed"}}, fib.failed());
    family.sample({{"state", "stale"}}, fib.stale());
  }
  Family(out, "tern_fib_writes_total", "counter", "Kernel routes written.")
      .sample({}, fib.routes_written());
  Family(out, "tern_fib_deletes_total", "counter", "Kernel routes deleted.")
      .sample({}, fib.routes_deleted());
  Family(out, "tern_fib_write_errors_total", "counter", "Kernel route writes that failed.")
      .sample({}, fib.write_errors());
  Family(out, "tern_fib_batches_total", "counter", "Netlink batches sent.")
      .sample({}, fib.batches());
  Family(out, "tern_ready", "gauge", "1 when tern is ready (as -bird-ready).")
      .sample({}, status.ready() ? 1u : 0u);
  Family(out, "tern_live", "gauge", "1 when tern is live.").sample({}, status.live() ? 1u : 0u);
  Family(out, "tern_intent_revision", "gauge", "Revision of the accepted intent.")
      .sample({}, status.intent_revision());
  return out;
}

}  // namespace tern::api
