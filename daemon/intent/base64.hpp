#pragma once
// A Secret's data values are base64 as Kubernetes reads them into bytes (Go's
// base64.StdEncoding): padding is required, line breaks (\r, \n) are skipped, nothing else is.

#include <optional>
#include <string>
#include <string_view>

namespace tern::intent {

// The decoded bytes, or nullopt when the text is not padded standard base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace tern::intent
