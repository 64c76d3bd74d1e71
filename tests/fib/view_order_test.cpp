// Views list prefixes IPv4 first, by address then length, and keep only the first few of a
// large set.

#include "fib/view_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace tern::fib {
namespace {

Prefix pfx(const char* s) {
  return *Prefix::parse(s);
}

TEST(ViewOrder, Ipv4FirstThenAddressThenLength) {
  EXPECT_TRUE(view_order(pfx("192.168.0.0/16"), pfx("::/0")));
  EXPECT_FALSE(view_order(pfx("fd00::/64"), pfx("10.0.0.0/8")));
  EXPECT_TRUE(view_order(pfx("10.0.0.0/8"), pfx("10.0.0.0/24")));
  EXPECT_TRUE(view_order(pfx("9.255.0.0/16"), pfx("10.0.0.0/8")));
  EXPECT_FALSE(view_order(pfx("10.0.0.0/8"), pfx("10.0.0.0/8")));
}

TEST(ViewOrder, KeepsTheFirstPrefixesOfAShuffledSet) {
  std::vector<Prefix> all;
  for (uint32_t i = 0; i < 5000; ++i) {
    Prefix p;
    p.len = 26;
    p.b[0] = 100;
    p.b[1] = static_cast<uint8_t>(i >> 10);
    p.b[2] = static_cast<uint8_t>(i >> 2);
    p.b[3] = static_cast<uint8_t>((i & 3) << 6);
    all.push_back(p);
  }
  all.push_back(pfx("fd00::/64"));
  all.push_back(pfx("1.0.0.0/24"));
  std::shuffle(all.begin(), all.end(), std::mt19937(7));
  FirstPrefixes first(10);
  for (const auto& p : all)
    first.offer(p);
  EXPECT_TRUE(first.truncated());
  std::vector<Prefix> want = all;
  std::sort(want.begin(), want.end(), view_order);
  want.resize(10);
  EXPECT_EQ(first.take(), want);
  EXPECT_EQ(want.front(), pfx("1.0.0.0/24"));
}

TEST(ViewOrder, NotTruncatedWhenEverythingFits) {
  FirstPrefixes first(3);
  first.offer(pfx("fd00::/64"));
  first.offer(pfx("10.0.0.0/8"));
  first.offer(pfx("10.0.0.0/24"));
  EXPECT_FALSE(first.truncated());
  EXPECT_EQ(first.take(),
            (std::vector<Prefix>{pfx("10.0.0.0/8"), pfx("10.0.0.0/24"), pfx("fd00::/64")}));
  FirstPrefixes none(0);
  none.offer(pfx("10.0.0.0/8"));
  EXPECT_TRUE(none.truncated());
  EXPECT_TRUE(none.take().empty());
}

}  // namespace
}  // namespace tern::fib
