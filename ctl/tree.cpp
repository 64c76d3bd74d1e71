#include "ctl/tree.hpp"

#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <regex>

#include "api/json_quote.hpp"

namespace tern::ctl {

using api::json_quote;
namespace {

bool is_string(const YAML::Node& n) {
  return n.Tag() == "!";
}

// What JSON would print bare: numbers, true, false, null.
bool json_literal(const std::string& s) {
  static const std::regex number(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)");
  return s == "true" || s == "false" || s == "null" || std::regex_match(s, number);
}

void json(const YAML::Node& n, size_t indent, std::string& out) {
  const std::string pad(indent + 2, ' ');
  if (n.IsMap()) {
    if (n.size() == 0) {
      out += "{}";
      return;
    }
    out += "{\n";
    size_t i = 0;
    for (const auto& kv : n) {
      out += pad + json_quote(kv.first.Scalar()) + ": ";
      json(kv.second, indent + 2, out);
      out += ++i < n.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "}";
  } else if (n.IsSequence()) {
    if (n.size() == 0) {
      out += "[]";
      return;
    }
    out += "[\n";
    size_t i = 0;
    for (const auto& item : n) {
      out += pad;
      json(item, indent + 2, out);
      out += ++i < n.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "]";
  } else if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    out += !is_string(n) && json_literal(s) ? s : json_quote(s);
  } else {
    out += "null";
  }
}

// A plain YAML scalar a YAML 1.1 or 1.2 reader reads back as this same string.
bool plain_safe(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  if (std::string("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string::npos) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos || s.back() == ':')
    return false;
  static const std::regex special(
      R"(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)");
  // Numbers in either YAML version, YAML 1.1's base 60 ("09:17:20") and dates.
  static const std::regex numeric(
      R"([-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)");
  return !std::regex_match(s, special) && !std::regex_match(s, numeric);
}

std::string yaml_scalar(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (!is_string(n) && json_literal(s)) return s;
  return plain_safe(s) ? s : json_quote(s);  // a JSON string is a valid YAML double-quoted one
}

std::string yaml_key(const std::string& s) {
  return plain_safe(s) ? s : json_quote(s);
}

bool empty_collection(const YAML::Node& n) {
  return (n.IsMap() || n.IsSequence()) && n.size() == 0;
}

std::string inline_value(const YAML::Node& n) {
  if (n.IsMap()) return "{}";
  if (n.IsSequence()) return "[]";
  if (n.IsScalar()) return yaml_scalar(n);
  return "null";
}

void yaml(const YAML::Node& n, size_t indent, std::string& out);

// A collection as a sequence item: its first line moves up behind the "- ".
void yaml_item(const YAML::Node& item, size_t indent, std::string& out) {
  if (!(item.IsMap() || item.IsSequence()) || empty_collection(item)) {
    out += std::string(indent, ' ') + "- " + inline_value(item) + "\n";
    return;
  }
  std::string nested;
  yaml(item, indent + 2, nested);
  out += std::string(indent, ' ') + "- " + nested.substr(indent + 2);
}

void yaml(const YAML::Node& n, size_t indent, std::string& out) {
  const std::string pad(indent, ' ');
  if (n.IsMap() && n.size() > 0) {
    for (const auto& kv : n) {
      out += pad + yaml_key(kv.first.Scalar()) + ":";
      const YAML::Node& v = kv.second;
      if (v.IsMap() && v.size() > 0) {
        out += "\n";
        yaml(v, indent + 2, out);
      } else if (v.IsSequence() && v.size() > 0) {
        out += "\n";
        yaml(v, indent, out);
      } else {
        out += " " + inline_value(v) + "\n";
      }
    }
  } else if (n.IsSequence() && n.size() > 0) {
    for (const auto& item : n)
      yaml_item(item, indent, out);
  } else {
    out += pad + inline_value(n) + "\n";
  }
}

}  // namespace

std::optional<YAML::Node> message_tree(const google::protobuf::Message& message, bool defaults) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = defaults;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) {
    return std::nullopt;
  }
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

YAML::Node string_node(const std::string& value) {
  YAML::Node n(value);
  n.SetTag("!");
  return n;
}

std::string to_json(const YAML::Node& tree) {
  std::string out;
  json(tree, 0, out);
  return out + "\n";
}

std::string to_yaml(const YAML::Node& tree) {
  std::string out;
  yaml(tree, 0, out);
  return out;
}

}  // namespace tern::ctl
