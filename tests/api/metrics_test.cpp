// /metrics against a small checker of the Prometheus text format (0.0.4): HELP and TYPE once
// per family before its samples, samples of a family together, names and label names legal,
// label values properly escaped, values numbers, no series twice, counters named *_total.

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "api/metrics.hpp"
#include "tests/api/harness.hpp"

namespace tern::api::testing {
namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Empty when `text` is valid; else the first problem, with its line number.
std::string check_exposition(const std::string& text, std::vector<Sample>* samples) {
  static const std::regex kName("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex kLabel("[a-zA-Z_][a-zA-Z0-9_]*");
  std::map<std::string, std::string> types;
  std::set<std::string> helped;
  std::set<std::string> finished;  // families whose samples are over
  std::set<std::string> series;
  std::string current;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  if (!text.empty() && text.back() != '\n') return "no final newline";
  while (std::getline(in, line)) {
    ++n;
    auto fail = [&](const std::string& why) { return "line " + std::to_string(n) + ": " + why; };
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, keyword, name;
      words >> hash >> keyword >> name;
      if (keyword != "HELP" && keyword != "TYPE") continue;  // a comment
      if (!std::regex_match(name, kName)) return fail("bad metric name " + name);
      if (finished.count(name) || name == current) return fail(keyword + " after samples");
      if (keyword == "HELP") {
        if (!helped.insert(name).second) return fail("second HELP for " + name);
      } else {
        std::string type;
        words >> type;
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kTypes.count(type)) return fail("bad type " + type);
        if (!types.emplace(name, type).second) return fail("second TYPE for " + name);
        if (type == "counter" && !name.ends_with("_total")) return fail("counter not *_total");
      }
      continue;
    }
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ')
      ++i;
    s.name = line.substr(0, i);
    if (!std::regex_match(s.name, kName)) return fail("bad metric name " + s.name);
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        size_t eq = line.find('=', i);
        if (eq == std::string::npos) return fail("label without =");
        std::string label = line.substr(i, eq - i);
        if (!std::regex_match(label, kLabel)) return fail("bad label name " + label);
        if (eq + 1 >= line.size() || line[eq + 1] != '"') return fail("label value not quoted");
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            ++j;
            if (j >= line.size()) return fail("dangling escape");
            if (line[j] == 'n') {
              value += '\n';
            } else if (line[j] == '\\' || line[j] == '"') {
              value += line[j];
            } else {
              return fail("bad escape");
            }
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) return fail("unterminated label value");
        if (!s.labels.emplace(label, value).second) return fail("label twice");
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return fail("unterminated labels");
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return fail("no value");
    std::istringstream rest(line.substr(i + 1));
    std::string value, timestamp, extra;
    rest >> value >> timestamp >> extra;
    if (!extra.empty()) return fail("trailing text");
    if (value == "+Inf" || value == "-Inf" || value == "NaN") {
      s.value = 0;
    } else {
      size_t used = 0;
      try {
        s.value = std::stod(value, &used);
      } catch (...) {
        return fail("bad value " + value);
      }
      if (used != value.size()) return fail("bad value " + value);
    }
    std::string family = s.name;
    if (family != current) {
      if (finished.count(family)) return fail("samples of " + family + " not together");
      if (!current.empty()) finished.insert(current);
      current = family;
    }
    if (!types.count(family) || !helped.count(family)) return fail("no HELP/TYPE for " + family);
    std::string key = s.name;
    for (const auto& [k, v] : s.labels)
      key += "|" + k + "=" + v;
    if (!series.insert(key).second) return fail("series twice: " + key);
    if (samples) samples->push_back(s);
  }
  return "";
}

TEST(MetricsChecker, CatchesBrokenText) {
  EXPECT_EQ(check_exposition("# HELP a x\n# TYPE a gauge\na 1\n", nullptr), "");
  EXPECT_NE(check_exposition("a 1\n", nullptr), "");  // no HELP/TYPE
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a gauge\na{l=\"x} 1\n", nullptr), "");
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a gauge\na{l=\"\\q\"} 1\n", nullptr), "");
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a gauge\na one\n", nullptr), "");
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\na 1\n", nullptr), "");
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a gauge\na 1\na 2\n", nullptr), "");
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a gauge\n# HELP b x\n# TYPE b gauge\na 1\nb 1\n"
                             "a{x=\"1\"} 1\n",
                             nullptr),
            "");
}

StatusResponse sample_status() {
  StatusResponse st;
  st.set_ready(true);
  st.set_live(true);
  st.set_intent_revision(42);
  st.set_routes_ipv4(7);
  auto* a = st.add_peers();
  a->set_name("Mesh_10_0_0_2");
  a->set_fsm_state("Established");
  a->set_prefixes_received(3);
  a->set_prefixes_accepted(2);
  a->set_prefixes_sent(5);
  a->set_updates_in(10);
  a->set_updates_out(11);
  (*a->mutable_update_errors())["treat-as-withdraw"] = 4;
  (*a->mutable_update_errors())["attribute-discard"] = 1;
  auto* b = st.add_peers();
  b->set_name("Global \"tor\"\\1\nx");  // every character that needs escaping
  b->set_fsm_state("Active");
  auto* fib = st.mutable_fib();
  fib->set_installed(6);
  fib->set_routes_written(9);
  fib->set_routes_deleted(2);
  fib->set_write_errors(1);
  return st;
}

double value_of(const std::vector<Sample>& samples, const std::string& name,
                std::map<std::string, std::string> labels = {}) {
  for (const auto& s : samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  ADD_FAILURE() << "no " << name;
  return -1;
}

TEST(Metrics, RenderIsValidAndCarriesTheStatus) {
  std::string text = render_metrics(sample_status());
  std::vector<Sample> samples;
  ASSERT_EQ(check_exposition(text, &samples), "") << text;
  EXPECT_EQ(value_of(samples, "tern_bgp_sessions", {{"state", "Established"}}), 1);
  EXPECT_EQ(value_of(samples, "tern_bgp_sessions", {{"state", "Active"}}), 1);
  EXPECT_EQ(value_of(samples, "tern_bgp_sessions", {{"state", "Idle"}}), 0);
  EXPECT_EQ(value_of(samples, "tern_bgp_peer_up", {{"peer", "Mesh_10_0_0_2"}}), 1);
  EXPECT_EQ(value_of(samples, "tern_bgp_peer_up", {{"peer", "Global \"tor\"\\1\nx"}}), 0);
  EXPECT_EQ(value_of(samples, "tern_bgp_prefixes_received", {{"peer", "Mesh_10_0_0_2"}}), 3);
  EXPECT_EQ(value_of(samples, "tern_bgp_prefixes_accepted", {{"peer", "Mesh_10_0_0_2"}}), 2);
  EXPECT_EQ(value_of(samples, "tern_bgp_prefixes_sent", {{"peer", "Mesh_10_0_0_2"}}), 5);
  EXPECT_EQ(value_of(samples, "tern_bgp_updates_in_total", {{"peer", "Mesh_10_0_0_2"}}), 10);
  EXPECT_EQ(value_of(samples, "tern_bgp_updates_out_total", {{"peer", "Mesh_10_0_0_2"}}), 11);
  EXPECT_EQ(value_of(samples, "tern_bgp_update_errors_total",
                     {{"peer", "Mesh_10_0_0_2"}, {"action", "treat-as-withdraw"}}),
            4);
  EXPECT_EQ(value_of(samples, "tern_fib_routes", {{"state", "installed"}}), 6);
  EXPECT_EQ(value_of(samples, "tern_fib_writes_total"), 9);
  EXPECT_EQ(value_of(samples, "tern_fib_deletes_total"), 2);
  EXPECT_EQ(value_of(samples, "tern_fib_write_errors_total"), 1);
  EXPECT_EQ(value_of(samples, "tern_ready"), 1);
  EXPECT_EQ(value_of(samples, "tern_intent_revision"), 42);
  EXPECT_EQ(value_of(samples, "tern_rib_routes", {{"family", "ipv4"}}), 7);
}

TEST(Metrics, EmptyStatusIsValid) {
  EXPECT_EQ(check_exposition(render_metrics(StatusResponse()), nullptr), "");
}

TEST(Metrics, LabelEscaping) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

class MetricsEndpoint : public ApiHarness {};

TEST_F(MetricsEndpoint, ServedAsPrometheusText) {
  backend_.set_status(sample_status());
  auto reply = http("GET", "/metrics");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8");
  std::vector<Sample> samples;
  ASSERT_EQ(check_exposition(reply.body, &samples), "") << reply.body;
  EXPECT_EQ(value_of(samples, "tern_intent_revision"), 1);  // the fake's own revision
}

}  // namespace
}  // namespace tern::api::testing
