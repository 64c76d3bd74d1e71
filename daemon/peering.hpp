#pragma once
// Brings a running speaker to a plan: sessions are matched by their Calico name, and only the
// difference is applied (a changed peer resets that session alone; unchanged ones keep
// running; a peer whose filters alone changed keeps its session and is refreshed), and
// originated routes are announced or withdrawn one by one.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daemon/plan/plan.hpp"
#include "daemon/speaker.hpp"

namespace tern {

// The speaker's form of a planned session. `restarting`: we come back from a restart with our
// kernel routes kept, so peers are asked to keep ours until we send End-of-RIB (RFC 4724 R
// and F bits).
SpeakerPeer speaker_peer(const plan::PlannedPeer& p, const plan::Plan& plan, bool restarting);

// Whether `next` differs from `running` in its filters alone: applied to the running session
// with a route refresh, since a new pool or BGPFilter changes every peer's filters and must
// not cost a session reset.
bool only_filters_differ(const plan::PlannedPeer& running, plan::PlannedPeer next);

// The attributes of a route this node originates: IGP, empty AS path (the speaker prepends
// our AS toward eBGP peers and sets the next hop per peer).
bgp::PathAttributes origination_attrs();

class Peering {
 public:
  // `limits`, `min_hold_time` (bgp::LocalSettings) and `send_hold` (RFC 9687; zero: the RFC's
  // max(8 min, 2 x hold time)) apply to every session.
  explicit Peering(Speaker& speaker, PeerLimits limits = {}, uint16_t min_hold_time = 3,
                   bgp::Millis send_hold = {})
      : speaker_(speaker), limits_(limits), min_hold_time_(min_hold_time), send_hold_(send_hold) {}

  struct Changes {
    std::vector<std::string> added, removed, replaced;
    std::vector<std::string> refiltered;  // new filters, session kept
    size_t originated = 0, withdrawn = 0;
    bool any() const {
      return !added.empty() || !removed.empty() || !replaced.empty() || !refiltered.empty() ||
             originated || withdrawn;
    }
  };
  // `delay_since`: where the connect delay of the sessions this adds counts from (ternd's
  // start, for the sessions it starts with; bgp::SessionConfig::connect_delay_since).
  Changes apply(const plan::Plan& next, bool restarting,
                std::optional<bgp::Clock::time_point> delay_since = {});

  // The speaker's id of a planned session; 0 when not running.
  rib::PeerId id(const std::string& name) const;

  // A planned session as the speaker runs it, with the settings above.
  SpeakerPeer peer_for(const plan::PlannedPeer& p, const plan::Plan& plan, bool restarting,
                       std::optional<bgp::Clock::time_point> delay_since = {}) const;

 private:
  struct Running {
    plan::PlannedPeer planned;
    rib::PeerId id = 0;
  };
  Speaker& speaker_;
  PeerLimits limits_;
  uint16_t min_hold_time_;
  bgp::Millis send_hold_;
  std::map<std::string, Running> running_;
  std::vector<plan::Origination> originated_;  // sorted
};

}  // namespace tern
