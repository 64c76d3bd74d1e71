#pragma once
// Calico's label selector language (nodeSelector, peerSelector): all(), has(k), !has(k),
// k == 'v', k != 'v', k in {'a','b'}, k not in {...}, !, &&, ||, parentheses. Parsed once
// into a tree; a parse error says where, by character position.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace tern::intent {

using Labels = std::map<std::string, std::string, std::less<>>;

struct SelectorError {
  size_t position = 0;  // 0-based offset into the text
  std::string message;  // e.g. "expected ')'"
  std::string to_string() const;  // "at 12: expected ')'"
};

class Selector {
 public:
  // An empty or all-blank text is all().
  static std::variant<Selector, SelectorError> parse(std::string_view text);
  bool matches(const Labels& labels) const;
  // The selector in canonical form (stable; for status and golden files).
  std::string to_string() const;

  struct Node;
 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace tern::intent
