#include <cstdio>
#include <ctime>

#include "ctl/format.hpp"

namespace tern::ctl {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;

std::tm utc(int64_t unix_ms) {
  // Floor division: times before 1970 still land on the right second.
  int64_t seconds = unix_ms / 1000;
  if (unix_ms % 1000 < 0) --seconds;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::string format_since(int64_t since_ms, int64_t now_ms) {
  if (since_ms <= 0) return "";
  const std::tm tm = utc(since_ms);
  char buf[32];
  if (now_ms - since_ms >= kDayMs) {
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  } else {
    std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  }
  return buf;
}

std::string format_time(int64_t unix_ms) {
  const std::tm tm = utc(unix_ms);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  int64_t ms = unix_ms % 1000;
  if (ms < 0) ms += 1000;
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

}  // namespace tern::ctl
