#include "daemon/intent/community.hpp"

#include <gtest/gtest.h>

namespace tern::intent {
namespace {

TEST(Community, Standard) {
  auto s = parse_community("65000:100");
  ASSERT_TRUE(s);
  EXPECT_EQ(std::get<uint32_t>(*s), 65000u << 16 | 100);
  EXPECT_EQ(std::get<uint32_t>(*parse_community("65535:65535")), 0xffffffffu);
  EXPECT_EQ(std::get<uint32_t>(*parse_community("0:0")), 0u);
}

TEST(Community, Large) {
  auto l = parse_community("4200000000:1:2");
  ASSERT_TRUE(l);
  EXPECT_EQ(std::get<bgp::LargeCommunity>(*l), (bgp::LargeCommunity{4200000000u, 1, 2}));
  EXPECT_EQ(std::get<bgp::LargeCommunity>(*parse_community("4294967295:4294967295:4294967295")),
            (bgp::LargeCommunity{4294967295u, 4294967295u, 4294967295u}));
}

TEST(Community, Rejects) {
  for (const char* bad : {"", "pods", "65536:1", "1:65536", "4294967296:1:2", "1:2:3:4", "a:b",
                          "1:", ":1", "1::2", "-1:2", "+1:2", " 1:2", "1:2 "})
    EXPECT_FALSE(parse_community(bad)) << bad;
}

}  // namespace
}  // namespace tern::intent
