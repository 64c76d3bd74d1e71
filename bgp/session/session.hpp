#pragma once
// One BGP peer over TCP (Boost.Asio): the socket(s), framing, timers and counters around the
// pure FSM in bgp/fsm. Everything runs on the owning io_context's single thread; nothing here
// locks. Every timer carries a token that arming and stopping both change, and I/O handlers
// check that their connection is still the current one, so a callback that was already queued
// when its timer was stopped or its connection replaced can never act.

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include "bgp/session/asio.hpp"

#include "bgp/fsm/fsm.hpp"
#include "bgp/session/negotiate.hpp"
#include "bgp/wire/codec.hpp"

namespace tern::bgp {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

struct SessionConfig {
  std::string name;  // e.g. Mesh_10_0_0_2, used in logs and the API
  asio::ip::address remote;
  uint16_t remote_port = 179;
  std::optional<asio::ip::address> local;  // source address for outgoing connections
  bool passive = false;
  LocalSettings settings;
  std::string md5_password;   // empty: none
  int ttl_security_hops = 0;  // GTSM (RFC 5082): 0 off
  int multihop_ttl = 0;       // outgoing TTL when GTSM is off; 0 keeps the system default
  // Calico's BIRD: connect delay 2 s, connect retry 5 s, error wait 5..30 s.
  Millis connect_delay{2000};
  // Where the connect delay counts from; unset: the session's start. BIRD counts from its
  // protocols' start, right after it read its config; ternd passes its own start for the
  // sessions it comes up with, so the time it takes to read a large intent (500 mesh peers)
  // is not waited on top of the delay.
  std::optional<Clock::time_point> connect_delay_since;
  Millis connect_retry{5000};
  Millis idle_hold_min{5000};
  Millis idle_hold_max{30000};
  Millis open_hold{240000};  // RFC 4271 8.2.2 "large value" while waiting for OPEN
  // RFC 9687: 0 picks max(8 min, 2 x hold time). Connect retry and keepalive are jittered
  // (RFC 4271 10); see timers.hpp.
  Millis send_hold{0};
};

struct SessionCounters {
  std::array<uint64_t, 6> messages_in{};  // indexed by MessageType
  std::array<uint64_t, 6> messages_out{};
  uint64_t established_count = 0;
  // Malformed UPDATEs by the RFC 7606 action taken (indexed by Action; kSessionReset counts
  // those that ended the session).
  std::array<uint64_t, 5> update_errors{};
  uint64_t transitions = 0;
  uint32_t connect_retry_count = 0;
  std::optional<Notification> last_sent;
  std::optional<Notification> last_received;
  std::string last_error;  // human text of the most recent reason the session went down
};

struct SessionSnapshot {
  std::string name;
  std::string remote;
  State state = State::kIdle;
  Clock::time_point since;
  SessionCounters counters;
  std::optional<Negotiated> negotiated;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  using UpdateHandler = std::function<void(Session&, Update&&)>;
  using StateHandler = std::function<void(Session&, State from, State to)>;
  using RefreshHandler = std::function<void(Session&, const RouteRefresh&)>;

  Session(asio::io_context& io, SessionConfig config);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  // Administrative stop; sends Cease/Administrative Shutdown with `reason` (RFC 9003).
  void stop(std::string_view reason = {});
  // The speaker ends the session itself (RFC 4271 event 8, e.g. a prefix limit): sends
  // `n`, and starts again after `restart_after` (zero: stays down until started again).
  void automatic_stop(Notification n, std::string reason, Millis restart_after);
  // An incoming connection from this peer, handed over by the Listener.
  void accept(asio::ip::tcp::socket socket);
  // Our restart is over: OPENs from now on carry the Restart State bit clear (RFC 4724 3). A
  // peer seeing it set stops waiting for our End-of-RIB, which is right only while we restart:
  // a restarting BIRD would prune its kernel table before our routes arrive.
  void restart_done();

  // Queues an UPDATE (Established only); returns false if it could not be encoded.
  bool send(const Message& m);
  // Queues an already encoded message. The Adj-RIB-Out encodes once per update group and every
  // member's queue holds the same bytes: a reflector with 1,000 clients copies nothing.
  bool send_encoded(std::shared_ptr<const Bytes> bytes);
  // Bytes queued but not yet written: the Adj-RIB-Out pulls more only below a mark.
  size_t queued_bytes() const;

  void on_update(UpdateHandler h) { on_update_ = std::move(h); }
  void on_state(StateHandler h) { on_state_ = std::move(h); }
  // ROUTE-REFRESH from the peer (RFC 2918; RFC 7313 BoRR/EoRR), Established only.
  void on_route_refresh(RefreshHandler h) { on_refresh_ = std::move(h); }
  // Called when everything queued has been written: the moment to pull more (back-pressure).
  void on_drain(std::function<void(Session&)> h) { on_drain_ = std::move(h); }

  State state() const { return state_; }
  const SessionConfig& config() const { return config_; }
  const std::optional<Negotiated>& negotiated() const { return negotiated_; }
  // Whether the last Established session ended the way RFC 4724 lets a helper keep the
  // peer's routes: without a NOTIFICATION either way, or (RFC 8538, both sides sent the N
  // bit) with one that was not a Hard Reset.
  bool ended_gracefully() const { return ended_gracefully_; }
  SessionSnapshot snapshot() const;

 private:
  struct Connection;
  using ConnectionPtr = std::shared_ptr<Connection>;

  void handle(const Event& e);
  // What is left of the connect delay before the first connect (zero after it).
  Millis first_connect_delay() const;
  void run(const FsmAction& a);
  void change_state(State next);

  void initiate_connect();
  void read_more(const ConnectionPtr& c);
  void on_bytes(const ConnectionPtr& c);
  void on_message(const ConnectionPtr& c, Message&& m);
  void on_pending_open(const ConnectionPtr& c, Open&& o);
  void write(const ConnectionPtr& c, Bytes bytes);
  void write(const ConnectionPtr& c, std::shared_ptr<const Bytes> bytes);
  void write_more(const ConnectionPtr& c);
  void drop(const ConnectionPtr& c);
  std::string configure_socket(asio::ip::tcp::socket& s);

  // A timer whose queued expiry is ignored once it has been re-armed or stopped.
  struct FsmTimer {
    explicit FsmTimer(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    uint64_t token = 0;
    bool armed = false;
    EventType event{};
    asio::steady_timer::time_point due;  // may be later than the pending wait's expiry
    void stop() {
      ++token;
      armed = false;
      timer.cancel();
    }
  };

  void arm(FsmTimer& t, Millis d, EventType e);
  void wait(FsmTimer& t);
  Millis idle_hold_delay() const;
  Millis send_hold_time() const;
  void send_notification(const ConnectionPtr& c, const Notification& n);

  asio::io_context& io_;
  SessionConfig config_;
  State state_ = State::kIdle;
  Clock::time_point since_ = Clock::now();
  ConnectionPtr conn_;     // the connection the FSM is driving
  ConnectionPtr pending_;  // an incoming connection in collision resolution
  bool first_connect_ = true;
  std::optional<Negotiated> negotiated_;
  SessionCounters counters_;
  FsmTimer connect_retry_timer_;
  FsmTimer hold_timer_;
  FsmTimer keepalive_timer_;
  FsmTimer idle_hold_timer_;
  FsmTimer connect_delay_timer_;
  std::minstd_rand rng_;  // timer jitter only
  UpdateHandler on_update_;
  StateHandler on_state_;
  std::function<void(Session&)> on_drain_;
  RefreshHandler on_refresh_;
  // NOTIFICATIONs sent or received since the session became Established; the first one.
  std::optional<Notification> first_notification_;
  bool ended_gracefully_ = false;
};

using SessionPtr = std::shared_ptr<Session>;

}  // namespace tern::bgp
