#include "rib/graceful_restart.hpp"

namespace tern::rib {

namespace {

const bgp::GracefulRestartCap::Entry* find(const std::optional<bgp::GracefulRestartCap>& cap,
                                           int family) {
  if (!cap) return nullptr;
  for (const auto& e : cap->families)
    if (e.family == bgp::kFamilies[family].family) return &e;
  return nullptr;
}

}  // namespace

GrHelper::Actions GrHelper::session_down(bool graceful,
                                         const std::optional<bgp::GracefulRestartCap>& cap,
                                         const std::array<bool, bgp::kFamilyCount>& families,
                                         Clock::time_point now) {
  Actions a;
  for (int f = 0; f < bgp::kFamilyCount; ++f) {
    if (!families[f]) continue;
    // RFC 4724 4.2: only families the peer listed are retained, and not at all with a
    // restart time of zero. A second restart while stale drops the routes still stale
    // (LocRib::mark_stale does that) and marks the rest.
    if (graceful && cap && cap->restart_time > 0 && find(cap, f)) {
      a.mark_stale[f] = true;
      phase_[f] = Phase::kRetained;
      deadline_[f] = now + Seconds{cap->restart_time};
    } else {
      a.drop[f] = true;
      phase_[f] = Phase::kNone;
    }
  }
  return a;
}

GrHelper::Actions GrHelper::established(const std::optional<bgp::GracefulRestartCap>& cap,
                                        Clock::time_point now) {
  Actions a;
  for (int f = 0; f < bgp::kFamilyCount; ++f) {
    if (phase_[f] == Phase::kNone) continue;
    // A peer that lost its forwarding state for a family (F bit clear, or the family gone
    // from its capability) will not refresh those routes: they go at once.
    const auto* e = find(cap, f);
    if (e && e->forwarding_preserved) {
      phase_[f] = Phase::kRecovering;
      deadline_[f] = now + stale_time_;
    } else {
      a.sweep[f] = true;
      phase_[f] = Phase::kNone;
    }
  }
  return a;
}

GrHelper::Actions GrHelper::end_of_rib(bgp::Family family) {
  Actions a;
  const int f = bgp::family_index(family);
  if (phase_[f] == Phase::kRecovering) {
    a.sweep[f] = true;
    phase_[f] = Phase::kNone;
  }
  return a;
}

GrHelper::Actions GrHelper::expire(Clock::time_point now) {
  Actions a;
  for (int f = 0; f < bgp::kFamilyCount; ++f) {
    if (phase_[f] == Phase::kNone || deadline_[f] > now) continue;
    a.sweep[f] = true;
    phase_[f] = Phase::kNone;
  }
  return a;
}

std::optional<GrHelper::Clock::time_point> GrHelper::next_deadline() const {
  std::optional<Clock::time_point> next;
  for (int f = 0; f < bgp::kFamilyCount; ++f)
    if (phase_[f] != Phase::kNone && (!next || deadline_[f] < *next)) next = deadline_[f];
  return next;
}

}  // namespace tern::rib
