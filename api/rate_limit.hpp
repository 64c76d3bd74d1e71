#pragma once
// Requests per client, as token buckets: a client may burst, then gets `rate` requests a
// second; beyond that it is answered 429 before anything is parsed or authorised, so a
// looping script or a flood of bad tokens cannot starve the event loop the API shares with
// BGP. Thread-safe (the REST server runs several threads).

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tern::api {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // rate 0: no limit.
  RateLimiter(double rate_per_second, double burst) : rate_(rate_per_second), burst_(burst) {}

  // Takes one token of `client`; false when it has none left.
  bool allow(const std::string& client, Clock::time_point now = Clock::now());
  double rate() const { return rate_; }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tern::api
