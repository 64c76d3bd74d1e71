#pragma once
// A string as a JSON string literal, with RFC 8259's escapes (control characters as \u00XX):
// the one quoting every hand-written JSON in tern uses (REST errors, ternctl, status files,
// the tools).

#include <cstdio>
#include <string>
#include <string_view>

namespace tern::api {

inline std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace tern::api
