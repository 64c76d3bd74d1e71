// The hand-over queue keeps one state per prefix, the latest, and wakes the consumer once.

#include "fib/route_queue.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <thread>

namespace tern::fib {
namespace {

Prefix pfx(const char* s) {
  return *Prefix::parse(s);
}
IpAddr ip(const char* s) {
  return *IpAddr::parse(s);
}

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1;
}

TEST(RouteQueue, OnlyTheLatestStateOfAPrefixIsTaken) {
  RouteQueue q;
  EXPECT_FALSE(readable(q.wake_fd()));
  for (int i = 0; i < 1000; ++i) {
    q.update(WantedRoute{pfx("192.168.1.0/26"), {IpAddr::v4(0x0a000000u + i)}, false});
  }
  q.update(WantedRoute{pfx("192.168.2.0/26"), {ip("10.0.0.1")}, false});
  q.withdraw(pfx("192.168.2.0/26"));
  EXPECT_TRUE(readable(q.wake_fd()));
  QueuedWork w = q.take();
  EXPECT_FALSE(readable(q.wake_fd()));
  ASSERT_EQ(w.routes.size(), 2u);
  EXPECT_EQ(w.routes[0].prefix, pfx("192.168.1.0/26"));
  ASSERT_TRUE(w.routes[0].wanted);
  EXPECT_EQ(w.state(w.routes[0])->next_hops.at(0), IpAddr::v4(0x0a000000u + 999));
  EXPECT_EQ(w.routes[1].prefix, pfx("192.168.2.0/26"));
  EXPECT_FALSE(w.state(w.routes[1]));
  EXPECT_EQ(q.coalesced(), 1000u);
  EXPECT_TRUE(q.take().empty());
}

TEST(RouteQueue, ATableOfBlocksIsIndexedWholeAndItsNextHopListsStoredOnce) {
  // /26 blocks differ only in the top bits of their last byte: the index must still tell
  // them apart, across its growth and across takes that reset it.
  RouteQueue q;
  auto block = [](uint32_t i) {
    return Prefix{{10, static_cast<uint8_t>(i >> 10), static_cast<uint8_t>(i >> 2),
                   static_cast<uint8_t>((i & 3) << 6)},
                  26,
                  bgp::Afi::kIpv4};
  };
  const std::vector<IpAddr> a{ip("10.0.0.2")}, b{ip("10.0.0.3"), ip("10.0.0.4")};
  for (int pass = 0; pass < 2; ++pass) {
    constexpr uint32_t kBlocks = 100'000;
    for (uint32_t i = 0; i < kBlocks; ++i)
      q.update(WantedRoute{block(i), i % 3 == 0 ? b : a, false});
    for (uint32_t i = 0; i < kBlocks; i += 7)
      q.withdraw(block(i));
    for (uint32_t i = 0; i < kBlocks; i += 14)
      q.update(WantedRoute{block(i), a, false});
    const QueuedWork w = q.take();
    ASSERT_EQ(w.routes.size(), kBlocks);
    EXPECT_EQ(w.hop_lists.size(), 2u);
    for (uint32_t i = 0; i < kBlocks; ++i) {
      const QueuedRoute& r = w.routes[i];
      ASSERT_EQ(r.prefix, block(i)) << i;
      const bool withdrawn = i % 7 == 0 && i % 14 != 0;
      ASSERT_EQ(r.wanted, !withdrawn) << i;
      if (withdrawn) continue;
      const auto& want = i % 14 == 0 || i % 3 != 0 ? a : b;
      ASSERT_EQ(w.state(r)->next_hops, want) << i;
    }
  }
  EXPECT_TRUE(q.take().empty());
}

TEST(RouteQueue, ConfigIsLatestWinsAndCommandsAreFlags) {
  RouteQueue q;
  EncapConfig a, b;
  b.tunnel_device = "ipip9";
  q.set_config(a);
  q.set_config(b);
  q.initial_sync_done();
  q.reconcile();
  auto f = q.flush();
  QueuedWork w = q.take();
  ASSERT_TRUE(w.config);
  EXPECT_EQ(w.config->tunnel_device, "ipip9");
  EXPECT_TRUE(w.initial_sync_done);
  EXPECT_TRUE(w.reconcile);
  ASSERT_EQ(w.flushes.size(), 1u);
  w.flushes[0].set_value();
  EXPECT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
}

TEST(RouteQueue, AViewIsTakenWithTheWorkBeforeIt) {
  RouteQueue q;
  q.update(WantedRoute{pfx("192.168.1.0/26"), {ip("10.0.0.1")}, false});
  auto answer = q.view(pfx("192.168.1.0/26"), 5);
  EXPECT_TRUE(readable(q.wake_fd()));
  QueuedWork w = q.take();
  EXPECT_FALSE(w.empty());
  ASSERT_EQ(w.routes.size(), 1u);
  ASSERT_EQ(w.views.size(), 1u);
  EXPECT_EQ(w.views[0].prefix, pfx("192.168.1.0/26"));
  EXPECT_EQ(w.views[0].limit, 5u);
  FibView v;
  v.truncated = true;
  w.views[0].done.set_value(v);
  EXPECT_TRUE(answer.get().truncated);
  EXPECT_TRUE(q.take().empty());
}

TEST(RouteQueue, ProducerAndConsumerOnTwoThreads) {
  RouteQueue q;
  std::thread producer([&] {
    for (int round = 0; round < 100; ++round)
      for (int i = 0; i < 100; ++i)
        q.update(WantedRoute{Prefix{{10, 0, static_cast<uint8_t>(i), 0}, 24, bgp::Afi::kIpv4},
                             {IpAddr::v4(static_cast<uint32_t>(round))},
                             false});
  });
  std::unordered_map<Prefix, WantedRoute, PrefixHash> seen;
  std::atomic<bool> done{false};
  std::thread consumer([&] {
    while (!done) {
      const QueuedWork w = q.take();
      for (const auto& r : w.routes)
        seen.insert_or_assign(r.prefix, *w.state(r));
    }
  });
  producer.join();
  done = true;
  consumer.join();
  const QueuedWork w = q.take();
  for (const auto& r : w.routes)
    seen.insert_or_assign(r.prefix, *w.state(r));
  EXPECT_EQ(seen.size(), 100u);
  for (auto& [p, r] : seen)
    EXPECT_EQ(r.next_hops.at(0), IpAddr::v4(99));
}

}  // namespace
}  // namespace tern::fib
