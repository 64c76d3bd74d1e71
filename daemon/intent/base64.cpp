#include "daemon/intent/base64.hpp"

#include <cstdint>

namespace tern::intent {
namespace {

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int have = 0;  // characters of the current group of four
  int pad = 0;
  for (char c : text) {
    if (c == '\n' || c == '\r') continue;
    if (c == '=') {
      // "xx==" or "xxx=": padding only completes a group holding at least one whole byte.
      if (have < 2 || have + ++pad > 4) return std::nullopt;
      continue;
    }
    const int v = sextet(c);
    if (v < 0 || pad > 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    if (++have == 4) {
      out.push_back(static_cast<char>(acc >> 16));
      out.push_back(static_cast<char>((acc >> 8) & 0xff));
      out.push_back(static_cast<char>(acc & 0xff));
      acc = 0;
      have = 0;
    }
  }
  if (have == 0) return out;
  if (have + pad != 4) return std::nullopt;
  // Like Go (not in strict mode), the unused low bits of the last character may be set.
  if (have == 2) {
    out.push_back(static_cast<char>((acc >> 4) & 0xff));
  } else {
    out.push_back(static_cast<char>((acc >> 10) & 0xff));
    out.push_back(static_cast<char>((acc >> 2) & 0xff));
  }
  return out;
}

}  // namespace tern::intent
