#include "daemon/intent/duration.hpp"

#include <limits>

namespace tern::intent {
namespace {

struct Unit {
  std::string_view name;
  uint64_t ns;
};

// Longest names first so "ms" is not read as "m".
constexpr Unit kUnits[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xc2\xb5s", 1'000},  // U+00B5 micro sign
    {"\xce\xbcs", 1'000},  // U+03BC Greek mu
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  // "-0" is valid Go, but every duration Calico takes is a non-negative span.
  if (!text.empty() && text.front() == '-') {
    text.remove_prefix(1);
    auto v = parse_duration(text);
    if (v && v->count() == 0) return v;
    return std::nullopt;
  }
  if (text == "0") return std::chrono::nanoseconds{0};
  if (text.empty()) return std::nullopt;
  uint64_t total = 0;
  while (!text.empty()) {
    // Integer part, then an optional fraction; at least one digit overall.
    uint64_t whole = 0;
    size_t i = 0;
    bool overflow = false;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      if (whole > (kMax - 9) / 10) overflow = true;
      whole = whole * 10 + static_cast<uint64_t>(text[i] - '0');
    }
    const size_t int_digits = i;
    uint64_t frac = 0, scale = 1;
    size_t frac_digits = 0;
    if (i < text.size() && text[i] == '.') {
      for (++i; i < text.size() && is_digit(text[i]); ++i, ++frac_digits) {
        // Digits past nanosecond precision of an hour cannot change the result.
        if (scale > kMax / 10) continue;
        frac = frac * 10 + static_cast<uint64_t>(text[i] - '0');
        scale *= 10;
      }
    }
    if (int_digits == 0 && frac_digits == 0) return std::nullopt;
    if (overflow) return std::nullopt;
    text.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (text.substr(0, u.name.size()) == u.name && (!unit || u.name.size() > unit->name.size()))
        unit = &u;
    }
    if (!unit) return std::nullopt;
    text.remove_prefix(unit->name.size());
    if (whole > kMax / unit->ns) return std::nullopt;
    uint64_t part = whole * unit->ns;
    // frac / scale of a unit, in ns; long double keeps hour-sized units exact enough.
    part +=
        static_cast<uint64_t>(static_cast<long double>(frac) * static_cast<long double>(unit->ns) /
                              static_cast<long double>(scale));
    if (part > kMax - total) return std::nullopt;
    total += part;
  }
  return std::chrono::nanoseconds{static_cast<int64_t>(total)};
}

std::optional<uint32_t> parse_duration_seconds(std::string_view text) {
  auto d = parse_duration(text);
  if (!d) return std::nullopt;
  // Never negative, so adding half a second rounds half away from zero; unsigned, so it
  // cannot overflow.
  const uint64_t secs = (static_cast<uint64_t>(d->count()) + 500'000'000) / 1'000'000'000;
  if (secs > std::numeric_limits<uint32_t>::max()) return std::nullopt;
  return static_cast<uint32_t>(secs);
}

}  // namespace tern::intent
