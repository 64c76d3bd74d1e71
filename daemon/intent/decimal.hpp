#pragma once
// Calico's numeric parts of strings (ports, community parts) are Go's \d+ read by
// strconv.ParseUint: ASCII digits only, no sign, no spaces, in range of the type.

#include <charconv>
#include <optional>
#include <string_view>

namespace tern::intent {

template <typename T>
std::optional<T> parse_decimal(std::string_view text) {
  T v{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace tern::intent
