// The speaker's behaviour around the steady state, over loopback: graceful restart as the
// helper, route refresh both ways, ADD-PATH send, operator filters, and a slow peer that
// must not hold the rest of its update group back.

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <thread>

#include "tests/daemon/speaker_harness.hpp"

namespace tern {
namespace {

using namespace tern::testing;
using tcp = asio::ip::tcp;

bgp::GracefulRestartCap restarting_capability(uint16_t restart_time) {
  bgp::GracefulRestartCap cap;
  cap.restart_time = restart_time;
  cap.families.push_back({bgp::kIpv4Unicast, /*forwarding_preserved=*/true});
  return cap;
}

// Node a (the helper, 127.0.0.21) and node b (127.0.0.22, which restarts), b originating
// its block 1.
class GracefulRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = make_node(io_, "127.0.0.21", 0);
    b_ = start_b(0, block_of(1));
    peer(*a_, *b_);
    a_->speaker->start();
    ASSERT_TRUE(run_until(io_, 5000ms, [&] { return route(*a_, block_of(1)) != nullptr; }));
  }
  void TearDown() override {
    a_->speaker->on_best_change = nullptr;  // it may point into the finished test
    a_->speaker->stop();
    if (b_) b_->speaker->stop();
    run_for(io_, 200ms);
  }
  std::unique_ptr<Node> start_b(uint16_t port, const std::string& block) {
    auto b = make_node(io_, "127.0.0.22", 0, port);
    PeerOptions o;
    o.graceful_restart = restarting_capability(restart_time_);
    peer(*b, *a_, o);
    b->speaker->originate(pfx(block), own_block());
    b->speaker->start();
    return b;
  }
  // b's process dies: its sockets close without a NOTIFICATION.
  uint16_t kill_b() {
    const uint16_t port = b_->speaker->port();
    b_.reset();
    return port;
  }

  uint16_t restart_time_ = 2;
  asio::io_context io_;
  std::unique_ptr<Node> a_;
  std::unique_ptr<Node> b_;
};

TEST_F(GracefulRestart, RoutesOfAPeerThatLostTcpStayStaleUntilEndOfRibSweepsThem) {
  const uint16_t port = kill_b();
  ASSERT_TRUE(run_until(io_, 3000ms, [&] {
    const auto* e = route(*a_, block_of(1));
    return e && e->best()->stale;
  })) << "kept, marked stale";
  // b comes back with a different table: its new block arrives, End-of-RIB sweeps the old.
  b_ = start_b(port, block_of(2));
  ASSERT_TRUE(
      run_until(io_, 5000ms, [&] { return route(*a_, block_of(2)) && !route(*a_, block_of(1)); }));
  EXPECT_FALSE(route(*a_, block_of(2))->best()->stale);
}

TEST_F(GracefulRestart, RefreshedRoutesLoseTheirMarkWithoutAFlap) {
  const uint16_t port = kill_b();
  ASSERT_TRUE(run_until(io_, 3000ms, [&] { return route(*a_, block_of(1))->best()->stale; }));
  size_t changes = 0;
  a_->speaker->on_best_change = [&](const rib::BestChange&) { ++changes; };
  b_ = start_b(port, block_of(1));
  ASSERT_TRUE(run_until(io_, 5000ms, [&] { return !route(*a_, block_of(1))->best()->stale; }));
  run_for(io_, 300ms);
  EXPECT_NE(route(*a_, block_of(1)), nullptr);
  EXPECT_EQ(changes, 0u) << "the forwarding state never changed";
}

TEST_F(GracefulRestart, RoutesGoWhenThePeerDoesNotReturnWithinItsRestartTime) {
  kill_b();
  ASSERT_TRUE(run_until(io_, 1500ms, [&] { return route(*a_, block_of(1))->best()->stale; }));
  EXPECT_TRUE(run_until(io_, 4000ms, [&] { return route(*a_, block_of(1)) == nullptr; }));
}

TEST_F(GracefulRestart, ANotificationEndsTheSessionWithoutRetention) {
  b_->speaker->stop();  // Cease
  EXPECT_TRUE(run_until(io_, 1000ms, [&] { return route(*a_, block_of(1)) == nullptr; }));
}

TEST(Speaker, RouteRefreshResendsTheTableFramedByBorrAndEorrWithoutAFlap) {
  asio::io_context io;
  auto a = make_node(io, "127.0.0.31", 0);
  auto b = make_node(io, "127.0.0.32", 0);
  peer(*a, *b);
  peer(*b, *a);
  for (int i = 1; i <= 50; ++i)
    b->speaker->originate(pfx("10.244." + std::to_string(i) + ".0/26"), own_block());
  a->speaker->start();
  b->speaker->start();
  ASSERT_TRUE(
      run_until(io, 5000ms, [&] { return a->speaker->rib(bgp::kIpv4Unicast).size() == 50; }));
  run_for(io, 200ms);
  auto counters = [](const Node& n) { return n.speaker->sessions().at(0).counters; };
  const auto before = counters(*b);
  size_t changes = 0;
  a->speaker->on_best_change = [&](const rib::BestChange&) { ++changes; };

  ASSERT_TRUE(a->speaker->request_refresh(a->peer_ids.at(b->ip), bgp::kIpv4Unicast));
  ASSERT_TRUE(run_until(io, 3000ms, [&] {
    return counters(*b).messages_out[5] == before.messages_out[5] + 2;
  })) << "BoRR and EoRR (RFC 7313)";
  run_for(io, 200ms);
  EXPECT_EQ(counters(*b).messages_in[5], before.messages_in[5] + 1) << "the request";
  EXPECT_GT(counters(*b).messages_out[2], before.messages_out[2]) << "the table again";
  EXPECT_EQ(a->speaker->rib(bgp::kIpv4Unicast).size(), 50u);
  EXPECT_EQ(changes, 0u) << "stale-marked at BoRR, refreshed before EoRR: nothing moved";
  a->speaker->stop();
  b->speaker->stop();
  run_for(io, 200ms);
}

TEST(Speaker, AddPathSendGivesAClientTheWholeMultipathSet) {
  asio::io_context io;
  auto rr = make_node(io, "127.0.0.40", 0x0a0000fe);
  std::vector<std::unique_ptr<Node>> c;
  for (int i = 1; i <= 4; ++i)
    c.push_back(make_node(io, "127.0.0.4" + std::to_string(i), 0));
  for (int i = 0; i < 4; ++i) {
    PeerOptions to_client{.client = true};
    PeerOptions to_rr;
    if (i == 2) {  // client 3 wants every path
      to_client.add_path = bgp::AddPathMode::kBoth;
      to_rr.add_path = bgp::AddPathMode::kBoth;
    }
    peer(*rr, *c[i], to_client);
    peer(*c[i], *rr, to_rr);
  }
  // Clients 1 and 2 announce the same service address: two equal paths at the reflector.
  c[0]->speaker->originate(pfx("10.96.0.10/32"), own_block());
  c[1]->speaker->originate(pfx("10.96.0.10/32"), own_block());
  rr->speaker->start();
  for (auto& n : c)
    n->speaker->start();
  ASSERT_TRUE(run_until(io, 5000ms, [&] {
    const auto* e = route(*c[2], "10.96.0.10/32");
    return e && e->paths().size() == 2;
  })) << "the ADD-PATH client has both paths";
  const auto* e = route(*c[2], "10.96.0.10/32");
  EXPECT_NE(e->paths()[0].attrs->attrs().next_hop, e->paths()[1].attrs->attrs().next_hop);
  EXPECT_EQ(e->multipath().size(), 2u) << "and uses both";
  ASSERT_TRUE(run_until(io, 2000ms, [&] { return route(*c[3], "10.96.0.10/32") != nullptr; }));
  run_for(io, 300ms);
  EXPECT_EQ(route(*c[3], "10.96.0.10/32")->paths().size(), 1u) << "without ADD-PATH: the best";

  // One of them stops announcing: the ADD-PATH client loses exactly that path.
  c[0]->speaker->withdraw_local(pfx("10.96.0.10/32"));
  ASSERT_TRUE(
      run_until(io, 3000ms, [&] { return route(*c[2], "10.96.0.10/32")->paths().size() == 1; }));
  EXPECT_EQ(bgp::to_string(*route(*c[2], "10.96.0.10/32")->best()->attrs->attrs().next_hop),
            c[1]->ip);
  for (auto& n : c)
    n->speaker->stop();
  rr->speaker->stop();
  run_for(io, 200ms);
}

TEST(Speaker, ImportAndExportFiltersDecideByPrefixAndAddCommunities) {
  asio::io_context io;
  auto a = make_node(io, "127.0.0.51", 0);
  auto b = make_node(io, "127.0.0.52", 0);
  PeerOptions a_to_b;
  a_to_b.export_filter.rules = {{pfx("10.244.0.0/16"), rib::PrefixRule::Match::kOrLonger, true}};
  a_to_b.export_filter.default_accept = false;
  PeerOptions b_to_a;
  b_to_a.import_filter.rules = {{pfx("10.244.9.0/26"), rib::PrefixRule::Match::kExact, false}};
  b_to_a.import_filter.add_communities = {(64512u << 16) | 100};
  peer(*a, *b, a_to_b);
  peer(*b, *a, b_to_a);
  a->speaker->originate(pfx("10.244.1.0/26"), own_block());
  a->speaker->originate(pfx("10.244.9.0/26"), own_block());
  a->speaker->originate(pfx("192.168.0.0/24"), own_block());
  a->speaker->start();
  b->speaker->start();
  ASSERT_TRUE(run_until(io, 5000ms, [&] { return route(*b, "10.244.1.0/26") != nullptr; }));
  run_for(io, 300ms);
  EXPECT_EQ(route(*b, "192.168.0.0/24"), nullptr) << "outside the export filter";
  EXPECT_EQ(route(*b, "10.244.9.0/26"), nullptr) << "rejected by the import filter";
  // ... but kept as received, with the reason, for the API to explain.
  const auto* refused = b->speaker->rib(bgp::kIpv4Unicast).find(pfx("10.244.9.0/26"));
  ASSERT_NE(refused, nullptr);
  ASSERT_EQ(refused->paths().size(), 1u);
  EXPECT_EQ(refused->paths()[0].lost_at(), rib::Step::kRejected);
  EXPECT_EQ(refused->paths()[0].rejected, static_cast<uint8_t>(rib::ImportVerdict::kFilteredOut));
  EXPECT_FALSE(refused->paths()[0].attrs->attrs().communities) << "as received";
  const auto& attrs = route(*b, "10.244.1.0/26")->best()->attrs->attrs();
  ASSERT_TRUE(attrs.communities);
  EXPECT_EQ(*attrs.communities, std::vector<uint32_t>{(64512u << 16) | 100});
  a->speaker->stop();
  b->speaker->stop();
  run_for(io, 200ms);
}

// A new IP pool or BGPFilter changes a running peer's filters: what the peer gets and what
// is taken from it follow at once, and its session stays up.
TEST(Speaker, ChangedFiltersApplyWithoutASessionReset) {
  asio::io_context io;
  auto a = make_node(io, "127.0.0.55", 0);
  auto b = make_node(io, "127.0.0.56", 0);
  auto only = [](const char* cidr) {
    rib::RouteFilter f;
    f.rules = {{pfx(cidr), rib::PrefixRule::Match::kOrLonger, true}};
    f.default_accept = false;
    return f;
  };
  PeerOptions a_to_b;
  a_to_b.export_filter = only("10.244.0.0/16");
  peer(*a, *b, a_to_b);
  peer(*b, *a);
  a->speaker->originate(pfx("10.244.1.0/26"), own_block());
  a->speaker->originate(pfx("10.245.1.0/26"), own_block());
  b->speaker->originate(pfx("10.246.1.0/26"), own_block());
  a->speaker->start();
  b->speaker->start();
  ASSERT_TRUE(run_until(io, 5000ms,
                        [&] { return route(*b, "10.244.1.0/26") && route(*a, "10.246.1.0/26"); }));
  run_for(io, 200ms);
  EXPECT_EQ(route(*b, "10.245.1.0/26"), nullptr);
  size_t flaps = 0;
  a->speaker->on_session_change = [&](const bgp::Session&, bgp::State, bgp::State) { ++flaps; };
  b->speaker->on_session_change = [&](const bgp::Session&, bgp::State, bgp::State) { ++flaps; };
  const rib::PeerId b_at_a = a->peer_ids.at(b->ip);

  // Export: the other pool instead of the first one.
  ASSERT_TRUE(a->speaker->set_filters(b_at_a, {}, only("10.245.0.0/16")));
  EXPECT_TRUE(run_until(io, 3000ms, [&] {
    return route(*b, "10.245.1.0/26") && !route(*b, "10.244.1.0/26");
  })) << "the newly exported block arrives, the one held back now is withdrawn";

  // Import: b's block is refused from now on, then accepted again; a asks b for its routes
  // each time (route refresh) rather than resetting.
  ASSERT_TRUE(a->speaker->set_filters(b_at_a, only("10.250.0.0/16"), only("10.245.0.0/16")));
  EXPECT_TRUE(run_until(io, 3000ms, [&] { return !route(*a, "10.246.1.0/26"); }));
  ASSERT_TRUE(a->speaker->set_filters(b_at_a, {}, only("10.245.0.0/16")));
  EXPECT_TRUE(run_until(io, 3000ms, [&] { return route(*a, "10.246.1.0/26") != nullptr; }));

  run_for(io, 200ms);
  EXPECT_EQ(flaps, 0u) << "the session never left Established";
  EXPECT_EQ(a->speaker->sessions().at(0).state, bgp::State::kEstablished);
  a->speaker->on_session_change = nullptr;
  b->speaker->on_session_change = nullptr;
  a->speaker->stop();
  b->speaker->stop();
  run_for(io, 200ms);
}

// A peer sending more than its limit is cut off with Cease 6/1 and its routes go; the session
// comes back after the restart time (and is cut off again while it keeps sending too many).
TEST(Speaker, APeerOverItsPrefixLimitIsCutOffAndRestartedLater) {
  asio::io_context io;
  auto a = make_node(io, "127.0.0.61", 0);
  auto b = make_node(io, "127.0.0.62", 0);
  PeerOptions b_to_a;
  b_to_a.limits.max_prefixes = 5;
  b_to_a.limits.restart_after = 500ms;
  peer(*a, *b);
  peer(*b, *a, b_to_a);
  for (int i = 1; i <= 4; ++i)
    a->speaker->originate(pfx(block_of(i)), own_block());
  a->speaker->start();
  b->speaker->start();
  ASSERT_TRUE(run_until(io, 5000ms, [&] { return route(*b, block_of(4)) != nullptr; }));
  auto snap = [](const Node& n) { return n.speaker->sessions().at(0); };
  EXPECT_EQ(snap(*b).state, bgp::State::kEstablished) << "4 of 5 allowed";

  for (int i = 5; i <= 8; ++i)
    a->speaker->originate(pfx(block_of(i)), own_block());
  ASSERT_TRUE(run_until(
      io, 3000ms, [&] { return snap(*a).counters.last_error.find("6/1") != std::string::npos; }))
      << "a was told why: " << snap(*a).counters.last_error;
  EXPECT_NE(snap(*b).counters.last_error.find("more than 5"), std::string::npos)
      << snap(*b).counters.last_error;
  EXPECT_EQ(b->speaker->rib(bgp::kIpv4Unicast).size(), 0u) << "its routes went with it";
  EXPECT_EQ(b->speaker->rib(bgp::kIpv4Unicast).counts(b->peer_ids.at(a->ip)).received, 0u);
  const auto first = snap(*b).counters.established_count;
  EXPECT_TRUE(run_until(io, 5000ms, [&] { return snap(*b).counters.established_count > first; }))
      << "back after the restart time";
  a->speaker->stop();
  b->speaker->stop();
  run_for(io, 200ms);
}

// Unknown optional transitive attributes are dropped on receipt unless the peer is allowed
// to pass them on.
TEST(Speaker, UnknownAttributesAreDroppedUnlessKept) {
  asio::io_context io;
  auto a = make_node(io, "127.0.0.65", 0);
  auto b = make_node(io, "127.0.0.66", 0);
  auto c = make_node(io, "127.0.0.67", 0);
  PeerOptions keep;
  keep.limits.keep_unknown_attributes = true;
  peer(*a, *b);
  peer(*a, *c);
  peer(*b, *a);
  peer(*c, *a, keep);
  bgp::PathAttributes attrs = own_block();
  attrs.unknown.push_back({0xc0, 250, {1, 2, 3}});
  a->speaker->originate(pfx(block_of(1)), attrs);
  for (auto* n : {a.get(), b.get(), c.get()})
    n->speaker->start();
  ASSERT_TRUE(
      run_until(io, 5000ms, [&] { return route(*b, block_of(1)) && route(*c, block_of(1)); }));
  EXPECT_TRUE(route(*b, block_of(1))->best()->attrs->attrs().unknown.empty());
  ASSERT_EQ(route(*c, block_of(1))->best()->attrs->attrs().unknown.size(), 1u);
  EXPECT_EQ(route(*c, block_of(1))->best()->attrs->attrs().unknown[0].type, 250);
  for (auto* n : {a.get(), b.get(), c.get()})
    n->speaker->stop();
  run_for(io, 200ms);
}

// A peer that completes the handshake and then never reads again.
class StuckPeer {
 public:
  StuckPeer(const std::string& from, uint16_t port) {
    sock_.open(tcp::v4());
    const int small = 4096;  // a tiny window: the speaker's side fills up fast
    setsockopt(sock_.native_handle(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    sock_.bind(tcp::endpoint(asio::ip::make_address(from), 0));
    sock_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.60"), port));
    // The same capabilities as the other client, so both belong in one update group.
    bgp::LocalSettings settings;
    settings.local_as = 64512;
    settings.peer_as = 64512;
    settings.router_id = bgp::IpAddr::parse(from)->v4_value();
    settings.hold_time = 0;  // no keepalives: nothing needs reading
    settings.graceful_restart = bgp::GracefulRestartCap{false, false, 120, {}};
    send(bgp::Message{bgp::make_open(settings)});
    send(bgp::Message{bgp::Keepalive{}});
  }
  void send(const bgp::Message& m) {
    auto b = bgp::encode(m, {}).value();
    asio::write(sock_, asio::buffer(b));
  }

 private:
  asio::io_context io_;
  tcp::socket sock_{io_};
};

TEST(Speaker, AMemberThatStopsReadingIsSplitOffAndTheOthersGetEverything) {
  asio::io_context io;
  auto rr = make_node(io, "127.0.0.60", 0x0a0000fe);
  auto fast = make_node(io, "127.0.0.61", 0);
  auto stuck = make_node(io, "127.0.0.62", 0);  // only its address: a raw socket plays it
  peer(*rr, *fast, {.client = true});
  peer(*fast, *rr);
  peer(*rr, *stuck, {.client = true});
  rr->speaker->start();
  fast->speaker->start();
  ASSERT_TRUE(run_until(io, 5000ms, [&] {
    return rr->speaker->update_groups(bgp::kIpv4Unicast) == std::vector<size_t>{1};
  }));
  std::unique_ptr<StuckPeer> raw;
  std::thread t([&] { raw = std::make_unique<StuckPeer>(stuck->ip, rr->speaker->port()); });
  ASSERT_TRUE(run_until(io, 5000ms, [&] {
    return rr->speaker->update_groups(bgp::kIpv4Unicast) == std::vector<size_t>{2};
  })) << "both clients in one group";
  t.join();

  // A burst far larger than the socket buffers between the reflector and the stuck peer
  // (up to 4 MiB on the sending side): every route has its own MED, so its own UPDATE.
  constexpr int kRoutes = 120000;
  for (int i = 0; i < kRoutes; ++i) {
    bgp::Prefix p;
    p.len = 26;
    const uint32_t a = 0x0a000000u + (static_cast<uint32_t>(i) << 6);
    p.b = {static_cast<uint8_t>(a >> 24), static_cast<uint8_t>(a >> 16),
           static_cast<uint8_t>(a >> 8), static_cast<uint8_t>(a)};
    auto attrs = own_block();
    attrs.med = static_cast<uint32_t>(i);
    rr->speaker->originate(p, attrs);
  }
  EXPECT_TRUE(run_until(io, 20000ms,
                        [&] { return fast->speaker->rib(bgp::kIpv4Unicast).size() == kRoutes; }))
      << "the fast client got " << fast->speaker->rib(bgp::kIpv4Unicast).size();
  const auto groups = rr->speaker->update_groups(bgp::kIpv4Unicast);
  EXPECT_EQ(groups.size(), 2u) << "the stuck peer has a queue of its own";
  rr->speaker->stop();
  fast->speaker->stop();
  run_for(io, 200ms);
}

TEST(Speaker, ARemovedPeersIdIsGivenToTheNextPeer) {
  // Paths keep their peer in 16 bits: ids must be reused, not counted up forever.
  asio::io_context io;
  auto a = make_node(io, "127.0.0.71", 0);
  std::vector<std::unique_ptr<Node>> others;
  for (int i = 2; i <= 4; ++i) {
    others.push_back(make_node(io, "127.0.0.7" + std::to_string(i), 0));
    peer(*a, *others.back());
  }
  const rib::PeerId second = a->peer_ids.at("127.0.0.73");
  a->speaker->remove_peer(second);
  auto late = make_node(io, "127.0.0.75", 0);
  peer(*a, *late);
  EXPECT_EQ(a->peer_ids.at("127.0.0.75"), second);
  run_for(io, 50ms);
}

}  // namespace
}  // namespace tern
