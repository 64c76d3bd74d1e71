#pragma once
// RFC 4724 4.2, the receiving speaker ("helper") side, for one peer: when to keep a
// restarting peer's routes as stale, when to drop them, and when to sweep what the peer did
// not send again. A pure state machine over an injected time; the speaker applies its
// actions to the Loc-RIB and arms one timer for next_deadline().

#include <array>
#include <chrono>
#include <optional>

#include "bgp/wire/message.hpp"

namespace tern::rib {

class GrHelper {
 public:
  using Clock = std::chrono::steady_clock;
  using Seconds = std::chrono::seconds;

  // What to do to the peer's routes, per family.
  struct Actions {
    std::array<bool, bgp::kFamilyCount> mark_stale{};  // keep them, marked stale
    std::array<bool, bgp::kFamilyCount> drop{};        // remove them all now
    std::array<bool, bgp::kFamilyCount> sweep{};       // remove the ones still stale
  };

  // How long routes stay stale after the session is back, waiting for End-of-RIB (FRR's
  // stalepath-time default).
  explicit GrHelper(Seconds stale_time = Seconds{360}) : stale_time_(stale_time) {}

  // The session left Established. `graceful`: it ended without a NOTIFICATION (or, with RFC
  // 8538 negotiated, with one that was not a Hard Reset). `cap`: the GR capability the peer
  // sent on that session; `families`: the families the session carried.
  Actions session_down(bool graceful, const std::optional<bgp::GracefulRestartCap>& cap,
                       const std::array<bool, bgp::kFamilyCount>& families, Clock::time_point now);
  // The session is Established again; `cap` is the peer's new GR capability.
  Actions established(const std::optional<bgp::GracefulRestartCap>& cap, Clock::time_point now);
  // End-of-RIB from the peer for `f`.
  Actions end_of_rib(bgp::Family f);
  // Time has passed: whatever waited too long is swept.
  Actions expire(Clock::time_point now);

  std::optional<Clock::time_point> next_deadline() const;
  bool retaining(bgp::Family f) const { return phase_[bgp::family_index(f)] != Phase::kNone; }

 private:
  enum class Phase : uint8_t {
    kNone,
    kRetained,    // session down, waiting for it to come back within the restart time
    kRecovering,  // session back, waiting for End-of-RIB
  };
  Seconds stale_time_;
  std::array<Phase, bgp::kFamilyCount> phase_{};
  std::array<Clock::time_point, bgp::kFamilyCount> deadline_{};
};

}  // namespace tern::rib
