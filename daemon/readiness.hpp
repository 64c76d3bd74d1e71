#pragma once
// Readiness as calico-node's -bird-ready judges it: while the speaker is young every planned
// session must be up and no graceful restart may be pending (a node that just started is not
// ready until it has its routes); afterwards one established session is enough (one peer
// down must not take the node out of service). Without BGP, readiness does not depend on it.

#include <chrono>
#include <string>
#include <vector>

namespace tern {

struct SessionReadiness {
  std::string name;
  bool established = false;
};

struct ReadinessInput {
  bool bgp_enabled = false;
  std::chrono::seconds bgp_uptime{0};
  std::vector<SessionReadiness> sessions;  // every planned session
  bool graceful_restart_pending = false;   // End-of-RIB still awaited after our restart
};

struct Readiness {
  bool ready = false;
  std::string reason;  // why not, or what it rests on
};

inline constexpr std::chrono::seconds kReadinessGrace{30};  // calico-node's threshold

Readiness judge_readiness(const ReadinessInput& in);

}  // namespace tern
