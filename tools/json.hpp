#pragma once
// The little JSON the tools write by hand: strings escaped, control characters dropped (peer
// texts such as RFC 9003 shutdown messages may carry them).

#include <string>

namespace tern::tools {

inline std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) continue;
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

// `s` as a JSON string literal, quotes included.
inline std::string json_str(const std::string& s) {
  return "\"" + json_escape(s) + "\"";
}

}  // namespace tern::tools
