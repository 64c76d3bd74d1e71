#include "api/rate_limit.hpp"

#include <algorithm>

namespace tern::api {

namespace {
// Buckets of clients that went quiet are forgotten once this many exist, so a scan from many
// addresses cannot grow the map without bound.
constexpr size_t kMaxClients = 4096;
}  // namespace

bool RateLimiter::allow(const std::string& client, Clock::time_point now) {
  if (rate_ <= 0) return true;
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= kMaxClients && !buckets_.contains(client)) {
    // A full bucket is one that has been quiet long enough to refill: nothing is lost by
    // forgetting it.
    const auto refill = std::chrono::duration<double>(burst_ / rate_);
    std::erase_if(buckets_, [&](const auto& kv) {
      return now - kv.second.at >= std::chrono::duration_cast<Clock::duration>(refill);
    });
    if (buckets_.size() >= kMaxClients) return false;
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * rate_);
    b.at = now;
  }
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

}  // namespace tern::api
