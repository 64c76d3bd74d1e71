// Golden plans: each case's intent (protobuf text) planned for some of its nodes, printed with
// plan_text and compared with <case>/<node>.plan.txt. TERN_UPDATE_GOLDEN=1 rewrites the files;
// every rewritten file is then read against the reference by hand before it is committed.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "daemon/plan/plan_text.hpp"
#include "daemon/plan/planner.hpp"
#include "tests/daemon/plan/intent_file.hpp"

namespace tern::plan {
namespace {

struct Case {
  const char* dir;
  const char* node;
  Backend backend = Backend::kBird;
};

const Case kCases[] = {
    {"mesh3", "node-a"},       {"mesh3", "node-c"},     {"rr", "node-rr"},
    {"rr", "node-3"},          {"explicit", "node-a"},  {"explicit", "node-d"},
    {"selectors", "worker-1"}, {"selectors", "edge-1"}, {"selectors", "edge-2"},
    {"selectors", "border"},   {"ports", "node-a"},     {"ports", "node-b"},
    {"passwords", "node-a"},   {"mixed_as", "node-a"},  {"mixed_as", "node-c"},
    {"string_order", "n5"},    {"string_order", "n10"}, {"ipv6", "dual-a"},
    {"ipv6", "v6-only"},       {"vxlan", "node-a"},     {"vxlan", "node-a", Backend::kVxlan},
    {"vxlan", "nowhere"},
};

std::string golden_path(const Case& c) {
  std::string name = c.node;
  if (c.backend == Backend::kVxlan) name += ".vxlan";
  if (c.backend == Backend::kNone) name += ".none";
  return case_dir(c.dir) + "/" + name + ".plan.txt";
}

class Golden : public ::testing::TestWithParam<Case> {};

TEST_P(Golden, PlanMatchesFile) {
  const Case& c = GetParam();
  const auto intent = load_intent(c.dir);
  const std::string text = plan_text(make_plan(intent, c.node, c.backend), {.show_secrets = true});
  const std::string path = golden_path(c);
  if (const char* u = std::getenv("TERN_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path) << text;
    GTEST_SKIP() << "rewrote " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "no golden file " << path << " (run with TERN_UPDATE_GOLDEN=1)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(text, want.str()) << "plan of " << c.node << " differs from " << path;
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string n = std::string(info.param.dir) + "_" + info.param.node;
                           if (info.param.backend == Backend::kVxlan) n += "_vxlan";
                           for (char& ch : n)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace tern::plan
