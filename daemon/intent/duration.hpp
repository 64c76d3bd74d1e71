#pragma once
// Calico's durations are Go duration strings ("120s", "2m30s", "1h", "300ms", "1.5h"): a
// sequence of decimal numbers, each with a unit (ns, us, µs, ms, s, m, h); "0" alone is zero.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tern::intent {

// The duration, or nullopt when the text is not Go syntax, is negative, or overflows Go's
// int64 nanoseconds.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);

// Whole seconds, rounded half away from zero as confd renders them
// (int(math.Round(d.Seconds()))): "1.5s" is 2, "300ms" is 0; nullopt past 32 bits.
std::optional<uint32_t> parse_duration_seconds(std::string_view text);

}  // namespace tern::intent
