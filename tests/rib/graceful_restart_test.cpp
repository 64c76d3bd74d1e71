// Graceful restart helper (RFC 4724 4.2) over an injected clock: what is kept, for how long,
// and what a second restart, a lost forwarding state or End-of-RIB do.

#include "rib/graceful_restart.hpp"

#include <gtest/gtest.h>

namespace tern::rib {
namespace {

using namespace std::chrono_literals;
using Clock = GrHelper::Clock;

bgp::GracefulRestartCap cap(uint16_t restart_time, bool v4 = true, bool forwarding = true) {
  bgp::GracefulRestartCap c;
  c.restart_time = restart_time;
  if (v4) c.families.push_back({bgp::kIpv4Unicast, forwarding});
  return c;
}

constexpr std::array<bool, bgp::kFamilyCount> kV4{true, false};
constexpr std::array<bool, bgp::kFamilyCount> kBoth{true, true};

TEST(GrHelper, TcpLossKeepsTheListedFamiliesAndDropsTheRest) {
  GrHelper gr;
  const auto t0 = Clock::time_point{} + 1000s;
  const auto a = gr.session_down(true, cap(120), kBoth, t0);
  EXPECT_TRUE(a.mark_stale[0]);
  EXPECT_TRUE(a.drop[1]) << "IPv6 was not in the capability";
  EXPECT_EQ(gr.next_deadline(), t0 + 120s);
}

TEST(GrHelper, NotificationOrNoCapabilityOrZeroTimeDropsAtOnce) {
  const auto t0 = Clock::time_point{} + 1000s;
  EXPECT_TRUE(GrHelper{}.session_down(false, cap(120), kV4, t0).drop[0]);
  EXPECT_TRUE(GrHelper{}.session_down(true, std::nullopt, kV4, t0).drop[0]);
  EXPECT_TRUE(GrHelper{}.session_down(true, cap(0), kV4, t0).drop[0]);
}

TEST(GrHelper, RestartTimeRunningOutSweeps) {
  GrHelper gr;
  const auto t0 = Clock::time_point{} + 1000s;
  gr.session_down(true, cap(120), kV4, t0);
  EXPECT_FALSE(gr.expire(t0 + 119s).sweep[0]);
  EXPECT_TRUE(gr.expire(t0 + 120s).sweep[0]);
  EXPECT_FALSE(gr.next_deadline());
}

TEST(GrHelper, BackWithForwardingStateWaitsForEndOfRib) {
  GrHelper gr(300s);
  const auto t0 = Clock::time_point{} + 1000s;
  gr.session_down(true, cap(120), kV4, t0);
  const auto a = gr.established(cap(120), t0 + 30s);
  EXPECT_FALSE(a.sweep[0]);
  EXPECT_EQ(gr.next_deadline(), t0 + 330s) << "the stale timer replaces the restart timer";
  EXPECT_FALSE(gr.expire(t0 + 200s).sweep[0]) << "the restart time no longer applies";
  EXPECT_TRUE(gr.end_of_rib(bgp::kIpv4Unicast).sweep[0]);
  EXPECT_FALSE(gr.retaining(bgp::kIpv4Unicast));
}

TEST(GrHelper, BackWithoutForwardingStateSweepsAtOnce) {
  GrHelper gr;
  const auto t0 = Clock::time_point{} + 1000s;
  gr.session_down(true, cap(120), kV4, t0);
  EXPECT_TRUE(gr.established(cap(120, true, false), t0 + 5s).sweep[0]) << "F bit clear";
  gr.session_down(true, cap(120), kV4, t0);
  EXPECT_TRUE(gr.established(std::nullopt, t0 + 5s).sweep[0]) << "no capability any more";
}

TEST(GrHelper, NoEndOfRibSweepsWhenTheStaleTimerRunsOut) {
  GrHelper gr(300s);
  const auto t0 = Clock::time_point{} + 1000s;
  gr.session_down(true, cap(120), kV4, t0);
  gr.established(cap(120), t0 + 10s);
  EXPECT_TRUE(gr.expire(t0 + 310s).sweep[0]);
}

TEST(GrHelper, ASecondRestartMarksAgainWithANewDeadline) {
  GrHelper gr;
  const auto t0 = Clock::time_point{} + 1000s;
  gr.session_down(true, cap(120), kV4, t0);
  gr.established(cap(120), t0 + 10s);
  const auto a = gr.session_down(true, cap(60), kV4, t0 + 20s);
  EXPECT_TRUE(a.mark_stale[0]) << "the Loc-RIB drops what is still stale and marks the rest";
  EXPECT_EQ(gr.next_deadline(), t0 + 80s);
}

TEST(GrHelper, EndOfRibOutsideARestartChangesNothing) {
  GrHelper gr;
  EXPECT_FALSE(gr.end_of_rib(bgp::kIpv4Unicast).sweep[0]);
}

}  // namespace
}  // namespace tern::rib
