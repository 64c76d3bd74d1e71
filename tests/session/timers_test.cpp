// Timer policy without waiting: jitter range, back-off sequence, RFC 9687 send hold time.

#include <gtest/gtest.h>

#include "bgp/session/timers.hpp"

namespace tern::bgp {
namespace {

TEST(Timers, JitterStaysWithinThreeQuartersAndOne) {
  const Millis base(80000);
  EXPECT_EQ(jittered(base, 0), Millis(60000));
  EXPECT_LE(jittered(base, 0xffffffffu), base);
  EXPECT_GE(jittered(base, 0xffffffffu), Millis(79999));
  for (uint32_t r = 1; r < 0xfff00000u; r += 0x0fff0001u) {
    const Millis j = jittered(base, r);
    EXPECT_GE(j, Millis(60000));
    EXPECT_LE(j, base);
  }
}

TEST(Timers, IdleHoldBacksOffFromFiveToThirtySeconds) {
  const Millis lo(5000), hi(30000);
  EXPECT_EQ(idle_hold_backoff(lo, hi, 1), Millis(5000));
  EXPECT_EQ(idle_hold_backoff(lo, hi, 2), Millis(10000));
  EXPECT_EQ(idle_hold_backoff(lo, hi, 3), Millis(20000));
  EXPECT_EQ(idle_hold_backoff(lo, hi, 4), Millis(30000));
  EXPECT_EQ(idle_hold_backoff(lo, hi, 1000), Millis(30000));
}

TEST(Timers, SendHoldTimeRfc9687) {
  EXPECT_EQ(send_hold_time(Millis(0), Millis(90000)), Millis(480000));
  EXPECT_EQ(send_hold_time(Millis(0), Millis(300000)), Millis(600000));
  EXPECT_EQ(send_hold_time(Millis(1000), Millis(0)), Millis(1000));
  EXPECT_GT(send_hold_time(Millis(1000), Millis(3000)), Millis(3000))
      << "a configured value must exceed the hold time";
}

}  // namespace
}  // namespace tern::bgp
