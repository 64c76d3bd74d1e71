#include "daemon/intent/community.hpp"

#include "daemon/intent/decimal.hpp"

namespace tern::intent {

std::optional<Community> parse_community(std::string_view text) {
  const size_t first = text.find(':');
  if (first == std::string_view::npos) return std::nullopt;
  const size_t second = text.find(':', first + 1);
  const auto a = text.substr(0, first);
  if (second == std::string_view::npos) {
    auto aa = parse_decimal<uint16_t>(a);
    auto nn = parse_decimal<uint16_t>(text.substr(first + 1));
    if (!aa || !nn) return std::nullopt;
    return Community{(uint32_t{*aa} << 16) | *nn};
  }
  // A third colon leaves a part that is not a number.
  auto g = parse_decimal<uint32_t>(a);
  auto l1 = parse_decimal<uint32_t>(text.substr(first + 1, second - first - 1));
  auto l2 = parse_decimal<uint32_t>(text.substr(second + 1));
  if (!g || !l1 || !l2) return std::nullopt;
  return Community{bgp::LargeCommunity{*g, *l1, *l2}};
}

}  // namespace tern::intent
