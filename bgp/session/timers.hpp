#pragma once
// Timer policy, kept apart from the timers themselves so it can be tested without waiting:
// RFC 4271 10 jitter, the idle-hold back-off after failures, and the RFC 9687 send hold time.

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace tern::bgp {

using Millis = std::chrono::milliseconds;

// RFC 4271 10: ConnectRetry and Keepalive timers are multiplied by a random factor in
// [0.75, 1.0] so that peers do not synchronise. `random` is any uniformly random 32-bit value.
inline Millis jittered(Millis base, uint32_t random) {
  const double factor = 0.75 + 0.25 * (static_cast<double>(random) / 4294967296.0);
  return Millis(static_cast<int64_t>(static_cast<double>(base.count()) * factor));
}

// The wait before the automatic restart after the n-th consecutive failure (n >= 1): min,
// 2 x min, 4 x min ... capped at max. Calico's BIRD waits 5 s growing to 30 s.
inline Millis idle_hold_backoff(Millis min, Millis max, uint32_t failures) {
  Millis d = min;
  for (uint32_t i = 1; i < failures && d < max; ++i)
    d *= 2;
  return std::min(d, max);
}

// RFC 9687 4: a configured value, else max(8 minutes, 2 x HoldTime); never at or below the
// hold time.
inline Millis send_hold_time(Millis configured, Millis hold) {
  if (configured.count() > 0) return std::max(configured, hold + Millis(1));
  return std::max(Millis(480000), 2 * hold);
}

}  // namespace tern::bgp
