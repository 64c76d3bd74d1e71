#pragma once
// Human-readable text for messages (logs, the decode tool, test failure output), and the hex
// form test vectors are stored in.

#include <optional>
#include <string>
#include <string_view>

#include "bgp/wire/context.hpp"
#include "bgp/wire/message.hpp"

namespace tern::bgp {

std::string to_string(const Capabilities& c);
std::string to_string(const PathAttributes& a);
std::string to_string(const Message& m);

// The codec context a captured vector was recorded under, read from its '#' notes in the form
// interop/capture/capture_vectors.sh writes ("# negotiated ...: as4: yes, extended-message:
// yes, addpath-rx: ipv4 no, ipv6 yes, ebgp: yes"; "extended next hop" on the scenario line).
CodecContext context_from_notes(std::string_view text);

std::string to_hex(ByteSpan bytes);
// Parses hex, ignoring whitespace and lines starting with '#'. nullopt on any other character
// or an odd number of digits.
std::optional<Bytes> from_hex(std::string_view text);

}  // namespace tern::bgp
