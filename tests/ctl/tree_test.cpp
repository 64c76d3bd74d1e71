#include "ctl/tree.hpp"

#include <gtest/gtest.h>

namespace tern::ctl {
namespace {

YAML::Node load(const std::string& json) {
  return YAML::Load(json);
}

TEST(Tree, JsonKeepsTypesAndOrder) {
  const auto tree = load(R"({"b": "1", "a": 2, "c": true, "d": null, "e": [], "f": {}})");
  EXPECT_EQ(to_json(tree),
            "{\n  \"b\": \"1\",\n  \"a\": 2,\n  \"c\": true,\n  \"d\": null,\n  \"e\": [],\n"
            "  \"f\": {}\n}\n");
}

TEST(Tree, YamlQuotesWhatAReaderWouldMisread) {
  const auto tree = load(
      R"({"n": "123", "t": "true", "y": "yes", "s": "09:17:20", "ip": "10.0.0.1",
          "cidr": "10.0.0.0/24", "e": "", "colon": "a: b", "dash": "-x", "num": 5,
          "v6": "fd00::1", "date": "2024-03-05", "plain": "node-to-node mesh"})");
  EXPECT_EQ(to_yaml(tree),
            "\"n\": \"123\"\n"  // keys too: n and y are YAML 1.1 booleans
            "t: \"true\"\n"
            "\"y\": \"yes\"\n"
            "s: \"09:17:20\"\n"
            "ip: 10.0.0.1\n"
            "cidr: 10.0.0.0/24\n"
            "e: \"\"\n"
            "colon: \"a: b\"\n"
            "dash: \"-x\"\n"
            "num: 5\n"
            "v6: fd00::1\n"
            "date: \"2024-03-05\"\n"
            "plain: node-to-node mesh\n");
}

TEST(Tree, YamlNestsBlocks) {
  const auto tree =
      load(R"({"spec": {"list": [{"cidr": "a", "x": 1}, "s", [1, 2]], "m": {"k": "v"}, "e": []}})");
  EXPECT_EQ(to_yaml(tree),
            "spec:\n"
            "  list:\n"
            "  - cidr: a\n"
            "    x: 1\n"
            "  - s\n"
            "  - - 1\n"
            "    - 2\n"
            "  m:\n"
            "    k: v\n"
            "  e: []\n");
}

TEST(Tree, YamlReadsBackEqual) {
  const auto tree = load(R"({"a": "0x10", "b": ["~", "null", " x", "#c"], "c": {"d": "e\nf"}})");
  const auto back = YAML::Load(to_yaml(tree));
  EXPECT_EQ(back["a"].as<std::string>(), "0x10");
  EXPECT_EQ(back["b"][0].as<std::string>(), "~");
  EXPECT_EQ(back["b"][1].as<std::string>(), "null");
  EXPECT_EQ(back["b"][2].as<std::string>(), " x");
  EXPECT_EQ(back["b"][3].as<std::string>(), "#c");
  EXPECT_EQ(back["c"]["d"].as<std::string>(), "e\nf");
}

}  // namespace
}  // namespace tern::ctl
