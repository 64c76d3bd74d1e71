// Calico's label selectors: what each operator matches (absent keys included), how && and ||
// bind, where errors are reported, and that the canonical text parses back to the same thing.

#include "daemon/intent/selector.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tern::intent {
namespace {

Selector must_parse(std::string_view text) {
  auto r = Selector::parse(text);
  if (auto* e = std::get_if<SelectorError>(&r)) {
    ADD_FAILURE() << "'" << text << "': " << e->to_string();
    return Selector{};
  }
  return std::get<Selector>(r);
}

// The label sets every selector in the table is matched against.
const std::vector<Labels>& label_sets() {
  static const std::vector<Labels> sets = {
      {},                                                         // 0: no labels
      {{"rack", "rack-1"}, {"role", "worker"}},                   // 1
      {{"rack", "rack-2"}, {"role", "route-reflector"}},          // 2
      {{"kubernetes.io/hostname", "node-a"}, {"zone", "eu-1a"}},  // 3
      {{"node.kubernetes.io/exclude-from-external-load-balancers", ""}, {"rack", "rack-1"}},  // 4
  };
  return sets;
}

struct Row {
  const char* selector;
  std::string expected;  // one '1' or '0' per label set, in label_sets() order
};

const std::vector<Row> kTable = {
    {"", "11111"},
    {"   \t\n", "11111"},
    {"all()", "11111"},
    {"all( )", "11111"},
    {"has(rack)", "01101"},
    {"has( rack )", "01101"},
    {"!has(rack)", "10010"},
    {"has(kubernetes.io/hostname)", "00010"},
    {"has(node.kubernetes.io/exclude-from-external-load-balancers)", "00001"},
    {"rack == 'rack-1'", "01001"},
    {"rack == \"rack-1\"", "01001"},
    {"rack=='rack-1'", "01001"},
    {"kubernetes.io/hostname == 'node-a'", "00010"},
    {"node.kubernetes.io/exclude-from-external-load-balancers == ''", "00001"},
    {"rack != 'rack-1'", "10110"},  // absent key: != holds
    {"rack in {'rack-1', 'rack-2'}", "01101"},
    {"rack in {\"rack-2\"}", "00100"},
    {"rack in {}", "00000"},
    {"rack in{'rack-1','rack-1'}", "01001"},
    {"rack not in {'rack-1'}", "10110"},  // absent key: not in holds
    {"rack not in {}", "11111"},
    {"role contains 'reflect'", "00100"},
    {"role contains ''", "01100"},  // absent key: false even for the empty needle
    {"rack starts with 'rack-'", "01101"},
    {"zone ends with '-1a'", "00010"},
    {"zone ends with 'eu'", "00000"},
    {"!rack == 'rack-1'", "10110"},
    {"!!has(rack)", "01101"},
    {"!(has(rack) && role == 'worker')", "10111"},
    {"has(rack) && role == 'worker'", "01000"},
    {"has(rack)&&has(role)", "01100"},
    {"has(zone) || role == 'worker'", "01010"},
    // && binds tighter than ||: this is has(zone) || (has(rack) && role == 'worker').
    {"has(zone) || has(rack) && role == 'worker'", "01010"},
    {"(has(zone) || has(rack)) && role == 'worker'", "01000"},
    {"has(rack) && role == 'worker' || has(zone)", "01010"},
    {"has(rack) && (role == 'worker' || has(zone))", "01000"},
    {"((rack == 'rack-2'))", "00100"},
    {"!(rack == 'rack-1' || rack == 'rack-2') && all()", "10010"},
    {"rack != 'rack-1' && rack != 'rack-2'", "10010"},
    {"has(has) || has == 'x' || all == 'y' || in in {'in'}", "00000"},
    {" ( rack in { 'rack-1' } ) || ( zone == \"eu-1a\" ) ", "01011"},
};

TEST(Selector, TableOfOperatorsAndLabelSets) {
  for (const auto& row : kTable) {
    Selector s = must_parse(row.selector);
    ASSERT_EQ(row.expected.size(), label_sets().size()) << row.selector;
    for (size_t i = 0; i < label_sets().size(); ++i)
      EXPECT_EQ(s.matches(label_sets()[i]), row.expected[i] == '1')
          << "'" << row.selector << "' against label set " << i;
  }
}

TEST(Selector, CanonicalTextParsesBackToTheSameSelector) {
  for (const auto& row : kTable) {
    Selector s = must_parse(row.selector);
    const std::string text = s.to_string();
    Selector again = must_parse(text);
    EXPECT_EQ(again.to_string(), text) << row.selector;
    for (size_t i = 0; i < label_sets().size(); ++i)
      EXPECT_EQ(again.matches(label_sets()[i]), s.matches(label_sets()[i]))
          << "'" << row.selector << "' printed as '" << text << "', label set " << i;
  }
}

TEST(Selector, CanonicalForm) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"", "all()"},
      {"rack=='a'", "rack == \"a\""},
      {"v == 'say \"hi\"'", "v == 'say \"hi\"'"},
      {"rack in {'b','a','b'}", "rack in {\"a\", \"b\"}"},
      {"rack not in {}", "rack not in {}"},
      {"!has( x )", "!has(x)"},
      {"a starts with 'p' && b ends with 's' && c contains 'm'",
       "a starts with \"p\" && b ends with \"s\" && c contains \"m\""},
      {"(has(a) && has(b)) && has(c)", "has(a) && has(b) && has(c)"},
      {"has(a) || (has(b) || has(c))", "has(a) || has(b) || has(c)"},
      {"has(a) || has(b) && has(c)", "has(a) || has(b) && has(c)"},
      {"(has(a) || has(b)) && has(c)", "(has(a) || has(b)) && has(c)"},
      {"!(has(a) && has(b))", "!(has(a) && has(b))"},
      {"((has(a)))", "has(a)"},
  };
  for (const auto& [in, out] : cases)
    EXPECT_EQ(must_parse(in).to_string(), out) << in;
  EXPECT_EQ(Selector{}.to_string(), "all()");
  EXPECT_TRUE(Selector{}.matches({}));
}

TEST(Selector, ErrorsSayWhere) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"!", "at 1: unexpected end of selector"},
      {"a", "at 1: unexpected end of selector"},
      {"a ==", "at 4: unexpected end of selector"},
      {"a == 'x' ||", "at 11: unexpected end of selector"},
      {"has(a) && ", "at 10: unexpected end of selector"},
      {"a && b", "at 2: unknown operator"},
      {"(a == 'x'", "at 9: expected ')'"},
      {"(has(a) && b == 'x' x", "at 20: expected ')'"},
      {"has(a", "at 5: expected ')'"},
      {"all(", "at 4: expected ')'"},
      {"has()", "at 4: expected a label key"},
      {"a == 'x", "at 5: unterminated string"},
      {"a in {'x', \"y}", "at 11: unterminated string"},
      {"a = 'x'", "at 2: unknown operator"},
      {"a inside {'x'}", "at 2: unknown operator"},
      {"a not {'x'}", "at 2: unknown operator"},
      {"a starts 'x'", "at 2: unknown operator"},
      {"a == x", "at 5: expected a quoted string"},
      {"a in 'x'", "at 5: expected '{'"},
      {"a in {'x' 'y'}", "at 10: expected ',' or '}'"},
      {"a in {'x',}", "at 10: expected a quoted string"},
      {"&& a == 'x'", "at 0: expected a label key, has() or all()"},
      {"a == 'x' b", "at 9: unexpected text after selector"},
      {"a == 'x')", "at 8: unexpected text after selector"},
      {"a == 'x' | b == 'y'", "at 9: unexpected text after selector"},
  };
  for (const auto& [in, want] : cases) {
    auto r = Selector::parse(in);
    const auto* e = std::get_if<SelectorError>(&r);
    ASSERT_NE(e, nullptr) << "'" << in << "' parsed";
    EXPECT_EQ(e->to_string(), want) << in;
  }
}

TEST(Selector, DeepNestingIsRefusedNotOverflowed) {
  const auto nested = [](size_t depth) {
    return std::string(depth, '(') + "has(a)" + std::string(depth, ')');
  };
  EXPECT_TRUE(must_parse(nested(128)).matches({{"a", ""}}));
  auto r = Selector::parse(nested(129));
  ASSERT_TRUE(std::holds_alternative<SelectorError>(r));
  EXPECT_EQ(std::get<SelectorError>(r).position, 128u);

  for (const std::string& hostile :
       {std::string(1'000'000, '('), std::string(1'000'000, '!') + "has(a)"}) {
    auto h = Selector::parse(hostile);
    ASSERT_TRUE(std::holds_alternative<SelectorError>(h));
    EXPECT_EQ(std::get<SelectorError>(h).to_string(), "at 128: nesting deeper than 128 levels");
  }
}

TEST(Selector, LongFlatChainsAreNotNesting) {
  std::string text = "has(a)";
  for (int i = 0; i < 10'000; ++i)
    text += " && has(a) || has(b)";
  Selector s = must_parse(text);
  EXPECT_TRUE(s.matches({{"a", "1"}}));
  EXPECT_TRUE(s.matches({{"b", "1"}}));
  EXPECT_FALSE(s.matches({}));
}

}  // namespace
}  // namespace tern::intent
