#include "daemon/readiness.hpp"

namespace tern {

Readiness judge_readiness(const ReadinessInput& in) {
  if (!in.bgp_enabled) return {true, "BGP is not in use"};
  if (in.sessions.empty()) return {true, "no BGP peers planned"};
  size_t up = 0;
  std::string down;
  for (const auto& s : in.sessions) {
    if (s.established) {
      ++up;
    } else {
      down += (down.empty() ? "" : ", ") + s.name;
    }
  }
  if (in.bgp_uptime < kReadinessGrace) {
    if (!down.empty()) return {false, "BGP not established with " + down};
    if (in.graceful_restart_pending) return {false, "graceful restart in progress"};
    return {true, "all " + std::to_string(up) + " BGP sessions established"};
  }
  if (up == 0) return {false, "BGP not established with " + down};
  return {true, std::to_string(up) + " of " + std::to_string(in.sessions.size()) +
                    " BGP sessions established"};
}

}  // namespace tern
