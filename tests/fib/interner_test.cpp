// The interner behind the writer's per-prefix ids: equal values share an id, an id lives while
// someone holds it, and a forgotten id is reused for the next new value.

#include "fib/interner.hpp"

#include <gtest/gtest.h>

#include "fib/kernel_route.hpp"

namespace tern::fib {
namespace {

using Hops = std::vector<IpAddr>;
using HopLists = Interner<Hops, IpAddrListHash>;

IpAddr ip(const char* s) {
  return *IpAddr::parse(s);
}

TEST(Interner, EqualValuesShareOneIdAndEveryHolderCounts) {
  HopLists lists;
  const auto a = lists.acquire({ip("10.0.0.2")});
  const auto b = lists.acquire({ip("10.0.0.2")});
  const auto c = lists.acquire({ip("10.0.0.2"), ip("10.0.0.3")});
  EXPECT_NE(a, 0u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(lists.size(), 2u);
  EXPECT_EQ(lists.refs(a), 2u);
  EXPECT_EQ(lists[c], (Hops{ip("10.0.0.2"), ip("10.0.0.3")}));
  lists.ref(c);
  lists.release(c);
  EXPECT_EQ(lists[c].size(), 2u);  // still held once
}

TEST(Interner, AValueNobodyHoldsIsForgottenAndItsIdReused) {
  HopLists lists;
  const auto a = lists.acquire({ip("10.0.0.2")});
  const auto keep = lists.acquire({ip("10.0.0.9")});
  lists.release(a);
  EXPECT_EQ(lists.size(), 1u);
  const auto b = lists.acquire({ip("fd00::2")});
  EXPECT_EQ(b, a);  // the slot came back
  EXPECT_EQ(lists[b], (Hops{ip("fd00::2")}));
  // The old value is a new entry now, not a stale match for the reused id.
  const auto again = lists.acquire({ip("10.0.0.2")});
  EXPECT_NE(again, b);
  EXPECT_NE(again, keep);
  lists.release(0);  // "none" is never held
  EXPECT_EQ(lists.size(), 3u);
}

TEST(Interner, ForwardingsDifferingOnlyInDeviceOrOnlinkAreDistinct) {
  Interner<KernelForwarding, KernelForwardingHash> fwds;
  const auto tunnel = fwds.acquire({false, {{ip("10.0.0.2"), 7, true}}});
  const auto direct = fwds.acquire({false, {{ip("10.0.0.2"), 3, false}}});
  const auto not_onlink = fwds.acquire({false, {{ip("10.0.0.2"), 7, false}}});
  const auto blackhole = fwds.acquire({true, {}});
  EXPECT_EQ(fwds.size(), 4u);
  EXPECT_NE(tunnel, direct);
  EXPECT_NE(tunnel, not_onlink);
  EXPECT_EQ(fwds.acquire({true, {}}), blackhole);
}

}  // namespace
}  // namespace tern::fib
