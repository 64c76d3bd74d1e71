#pragma once
// Community values as Calico writes them (BGPConfiguration communities[].value and
// prefixAdvertisements[].communities): "aa:nn" is a standard community with 16-bit parts,
// "aa:nn:mm" a large one (RFC 8092) with 32-bit parts.

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "bgp/wire/message.hpp"

namespace tern::intent {

// A standard community is aa << 16 | nn.
using Community = std::variant<uint32_t, bgp::LargeCommunity>;

std::optional<Community> parse_community(std::string_view text);

}  // namespace tern::intent
