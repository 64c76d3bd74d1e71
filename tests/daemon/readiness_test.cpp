#include "daemon/readiness.hpp"

#include <gtest/gtest.h>

namespace tern {
namespace {

using namespace std::chrono_literals;

ReadinessInput bgp(std::chrono::seconds up, std::vector<bool> established, bool gr = false) {
  ReadinessInput in;
  in.bgp_enabled = true;
  in.bgp_uptime = up;
  for (size_t i = 0; i < established.size(); ++i)
    in.sessions.push_back({"Mesh_10_0_0_" + std::to_string(i + 1), established[i]});
  in.graceful_restart_pending = gr;
  return in;
}

TEST(Readiness, WithoutBgpItDoesNotDependOnSessions) {
  ReadinessInput in;
  in.bgp_enabled = false;
  in.sessions.push_back({"Mesh_10_0_0_1", false});
  EXPECT_TRUE(judge_readiness(in).ready);
}

TEST(Readiness, EarlyEverySessionMustBeEstablished) {
  auto r = judge_readiness(bgp(5s, {true, false}));
  EXPECT_FALSE(r.ready);
  EXPECT_NE(r.reason.find("Mesh_10_0_0_2"), std::string::npos) << r.reason;
  EXPECT_TRUE(judge_readiness(bgp(5s, {true, true})).ready);
}

TEST(Readiness, EarlyAPendingGracefulRestartIsNotReady) {
  auto r = judge_readiness(bgp(5s, {true, true}, true));
  EXPECT_FALSE(r.ready);
  EXPECT_NE(r.reason.find("graceful restart"), std::string::npos);
}

TEST(Readiness, AfterTheGraceOneEstablishedSessionIsEnough) {
  EXPECT_TRUE(judge_readiness(bgp(31s, {false, true})).ready);
  EXPECT_TRUE(judge_readiness(bgp(31s, {false, true}, true)).ready);
  EXPECT_FALSE(judge_readiness(bgp(31s, {false, false})).ready);
}

TEST(Readiness, NoPlannedPeersIsReady) {
  EXPECT_TRUE(judge_readiness(bgp(1s, {})).ready);
}

}  // namespace
}  // namespace tern
