#include "daemon/intent/selector.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace tern::intent {

struct Selector::Node {
  enum class Kind {
    kAll,
    kHas,
    kEq,
    kNe,
    kIn,
    kNotIn,
    kContains,
    kStartsWith,
    kEndsWith,
    kNot,
    kAnd,
    kOr
  };
  Kind kind = Kind::kAll;
  std::string key;
  std::vector<std::string> values;  // one for the comparisons; sorted and unique for sets
  std::vector<std::shared_ptr<const Node>> children;  // one for kNot; two or more for kAnd/kOr
};

namespace {

using Node = Selector::Node;
using Kind = Node::Kind;
using NodePtr = std::shared_ptr<const Node>;

// Recursion in the parser, matcher and printer is bounded by this, so hostile text cannot
// overflow the stack.
constexpr int kMaxDepth = 128;

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '/';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

NodePtr leaf(Kind kind, std::string key, std::vector<std::string> values = {}) {
  auto n = std::make_shared<Node>();
  n->kind = kind;
  n->key = std::move(key);
  n->values = std::move(values);
  return n;
}

// Nested runs of the same operator are flattened: `a && (b && c)` is `a && b && c`, which keeps
// the canonical text free of redundant parentheses and the tree shallow.
NodePtr combine(Kind kind, std::vector<NodePtr> parts) {
  if (parts.size() == 1) return std::move(parts.front());
  auto n = std::make_shared<Node>();
  n->kind = kind;
  for (auto& p : parts) {
    if (p->kind == kind)
      n->children.insert(n->children.end(), p->children.begin(), p->children.end());
    else
      n->children.push_back(std::move(p));
  }
  return n;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::variant<NodePtr, SelectorError> run() {
    skip_space();
    if (pos_ == text_.size()) return leaf(Kind::kAll, "");
    NodePtr root = parse_or();
    if (!error_) {
      skip_space();
      if (pos_ != text_.size()) fail(pos_, "unexpected text after selector");
    }
    if (error_) return *error_;
    return root;
  }

 private:
  NodePtr parse_or() {
    std::vector<NodePtr> parts{parse_and()};
    while (!error_ && eat("||"))
      parts.push_back(parse_and());
    return error_ ? nullptr : combine(Kind::kOr, std::move(parts));
  }

  NodePtr parse_and() {
    std::vector<NodePtr> parts{parse_unary()};
    while (!error_ && eat("&&"))
      parts.push_back(parse_unary());
    return error_ ? nullptr : combine(Kind::kAnd, std::move(parts));
  }

  NodePtr parse_unary() {
    skip_space();
    const size_t start = pos_;
    if (pos_ == text_.size()) return fail(pos_, "unexpected end of selector");
    if (text_[pos_] == '!' || text_[pos_] == '(') {
      if (depth_ == kMaxDepth) return fail(start, "nesting deeper than 128 levels");
      ++depth_;
      NodePtr inner;
      if (text_[pos_++] == '!') {
        auto n = std::make_shared<Node>();
        n->kind = Kind::kNot;
        n->children.push_back(parse_unary());
        inner = std::move(n);
      } else {
        inner = parse_or();
        if (!error_ && !eat(")")) fail(pos_, "expected ')'");
      }
      --depth_;
      return error_ ? nullptr : inner;
    }
    std::string key = parse_key();
    if (key.empty()) return fail(start, "expected a label key, has() or all()");
    if ((key == "has" || key == "all") && eat("(")) {
      std::string arg;
      if (key == "has") {
        skip_space();
        const size_t key_pos = pos_;
        arg = parse_key();
        if (arg.empty()) return fail(key_pos, "expected a label key");
      }
      if (!eat(")")) return fail(pos_, "expected ')'");
      return key == "has" ? leaf(Kind::kHas, std::move(arg)) : leaf(Kind::kAll, "");
    }
    return parse_comparison(std::move(key));
  }

  NodePtr parse_comparison(std::string key) {
    skip_space();
    const size_t op_pos = pos_;
    Kind kind;
    if (eat("==")) {
      kind = Kind::kEq;
    } else if (eat("!=")) {
      kind = Kind::kNe;
    } else if (eat_word("in")) {
      return parse_set(Kind::kIn, std::move(key));
    } else if (eat_word("not")) {
      if (!eat_word("in")) return fail(op_pos, "unknown operator");
      return parse_set(Kind::kNotIn, std::move(key));
    } else if (eat_word("contains")) {
      kind = Kind::kContains;
    } else if (eat_word("starts")) {
      if (!eat_word("with")) return fail(op_pos, "unknown operator");
      kind = Kind::kStartsWith;
    } else if (eat_word("ends")) {
      if (!eat_word("with")) return fail(op_pos, "unknown operator");
      kind = Kind::kEndsWith;
    } else if (pos_ == text_.size()) {
      return fail(pos_, "unexpected end of selector");
    } else {
      return fail(op_pos, "unknown operator");
    }
    auto value = parse_string();
    if (!value) return nullptr;
    return leaf(kind, std::move(key), {std::move(*value)});
  }

  NodePtr parse_set(Kind kind, std::string key) {
    if (!eat("{")) return fail(pos_, "expected '{'");
    std::vector<std::string> values;
    if (!eat("}")) {
      do {
        auto value = parse_string();
        if (!value) return nullptr;
        values.push_back(std::move(*value));
      } while (eat(","));
      if (!eat("}")) return fail(pos_, "expected ',' or '}'");
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return leaf(kind, std::move(key), std::move(values));
  }

  // Calico's strings have no escapes: a value runs to the next matching quote.
  std::optional<std::string> parse_string() {
    skip_space();
    if (pos_ == text_.size()) return fail_string(pos_, "unexpected end of selector");
    const char quote = text_[pos_];
    if (quote != '\'' && quote != '"') return fail_string(pos_, "expected a quoted string");
    const size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) return fail_string(pos_, "unterminated string");
    std::string value(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return value;
  }

  std::string parse_key() {
    const size_t start = pos_;
    while (pos_ < text_.size() && is_key_char(text_[pos_]))
      ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_]))
      ++pos_;
  }

  bool eat(std::string_view token) {
    skip_space();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  // A keyword must end where a key would: `inside` is not `in` followed by `side`.
  bool eat_word(std::string_view word) {
    skip_space();
    const size_t end = pos_ + word.size();
    if (text_.substr(pos_, word.size()) != word) return false;
    if (end < text_.size() && is_key_char(text_[end])) return false;
    pos_ = end;
    return true;
  }

  NodePtr fail(size_t position, std::string message) {
    if (!error_) error_ = SelectorError{position, std::move(message)};
    return nullptr;
  }

  std::optional<std::string> fail_string(size_t position, std::string message) {
    fail(position, std::move(message));
    return std::nullopt;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::optional<SelectorError> error_;
};

bool eval(const Node& n, const Labels& labels) {
  if (n.kind == Kind::kAll) return true;
  if (n.kind == Kind::kNot) return !eval(*n.children.front(), labels);
  if (n.kind == Kind::kAnd || n.kind == Kind::kOr) {
    const bool is_and = n.kind == Kind::kAnd;
    for (const auto& c : n.children)
      if (eval(*c, labels) != is_and) return !is_and;
    return is_and;
  }
  auto it = labels.find(n.key);
  if (it == labels.end()) return n.kind == Kind::kNe || n.kind == Kind::kNotIn;
  const std::string& v = it->second;
  switch (n.kind) {
    case Kind::kHas:
      return true;
    case Kind::kEq:
      return v == n.values.front();
    case Kind::kNe:
      return v != n.values.front();
    case Kind::kIn:
      return std::binary_search(n.values.begin(), n.values.end(), v);
    case Kind::kNotIn:
      return !std::binary_search(n.values.begin(), n.values.end(), v);
    case Kind::kContains:
      return v.find(n.values.front()) != std::string::npos;
    case Kind::kStartsWith:
      return v.starts_with(n.values.front());
    case Kind::kEndsWith:
      return v.ends_with(n.values.front());
    default:
      return false;
  }
}

// Double quotes unless the value holds one; a parsed value never holds both kinds.
std::string quote(const std::string& v) {
  const char q = v.find('"') == std::string::npos ? '"' : '\'';
  return q + v + q;
}

std::string print(const Node& n) {
  auto nested = [](const Node& c, bool wrap) { return wrap ? "(" + print(c) + ")" : print(c); };
  switch (n.kind) {
    case Kind::kAll:
      return "all()";
    case Kind::kHas:
      return "has(" + n.key + ")";
    case Kind::kEq:
      return n.key + " == " + quote(n.values.front());
    case Kind::kNe:
      return n.key + " != " + quote(n.values.front());
    case Kind::kContains:
      return n.key + " contains " + quote(n.values.front());
    case Kind::kStartsWith:
      return n.key + " starts with " + quote(n.values.front());
    case Kind::kEndsWith:
      return n.key + " ends with " + quote(n.values.front());
    case Kind::kIn:
    case Kind::kNotIn: {
      std::string out = n.key + (n.kind == Kind::kIn ? " in {" : " not in {");
      for (size_t i = 0; i < n.values.size(); ++i)
        out += (i ? ", " : "") + quote(n.values[i]);
      return out + "}";
    }
    case Kind::kNot: {
      const Node& c = *n.children.front();
      return "!" + nested(c, c.kind == Kind::kAnd || c.kind == Kind::kOr);
    }
    case Kind::kAnd:
    case Kind::kOr: {
      std::string out;
      for (const auto& c : n.children) {
        if (!out.empty()) out += n.kind == Kind::kAnd ? " && " : " || ";
        out += nested(*c, n.kind == Kind::kAnd && c->kind == Kind::kOr);
      }
      return out;
    }
  }
  return "";
}

}  // namespace

std::string SelectorError::to_string() const {
  return "at " + std::to_string(position) + ": " + message;
}

std::variant<Selector, SelectorError> Selector::parse(std::string_view text) {
  auto result = Parser(text).run();
  if (auto* err = std::get_if<SelectorError>(&result)) return std::move(*err);
  Selector s;
  s.root_ = std::move(std::get<NodePtr>(result));
  return s;
}

// A default-constructed Selector has no tree and behaves as all().
bool Selector::matches(const Labels& labels) const {
  return !root_ || eval(*root_, labels);
}

std::string Selector::to_string() const {
  return root_ ? print(*root_) : "all()";
}

}  // namespace tern::intent
