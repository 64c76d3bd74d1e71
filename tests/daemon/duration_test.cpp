#include "daemon/intent/duration.hpp"

#include <gtest/gtest.h>

namespace tern::intent {
namespace {

TEST(Duration, GoSyntax) {
  EXPECT_EQ(parse_duration_seconds("120s"), 120u);
  EXPECT_EQ(parse_duration_seconds("2m"), 120u);
  EXPECT_EQ(parse_duration_seconds("2m30s"), 150u);
  EXPECT_EQ(parse_duration_seconds("1h"), 3600u);
  EXPECT_EQ(parse_duration_seconds("1.5h"), 5400u);
  EXPECT_EQ(parse_duration_seconds("0"), 0u);
  EXPECT_EQ(parse_duration_seconds("1h2m3s4ms5us6ns"), 3723u);
  EXPECT_EQ(parse_duration_seconds(".5m"), 30u);
  EXPECT_EQ(parse_duration_seconds("+10s"), 10u);
  EXPECT_EQ(parse_duration_seconds("-0s"), 0u);
  EXPECT_EQ(parse_duration_seconds("2\xc2\xb5s"), 0u);
  EXPECT_EQ(parse_duration(std::string_view("300ms")), std::chrono::milliseconds(300));
}

// confd writes int(math.Round(d.Seconds())): half a second and more rounds up.
TEST(Duration, SecondsRoundAsConfd) {
  EXPECT_EQ(parse_duration_seconds("300ms"), 0u);
  EXPECT_EQ(parse_duration_seconds("499ms"), 0u);
  EXPECT_EQ(parse_duration_seconds("500ms"), 1u);
  EXPECT_EQ(parse_duration_seconds("1400ms"), 1u);
  EXPECT_EQ(parse_duration_seconds("1500ms"), 2u);
  EXPECT_EQ(parse_duration_seconds("1.5s"), 2u);
  EXPECT_EQ(parse_duration_seconds("2.5s"), 3u);
  EXPECT_EQ(parse_duration_seconds("4294967295s"), 4294967295u);
  EXPECT_EQ(parse_duration_seconds("4294967295.4s"), 4294967295u);
  EXPECT_FALSE(parse_duration_seconds("4294967295.5s"));
}

TEST(Duration, Rejects) {
  for (const char* bad : {"", "10", "120", "s", "1x", "5x", "1.s.", "1..2s", "-5s", "1h-2m", "1 s",
                          "5 s", "abc", ".s", "99999999999h", "1s2"})
    EXPECT_FALSE(parse_duration_seconds(bad)) << bad;
  // Fits Go's int64 nanoseconds but not 32-bit seconds.
  EXPECT_FALSE(parse_duration_seconds("2000000h"));
}

}  // namespace
}  // namespace tern::intent
