// Sessions over loopback, in process: a raw "evil peer" writing bytes on a socket gets the
// exact NOTIFICATION for each malformed OPEN and header while another peer's session stays
// up; hold timer expiry; collision resolution; the send hold timer.

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <thread>

#include "bgp/session/listener.hpp"
#include "bgp/session/session.hpp"
#include "bgp/wire/format.hpp"
#include "tests/wire/wire_test_util.hpp"

namespace tern::bgp {
namespace {

using asio::ip::tcp;
using namespace std::chrono_literals;

const auto kLo1 = asio::ip::make_address("127.0.0.1");
const auto kLo2 = asio::ip::make_address("127.0.0.2");
const auto kLo3 = asio::ip::make_address("127.0.0.3");

SessionConfig config(const char* name, asio::ip::address remote, uint32_t router_id) {
  SessionConfig c;
  c.name = name;
  c.remote = remote;
  c.settings.local_as = 64512;
  c.settings.peer_as = 64512;
  c.settings.router_id = router_id;
  c.connect_delay = 0ms;
  c.connect_retry = 200ms;
  c.idle_hold_min = 100ms;
  c.idle_hold_max = 200ms;
  return c;
}

// A session that waits for the peer at `remote` to connect.
SessionConfig passive_config(const char* name, asio::ip::address remote) {
  SessionConfig c = config(name, remote, 0x0a000001);
  c.passive = true;
  return c;
}

// Runs the loop until `done` or the deadline; true if `done` became true.
template <class F>
bool run_until(asio::io_context& io, std::chrono::milliseconds limit, F&& done) {
  const auto end = Clock::now() + limit;
  while (Clock::now() < end) {
    if (done()) return true;
    io.restart();
    io.run_for(20ms);
  }
  return done();
}

// A blocking peer on a plain socket, run in its own thread.
class RawPeer {
 public:
  RawPeer(asio::ip::address from, uint16_t port) {
    sock_.open(tcp::v4());
    sock_.bind(tcp::endpoint(from, 0));
    sock_.connect(tcp::endpoint(kLo1, port));
    timeval tv{3, 0};
    setsockopt(sock_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  void send(const Bytes& b) { asio::write(sock_, asio::buffer(b)); }
  // Reads one whole message (empty on EOF or timeout).
  Bytes read_message() {
    Bytes m(19);
    boost::system::error_code ec;
    asio::read(sock_, asio::buffer(m), ec);
    if (ec) return {};
    const size_t len = (m[16] << 8) | m[17];
    if (len < 19) return m;
    m.resize(len);
    asio::read(sock_, asio::buffer(m.data() + 19, len - 19), ec);
    return ec ? Bytes{} : m;
  }
  // Reads until a message of `type` arrives (skipping others).
  Bytes read_until(uint8_t type) {
    for (int i = 0; i < 20; ++i) {
      Bytes m = read_message();
      if (m.empty() || m[18] == type) return m;
    }
    return {};
  }

 private:
  asio::io_context io_;
  tcp::socket sock_{io_};
};

Bytes open_bytes(uint8_t version, uint16_t as, uint16_t hold, uint32_t id, Bytes params = {}) {
  using testing::cat;
  using testing::u16be;
  return testing::message(
      1, cat({Bytes{version}, u16be(as), u16be(hold), u16be(id >> 16), u16be(id & 0xffff),
              Bytes{static_cast<uint8_t>(params.size())}, params}));
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    listener_ = std::make_unique<Listener>(io_, [this](const asio::ip::address& a) -> SessionPtr {
      for (auto& s : sessions_)
        if (s->config().remote == a) return s;
      return nullptr;
    });
    ASSERT_EQ(listener_->listen(tcp::endpoint(kLo1, 0)), "");
  }
  SessionPtr add(SessionConfig c) {
    sessions_.push_back(std::make_shared<Session>(io_, std::move(c)));
    return sessions_.back();
  }
  // Runs the raw peer's script in a thread while the loop serves tern's side.
  template <class F>
  void with_peer(F&& script, std::chrono::milliseconds limit = 5000ms) {
    std::atomic<bool> done{false};
    std::thread t([&] {
      script();
      done = true;
    });
    run_until(io_, limit, [&] { return done.load(); });
    t.join();
  }

  asio::io_context io_;
  std::unique_ptr<Listener> listener_;
  std::vector<SessionPtr> sessions_;
};

struct EvilCase {
  const char* name;
  Bytes sent;
  Bytes expected;
};

TEST_F(SessionTest, EvilPeerGetsExactNotificationsAndOthersStayUp) {
  // A well-behaved tern peer on 127.0.0.3 talks to our session for 127.0.0.3 through the
  // same listener, and must not notice anything.
  auto evil = add(passive_config("evil", kLo2));
  auto good = add(passive_config("good", kLo3));
  asio::io_context peer_io;
  auto other = std::make_shared<Session>(io_, [&] {
    auto c = config("other", kLo1, 0x0a000003);
    c.local = kLo3;
    c.remote_port = listener_->port();
    return c;
  }());
  evil->start();
  good->start();
  other->start();
  ASSERT_TRUE(run_until(io_, 3000ms, [&] { return good->state() == State::kEstablished; }));

  Bytes bad_marker = Bytes(open_bytes(4, 64512, 90, 0x0a000002));
  bad_marker[0] = 0;
  const EvilCase cases[] = {
      {"marker", bad_marker, testing::notification_message(1, 1)},
      {"length 18",
       Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
             0xff, 0xff, 0x00, 0x12, 0x04},
       testing::notification_message(1, 2, {0x00, 0x12})},
      {"type 9",
       Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
             0xff, 0xff, 0x00, 0x13, 0x09},
       testing::notification_message(1, 3, {0x09})},
      {"version 3", open_bytes(3, 64512, 90, 0x0a000002),
       testing::notification_message(2, 1, {0, 4})},
      {"AS 0", open_bytes(4, 0, 90, 0x0a000002), testing::notification_message(2, 2)},
      {"wrong AS", open_bytes(4, 64999, 90, 0x0a000002),
       testing::notification_message(2, 2, {0xfd, 0xe7})},
      {"identifier 0", open_bytes(4, 64512, 90, 0), testing::notification_message(2, 3)},
      {"our identifier", open_bytes(4, 64512, 90, 0x0a000001), testing::notification_message(2, 3)},
      {"hold 2", open_bytes(4, 64512, 2, 0x0a000002), testing::notification_message(2, 6)},
      {"optional parameter 1", open_bytes(4, 64512, 90, 0x0a000002, {1, 2, 0, 0}),
       testing::notification_message(2, 4)},
      {"no common family", open_bytes(4, 64512, 90, 0x0a000002, {2, 6, 1, 4, 0, 2, 0, 1}),
       testing::notification_message(2, 7, {1, 4, 0, 1, 0, 1})},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    // The evil session backs off after each error; wait until it listens again.
    ASSERT_TRUE(run_until(io_, 3000ms, [&] { return evil->state() == State::kActive; }));
    Bytes got;
    with_peer([&] {
      RawPeer p(kLo2, listener_->port());
      EXPECT_EQ(p.read_message().at(18), 1) << "tern sends its OPEN first";
      p.send(c.sent);
      got = p.read_until(3);
    });
    EXPECT_EQ(to_hex(got), to_hex(c.expected));
    run_until(io_, 200ms, [] { return false; });
    EXPECT_EQ(good->state(), State::kEstablished);
    EXPECT_EQ(good->snapshot().counters.established_count, 1u) << "the other session never flapped";
  }
}

TEST_F(SessionTest, HoldTimerExpiryIsNotifiedAndSessionRecovers) {
  auto s = add(passive_config("silent", kLo2));
  s->start();
  std::vector<uint8_t> types;
  with_peer(
      [&] {
        RawPeer p(kLo2, listener_->port());
        p.read_message();  // tern's OPEN
        p.send(open_bytes(4, 64512, 3, 0x0a000002));
        p.send(encode(Message{Keepalive{}}, {}).value());
        // Then silence: tern must keep sending keepalives (every second) and after 3 s give
        // up with Hold Timer Expired.
        for (Bytes m = p.read_message(); !m.empty(); m = p.read_message()) {
          types.push_back(m[18]);
          if (m[18] == 3) {
            EXPECT_EQ(to_hex(m), to_hex(testing::notification_message(4, 0)));
            break;
          }
        }
      },
      8000ms);
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.back(), 3);
  EXPECT_GE(std::count(types.begin(), types.end(), 4), 2) << "keepalives before the hold expired";
  EXPECT_EQ(s->snapshot().counters.established_count, 1u);
  EXPECT_TRUE(run_until(io_, 2000ms, [&] { return s->state() == State::kActive; }))
      << "back to listening after the idle hold";
}

// The hold timer restarts on every message: keepalives for longer than the hold time keep the
// session up, and the hold time then counts from the last of them.
TEST_F(SessionTest, HoldTimerCountsFromTheLastMessage) {
  auto s = add(passive_config("talker", kLo2));
  s->start();
  std::vector<uint8_t> types;
  Clock::duration silent_for{};
  with_peer(
      [&] {
        RawPeer p(kLo2, listener_->port());
        p.read_message();  // tern's OPEN
        p.send(open_bytes(4, 64512, 3, 0x0a000002));
        const Bytes keepalive = encode(Message{Keepalive{}}, {}).value();
        for (int i = 0; i < 10; ++i) {  // 5 s of keepalives, the hold time being 3 s
          p.send(keepalive);
          std::this_thread::sleep_for(500ms);
        }
        p.send(keepalive);
        const auto last = Clock::now();
        for (Bytes m = p.read_message(); !m.empty(); m = p.read_message()) {
          types.push_back(m[18]);
          if (m[18] == 3) break;
        }
        silent_for = Clock::now() - last;
      },
      12000ms);
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(std::count(types.begin(), types.end(), 3), 1) << "one NOTIFICATION, at the end";
  EXPECT_EQ(types.back(), 3);
  EXPECT_GE(silent_for, 2900ms) << "the hold time counts from the last keepalive";
  EXPECT_LE(silent_for, 4500ms);
  EXPECT_EQ(s->snapshot().counters.established_count, 1u);
}

TEST(SessionCollision, BothSidesConnectOneConnectionSurvives) {
  asio::io_context io;
  std::vector<SessionPtr> a_side, b_side;
  Listener la(io, [&](const asio::ip::address& r) { return r == kLo3 ? a_side.at(0) : nullptr; });
  Listener lb(io, [&](const asio::ip::address& r) { return r == kLo2 ? b_side.at(0) : nullptr; });
  ASSERT_EQ(la.listen(tcp::endpoint(kLo2, 0)), "");
  ASSERT_EQ(lb.listen(tcp::endpoint(kLo3, 0)), "");
  auto ca = config("a", kLo3, 0x0a000001);
  ca.local = kLo2;
  ca.remote_port = lb.port();
  auto cb = config("b", kLo2, 0x0a000002);
  cb.local = kLo3;
  cb.remote_port = la.port();
  a_side.push_back(std::make_shared<Session>(io, ca));
  b_side.push_back(std::make_shared<Session>(io, cb));
  a_side[0]->start();
  b_side[0]->start();
  ASSERT_TRUE(run_until(io, 5000ms, [&] {
    return a_side[0]->state() == State::kEstablished && b_side[0]->state() == State::kEstablished;
  }));
  run_until(io, 500ms, [] { return false; });
  EXPECT_EQ(a_side[0]->state(), State::kEstablished);
  EXPECT_EQ(b_side[0]->state(), State::kEstablished);
  EXPECT_EQ(a_side[0]->snapshot().counters.established_count, 1u);
  EXPECT_EQ(b_side[0]->snapshot().counters.established_count, 1u);
}

TEST_F(SessionTest, AConnectionAcceptedDuringTheConnectDelayIsNotReplacedWhenItEnds) {
  auto c = config("delayed", kLo2, 0x0a000001);
  c.connect_delay = 500ms;
  c.remote_port = 1;  // nothing listens there: only the peer's connection can succeed
  auto s = add(c);
  s->start();
  std::unique_ptr<RawPeer> peer;  // stays connected until the checks are done
  with_peer([&] {
    peer = std::make_unique<RawPeer>(kLo2, listener_->port());
    peer->send(open_bytes(4, 64512, 90, 0x0a000002));
    EXPECT_FALSE(peer->read_until(4).empty());
    peer->send(testing::message(4, {}));
    std::this_thread::sleep_for(1000ms);  // well past the connect delay
  });
  EXPECT_EQ(s->state(), State::kEstablished);
  EXPECT_EQ(s->snapshot().counters.established_count, 1u);
  EXPECT_TRUE(s->snapshot().counters.last_error.empty()) << s->snapshot().counters.last_error;
}

// A plain TCP listener for a session to connect to. `count` accepts whatever has arrived and
// keeps the sockets open (a closed one would restart the session); it says how many came.
class Acceptor {
 public:
  Acceptor(asio::io_context& io, asio::ip::address at) : io_(io), acceptor_(io, {at, 0}) {
    acceptor_.non_blocking(true);
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  size_t count() {
    for (;;) {
      tcp::socket sock(io_);
      boost::system::error_code ec;
      acceptor_.accept(sock, ec);
      if (ec) return accepted_.size();
      accepted_.push_back(std::move(sock));
    }
  }

 private:
  asio::io_context& io_;
  tcp::acceptor acceptor_;
  std::vector<tcp::socket> accepted_;
};

// The connect delay counts from `connect_delay_since` when set (ternd passes its own start for
// the sessions it starts with): time spent before the session existed is not waited again.
TEST_F(SessionTest, ConnectDelayCountsFromTheGivenStart) {
  Acceptor counted_at(io_, kLo2), plain_at(io_, kLo3);
  auto counted = config("counted", kLo2, 0x0a000001);
  counted.remote_port = counted_at.port();
  counted.connect_delay = 1500ms;
  counted.connect_retry = 5000ms;  // as in production: longer than the delay
  auto plain = counted;
  plain.name = "plain";
  plain.remote = kLo3;
  plain.remote_port = plain_at.port();
  counted.connect_delay_since = Clock::now() - 1400ms;
  add(counted)->start();
  add(plain)->start();
  run_until(io_, 800ms, [&] {
    counted_at.count();
    plain_at.count();
    return false;
  });
  EXPECT_EQ(counted_at.count(), 1u) << "100 ms of its delay were left";
  EXPECT_EQ(plain_at.count(), 0u) << "without a start given, the whole 1.5 s delay is waited";
}

// A connect retry shorter than the connect delay does not connect early, and the delay's end
// connects once.
TEST_F(SessionTest, ConnectRetryDoesNotCutTheConnectDelayShort) {
  Acceptor at(io_, kLo2);
  auto c = config("patient", kLo2, 0x0a000001);  // connect retry 200 ms
  c.remote_port = at.port();
  c.connect_delay = 700ms;
  add(c)->start();
  run_until(io_, 500ms, [&] { return at.count() > 0; });
  EXPECT_EQ(at.count(), 0u) << "connected before the 700 ms delay ended";
  run_until(io_, 600ms, [&] {
    at.count();
    return false;
  });
  EXPECT_EQ(at.count(), 1u) << "the delay's end connects, once";
}

TEST_F(SessionTest, SendHoldTimerDropsAPeerThatStopsReading) {
  auto s = add([] {
    auto c = config("stuck", kLo2, 0x0a000001);
    c.passive = true;
    c.send_hold = 3500ms;  // RFC 9687: must exceed the hold time (3 s below)
    return c;
  }());
  s->start();
  std::atomic<bool> established{false};
  std::atomic<bool> release{false};
  std::thread t([&] {
    RawPeer p(kLo2, listener_->port());
    p.read_message();
    p.send(open_bytes(4, 64512, 3, 0x0a000002));
    p.send(encode(Message{Keepalive{}}, {}).value());
    p.read_until(4);
    established = true;
    // Never read again, but keep talking so the hold timer is not what ends the session.
    while (!release) {
      p.send(encode(Message{Keepalive{}}, {}).value());
      for (int i = 0; i < 50 && !release; ++i)
        std::this_thread::sleep_for(10ms);
    }
  });
  ASSERT_TRUE(run_until(io_, 3000ms, [&] { return s->state() == State::kEstablished; }));
  // Fill the socket until the kernel buffers are full.
  Update u;
  u.attrs.origin = Origin::kIgp;
  u.attrs.as_path = AsPath{};
  u.attrs.next_hop = IpAddr::v4(0x0a000001);
  for (uint32_t i = 0; i < 700; ++i) {  // stays under 4096 bytes
    Prefix p;
    p.len = 32;
    p.b = {10, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i), 1};
    u.nlri.push_back({p, 0});
  }
  for (int i = 0; i < 5000 && s->state() == State::kEstablished; ++i)
    ASSERT_TRUE(s->send(Message{u}));
  const bool dropped = run_until(io_, 8000ms, [&] { return s->state() != State::kEstablished; });
  release = true;
  t.join();
  ASSERT_TRUE(dropped);
  ASSERT_TRUE(s->snapshot().counters.last_sent.has_value());
  EXPECT_EQ(s->snapshot().counters.last_sent->code, err::kSendHoldTimer);
}

TEST_F(SessionTest, MalformedUpdatesAreCountedByTheirRfc7606Action) {
  auto s = add(passive_config("sloppy", kLo2));
  s->start();
  // The peer stays connected until the counters show: closing with tern's KEEPALIVE unread
  // would send a RST, and a RST can discard UPDATEs tern had not read yet (a loaded machine).
  std::atomic<bool> release{false}, done{false};
  std::thread peer([&] {
    using namespace testing;
    RawPeer p(kLo2, listener_->port());
    p.read_message();  // tern's OPEN
    p.send(open_bytes(4, 64512, 90, 0x0a000002));
    p.send(encode(Message{Keepalive{}}, {}).value());
    const Bytes empty_path = attribute(0x40, 2, {});
    // ORIGIN 5 does not exist: treat-as-withdraw (RFC 7606 7.1).
    p.send(update_message({}, cat({attribute(0x40, 1, {5}), empty_path, next_hop_10_0_0_1()}),
                          nlri_10_1_2()));
    // ATOMIC_AGGREGATE with a value: attribute discard (RFC 7606 7.6).
    p.send(update_message(
        {}, cat({origin_igp(), empty_path, next_hop_10_0_0_1(), attribute(0x40, 6, {1})}),
        nlri_10_1_2()));
    for (int i = 0; i < 1000 && !release; ++i)
      std::this_thread::sleep_for(10ms);
    done = true;
  });
  run_until(io_, 10000ms, [&] {
    return s->snapshot().counters.update_errors[static_cast<size_t>(Action::kAttributeDiscard)];
  });
  release = true;
  run_until(io_, 5000ms, [&] { return done.load(); });
  peer.join();
  const auto c = s->snapshot().counters;
  EXPECT_EQ(c.update_errors[static_cast<size_t>(Action::kTreatAsWithdraw)], 1u);
  EXPECT_EQ(c.update_errors[static_cast<size_t>(Action::kAttributeDiscard)], 1u);
  EXPECT_EQ(c.update_errors[static_cast<size_t>(Action::kSessionReset)], 0u);
  EXPECT_FALSE(c.last_sent) << "neither UPDATE may reset the session";
}

TEST_F(SessionTest, ThousandsOfQueuedUpdatesArriveWholeAndInOrder) {
  // Queued messages leave in gather writes of many at a time: none may be lost, repeated,
  // torn or reordered across the batches.
  auto s = add(passive_config("many", kLo2));
  s->start();
  constexpr uint32_t kUpdates = 5000;
  std::atomic<bool> established{false};
  std::vector<uint32_t> seen;  // the peer thread's until joined
  std::atomic<size_t> got{0};
  std::thread t([&] {
    RawPeer p(kLo2, listener_->port());
    p.read_message();
    p.send(open_bytes(4, 64512, 90, 0x0a000002));
    p.send(encode(Message{Keepalive{}}, {}).value());
    p.read_until(4);
    established = true;
    while (seen.size() < kUpdates) {
      Bytes m = p.read_until(2);
      if (m.empty()) return;
      auto r = decode(m, {});
      if (!r.ok()) return;
      const auto& u = std::get<Update>(*r);
      if (u.nlri.size() != 1) return;
      const auto& b = u.nlri[0].prefix.b;
      seen.push_back(uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3]);
      got = seen.size();
    }
  });
  ASSERT_TRUE(run_until(io_, 3000ms, [&] { return established.load(); }));
  Update u;
  u.attrs.origin = Origin::kIgp;
  u.attrs.as_path = AsPath{};
  u.attrs.next_hop = IpAddr::v4(0x0a000001);
  for (uint32_t i = 0; i < kUpdates; ++i) {
    Prefix p;
    p.len = 32;
    p.b = {10, static_cast<uint8_t>(i >> 16), static_cast<uint8_t>(i >> 8),
           static_cast<uint8_t>(i)};
    u.nlri.assign(1, {p, 0});
    ASSERT_TRUE(s->send(Message{u}));
  }
  run_until(io_, 10000ms, [&] { return got.load() >= kUpdates; });
  t.join();
  ASSERT_EQ(seen.size(), kUpdates);
  for (uint32_t i = 0; i < kUpdates; ++i)
    ASSERT_EQ(seen[i], i) << "message " << i;
}

}  // namespace
}  // namespace tern::bgp
