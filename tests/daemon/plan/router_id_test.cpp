// The hashed router id: SHA-256 of the node name, as Calico's hashToIPv4.

#include <gtest/gtest.h>

#include "daemon/plan/routes.hpp"

namespace tern::plan {
namespace {

TEST(RouterId, HashedRouterIdIsSha256OfTheName) {
  // SHA-256("abc") begins ba 78 16 bf.
  EXPECT_EQ(detail::hashed_router_id("abc"), 0xba7816bfu);
  // SHA-256("") begins e3 b0 c4 42: 227 > 223 becomes 195.
  EXPECT_EQ(detail::hashed_router_id(""), 0xc3b0c442u);
}

}  // namespace
}  // namespace tern::plan
