#pragma once
// The tools' shorthands for api/json_quote.hpp.

#include <string>

#include "api/json_quote.hpp"

namespace tern::tools {

// `s` as a JSON string literal, quotes included.
inline std::string json_str(const std::string& s) {
  return api::json_quote(s);
}

// The same without the quotes, for text spliced into a literal.
inline std::string json_escape(const std::string& s) {
  const std::string q = api::json_quote(s);
  return q.substr(1, q.size() - 2);
}

}  // namespace tern::tools
