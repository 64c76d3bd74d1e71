// Operator filters: prefix rules in order, exact or longer, the default, added communities.

#include "rib/filter.hpp"

#include <gtest/gtest.h>

namespace tern::rib {
namespace {

bgp::Prefix pfx(const char* s) {
  return *bgp::Prefix::parse(s);
}

TEST(Filter, WithinComparesTheLeadingBitsOnly) {
  EXPECT_TRUE(within(pfx("10.244.1.64/26"), pfx("10.244.0.0/16")));
  EXPECT_TRUE(within(pfx("10.244.0.0/16"), pfx("10.244.0.0/16")));
  EXPECT_FALSE(within(pfx("10.244.0.0/15"), pfx("10.244.0.0/16")));
  EXPECT_FALSE(within(pfx("10.245.0.0/24"), pfx("10.244.0.0/16")));
  EXPECT_TRUE(within(pfx("10.244.0.0/24"), pfx("10.244.0.0/15")));
  EXPECT_FALSE(within(pfx("10.246.0.0/24"), pfx("10.244.0.0/15")));
  EXPECT_TRUE(within(pfx("fd00:10:244::/64"), pfx("fd00:10::/32")));
  EXPECT_FALSE(within(pfx("fd00:10:244::/64"), pfx("10.0.0.0/8")));
  EXPECT_TRUE(within(pfx("1.2.3.4/32"), pfx("0.0.0.0/0")));
}

TEST(Filter, FirstMatchingRuleDecidesThenTheDefault) {
  RouteFilter f;
  f.rules = {{pfx("10.244.5.0/24"), PrefixRule::Match::kOrLonger, false},
             {pfx("10.244.0.0/16"), PrefixRule::Match::kOrLonger, true},
             {pfx("192.168.0.0/16"), PrefixRule::Match::kExact, true}};
  f.default_accept = false;
  EXPECT_TRUE(f.accepts(pfx("10.244.1.0/26")));
  EXPECT_FALSE(f.accepts(pfx("10.244.5.64/26"))) << "the earlier reject wins";
  EXPECT_TRUE(f.accepts(pfx("192.168.0.0/16")));
  EXPECT_FALSE(f.accepts(pfx("192.168.1.0/24"))) << "exact means exact";
  EXPECT_FALSE(f.accepts(pfx("172.16.0.0/12"))) << "default";
  EXPECT_TRUE(RouteFilter{}.accepts(pfx("172.16.0.0/12")));
}

TEST(Filter, AddedCommunitiesAreMergedSortedAndUnique) {
  RouteFilter f;
  f.add_communities = {0xfde80002, 0xfde80001};
  bgp::PathAttributes a;
  a.communities = std::vector<uint32_t>{0xfde80002, 0x00010001};
  const auto out = f.apply(a);
  EXPECT_EQ(*out.communities, (std::vector<uint32_t>{0x00010001, 0xfde80001, 0xfde80002}));
  EXPECT_FALSE(RouteFilter{}.apply(bgp::PathAttributes{}).communities);
}

}  // namespace
}  // namespace tern::rib
