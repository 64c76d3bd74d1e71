#include "bgp/session/session.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "bgp/session/socket_options.hpp"
#include "bgp/session/timers.hpp"
#include "bgp/wire/format.hpp"

namespace tern::bgp {

namespace {

// Timer jitter needs no fresh entropy per session: a random_device opened per session cost
// 8% of ternd's start with 500 mesh peers, so each thread opens one and draws seeds from it.
uint32_t jitter_seed() {
  thread_local std::random_device device;
  thread_local std::mt19937 seeds(device());
  return static_cast<uint32_t>(seeds());
}

}  // namespace

using asio::ip::tcp;

struct Session::Connection {
  explicit Connection(asio::io_context& io, bool out) : socket(io), send_hold(io), outgoing(out) {}
  tcp::socket socket;
  asio::steady_timer send_hold;  // RFC 9687: armed while output is stuck
  bool outgoing;
  bool writing = false;
  bool closing = false;  // close once the queue (a NOTIFICATION) is flushed
  // Bytes read and not yet framed. Freed whenever it empties: an idle session holds no
  // receive buffer (reads land in the loop's one scratch buffer first).
  Bytes rx;
  size_t rx_used = 0;
  std::deque<std::shared_ptr<const Bytes>> tx;
  size_t tx_bytes = 0;                    // the sum of tx's sizes, asked for at every pull
  std::vector<asio::const_buffer> batch;  // the front of `tx` being written
  CodecContext ctx;                       // what the codec may assume on this connection
};

Session::Session(asio::io_context& io, SessionConfig config)
    : io_(io),
      config_(std::move(config)),
      connect_retry_timer_(io),
      hold_timer_(io),
      keepalive_timer_(io),
      idle_hold_timer_(io),
      connect_delay_timer_(io),
      rng_(jitter_seed()) {}

Session::~Session() {
  for (auto* c : {conn_.get(), pending_.get()}) {
    if (!c) continue;
    boost::system::error_code ec;
    c->socket.close(ec);
  }
}

void Session::start() {
  first_connect_ = true;
  handle(Event{config_.passive ? EventType::kManualStartPassive : EventType::kManualStart, {}});
}

void Session::restart_done() {
  if (config_.settings.graceful_restart) config_.settings.graceful_restart->restarting = false;
}

void Session::stop(std::string_view reason) {
  Event e{EventType::kManualStop, {}};
  if (!reason.empty()) e.notification = Notification::shutdown(err::kAdminShutdown, reason);
  counters_.last_error = "stopped by the operator";
  handle(e);
  idle_hold_timer_.stop();
}

void Session::automatic_stop(Notification n, std::string reason, Millis restart_after) {
  handle(Event{EventType::kAutomaticStop, std::move(n)});
  counters_.last_error = std::move(reason);
  // In place of the back-off the stop started: the operator's restart time, or none.
  if (restart_after.count() > 0) {
    arm(idle_hold_timer_, restart_after, EventType::kIdleHoldTimerExpires);
  } else {
    idle_hold_timer_.stop();
  }
}

// ------------------------------------------------------------------ FSM glue

void Session::handle(const Event& e) {
  Transition t = fsm_step(state_, config_.passive, e);
  // The state changes before the actions run; a NOTIFICATION that ends an Established
  // session has to be known when it does (graceful restart depends on it).
  if (state_ == State::kEstablished && !first_notification_)
    for (const auto& a : t.actions)
      if (a.type == ActionType::kSendNotification) first_notification_ = a.notification;
  if (t.next != state_) change_state(t.next);
  for (const auto& a : t.actions)
    run(a);
}

void Session::change_state(State next) {
  const State from = state_;
  state_ = next;
  since_ = Clock::now();
  ++counters_.transitions;
  if (next == State::kEstablished || from == State::kEstablished) {
    spdlog::info("peer {} ({}): {} -> {}", config_.name, config_.remote.to_string(),
                 to_string(from), to_string(next));
  } else {
    spdlog::debug("peer {}: {} -> {}", config_.name, to_string(from), to_string(next));
  }
  if (next == State::kEstablished) first_notification_.reset();
  if (from == State::kEstablished) {
    const auto& n = negotiated_;
    const bool n_bit = n && n->peer_graceful_restart && n->peer_graceful_restart->notification &&
                       config_.settings.graceful_restart &&
                       config_.settings.graceful_restart->notification;
    const bool hard_reset = first_notification_ && first_notification_->code == err::kCease &&
                            first_notification_->subcode == err::kHardReset;
    ended_gracefully_ = !first_notification_ || (n_bit && !hard_reset);
  }
  if (on_state_) on_state_(*this, from, next);
}

Millis Session::first_connect_delay() const {
  if (!first_connect_) return Millis{0};
  Millis delay = config_.connect_delay;
  if (config_.connect_delay_since)
    delay -= std::chrono::duration_cast<Millis>(Clock::now() - *config_.connect_delay_since);
  return delay;
}

void Session::run(const FsmAction& a) {
  switch (a.type) {
    case ActionType::kInitiateTcp: {
      // A connect retry that expires within the connect delay (a retry time shorter than the
      // delay) leaves the connecting to the delay's end: connecting now would cut the delay
      // short, and the delay's own connect would then replace this connection.
      if (connect_delay_timer_.armed) break;
      const Millis delay = first_connect_delay();
      first_connect_ = false;
      if (delay.count() > 0) {
        auto& t = connect_delay_timer_;
        t.armed = true;
        t.timer.expires_after(delay);
        t.timer.async_wait(
            [self = weak_from_this(), token = ++t.token](const boost::system::error_code& ec) {
              auto s = self.lock();
              if (!s || ec || token != s->connect_delay_timer_.token) return;
              s->connect_delay_timer_.armed = false;
              s->initiate_connect();
            });
      } else {
        initiate_connect();
      }
      break;
    }
    case ActionType::kDropTcp:
      if (conn_) drop(conn_);
      conn_.reset();
      negotiated_.reset();
      break;
    case ActionType::kSendOpen:
      if (conn_) write(conn_, encode(Message{make_open(config_.settings)}, conn_->ctx).value());
      break;
    case ActionType::kSendKeepalive:
      if (conn_) write(conn_, encode(Message{Keepalive{}}, conn_->ctx).value());
      break;
    case ActionType::kSendNotification:
      if (conn_) send_notification(conn_, a.notification);
      break;
    case ActionType::kStartConnectRetryTimer:
      arm(connect_retry_timer_, jittered(config_.connect_retry, rng_()),
          EventType::kConnectRetryTimerExpires);
      break;
    case ActionType::kStopConnectRetryTimer:
      connect_retry_timer_.stop();
      break;
    case ActionType::kStartHoldTimerLarge:
      arm(hold_timer_, config_.open_hold, EventType::kHoldTimerExpires);
      break;
    case ActionType::kStartHoldTimer:
      if (negotiated_ && negotiated_->hold_time > 0) {
        arm(hold_timer_, Millis(negotiated_->hold_time * 1000), EventType::kHoldTimerExpires);
      } else {
        hold_timer_.stop();
      }
      break;
    case ActionType::kStartKeepaliveTimer:
      if (negotiated_ && negotiated_->keepalive_time > 0) {
        arm(keepalive_timer_, jittered(Millis(negotiated_->keepalive_time * 1000), rng_()),
            EventType::kKeepaliveTimerExpires);
      }
      break;
    case ActionType::kStopTimers:
      connect_retry_timer_.stop();
      hold_timer_.stop();
      keepalive_timer_.stop();
      connect_delay_timer_.stop();
      break;
    case ActionType::kStartIdleHoldTimer:
      arm(idle_hold_timer_, idle_hold_delay(), EventType::kIdleHoldTimerExpires);
      break;
    case ActionType::kResetRetryCounter:
      counters_.connect_retry_count = 0;
      break;
    case ActionType::kIncrementRetryCounter:
      ++counters_.connect_retry_count;
      break;
    case ActionType::kEstablished:
      ++counters_.established_count;
      counters_.connect_retry_count = 0;
      break;
    case ActionType::kProcessMessage:
    case ActionType::kSessionDown:
      // Delivered by on_message and on_state respectively; nothing more to do here.
      break;
  }
}

void Session::arm(FsmTimer& t, Millis d, EventType e) {
  const auto due = asio::steady_timer::clock_type::now() + d;
  // The hold timer restarts on every message received. A wait already pending that ends no
  // later is kept and only its due time moves: cancelling it and starting another for each
  // UPDATE cost an allocation and a queued completion per message (5% of the CPU while a
  // full table arrives).
  if (t.armed && t.event == e && t.timer.expiry() <= due) {
    t.due = due;
    return;
  }
  t.armed = true;
  t.event = e;
  t.due = due;
  wait(t);
}

void Session::wait(FsmTimer& t) {
  t.timer.expires_at(t.due);
  t.timer.async_wait([self = weak_from_this(), timer = &t,
                      token = ++t.token](const boost::system::error_code& ec) {
    auto s = self.lock();
    // The timer lives in the session, so `timer` is valid whenever the session is.
    if (!s || ec || token != timer->token) return;
    if (asio::steady_timer::clock_type::now() < timer->due) return s->wait(*timer);  // moved on
    timer->armed = false;
    s->handle(Event{timer->event, {}});
  });
}

Millis Session::idle_hold_delay() const {
  return idle_hold_backoff(config_.idle_hold_min, config_.idle_hold_max,
                           std::max<uint32_t>(counters_.connect_retry_count, 1));
}

Millis Session::send_hold_time() const {
  const Millis hold = negotiated_ ? Millis(negotiated_->hold_time * 1000) : config_.open_hold;
  return tern::bgp::send_hold_time(config_.send_hold, hold);
}

// ------------------------------------------------------------------ connections

std::string Session::configure_socket(tcp::socket& s) {
  const int fd = s.native_handle();
  const int family = config_.remote.is_v4() ? AF_INET : AF_INET6;
  if (!config_.md5_password.empty()) {
    // RFC 2385: refuse to run unsigned when a key is configured.
    if (auto e = set_tcp_md5(fd, to_sockaddr(config_.remote), config_.md5_password); !e.empty())
      return e;
  }
  // UPDATEs are written in whole batches: Nagle's algorithm would only hold the last
  // partial segment of a batch back until the peer's delayed ACK (40 ms).
  s.set_option(tcp::no_delay(true));
  // Reads wait for readability and then read what is there (read_more); asio's own async
  // writes are unaffected.
  boost::system::error_code ec;
  s.non_blocking(true, ec);
  if (ec) return "non-blocking mode: " + ec.message();
  if (config_.ttl_security_hops > 0) return set_gtsm(fd, family, config_.ttl_security_hops);
  if (config_.multihop_ttl > 0) return set_ttl(fd, family, config_.multihop_ttl);
  return {};
}

void Session::initiate_connect() {
  auto c = std::make_shared<Connection>(io_, true);
  boost::system::error_code ec;
  c->socket.open(config_.remote.is_v4() ? tcp::v4() : tcp::v6(), ec);
  if (!ec && config_.local) c->socket.bind(tcp::endpoint(*config_.local, 0), ec);
  std::string why = ec ? ec.message() : configure_socket(c->socket);
  conn_ = c;
  if (!why.empty()) {
    counters_.last_error = "cannot set up connection: " + why;
    spdlog::warn("peer {}: {}", config_.name, counters_.last_error);
    handle(Event{EventType::kTcpConnectionFails, {}});
    return;
  }
  c->socket.async_connect(tcp::endpoint(config_.remote, config_.remote_port),
                          [self = weak_from_this(), c](const boost::system::error_code& ec) {
                            auto s = self.lock();
                            if (!s || s->conn_ != c) return;  // superseded (stop, collision, retry)
                            if (ec) {
                              s->counters_.last_error = "connect: " + ec.message();
                              s->handle(Event{EventType::kTcpConnectionFails, {}});
                              return;
                            }
                            s->read_more(c);
                            s->handle(Event{EventType::kTcpConnected, {}});
                          });
}

void Session::accept(tcp::socket socket) {
  auto c = std::make_shared<Connection>(io_, false);
  c->socket = std::move(socket);
  boost::system::error_code ec;
  if (auto why = configure_socket(c->socket); !why.empty()) {
    spdlog::warn("peer {}: refusing connection: {}", config_.name, why);
    c->socket.close(ec);
    return;
  }
  switch (state_) {
    case State::kIdle:
    case State::kEstablished:
      // Idle refuses connections (RFC 4271 8.2.2); an Established session wins any collision.
      c->socket.close(ec);
      return;
    case State::kConnect:
    case State::kActive:
      // Nothing was exchanged on our own attempt yet: take the peer's connection instead,
      // and make sure a first connect still waiting for its delay never starts.
      connect_delay_timer_.stop();
      if (conn_) drop(conn_);
      conn_ = c;
      read_more(c);
      handle(Event{EventType::kTcpConnected, {}});
      return;
    case State::kOpenSent:
    case State::kOpenConfirm:
      if (pending_) {
        c->socket.close(ec);
        return;
      }
      // RFC 4271 6.8: keep both until the new connection's OPEN tells us the identifier.
      pending_ = c;
      write(c, encode(Message{make_open(config_.settings)}, c->ctx).value());
      read_more(c);
      return;
  }
}

namespace {
// Where every read lands before its bytes join their connection's rx. One per thread that
// runs sessions (the loop), made on its first read: a connection waiting for data holds no
// buffer of its own, so a thousand idle sessions cost no receive memory, and a busy one
// takes up to 64 KiB per read.
constexpr size_t kScratch = 65536;
uint8_t* scratch() {
  thread_local auto buf = std::make_unique_for_overwrite<uint8_t[]>(kScratch);
  return buf.get();
}
}  // namespace

void Session::read_more(const ConnectionPtr& c) {
  // Wait for readability, then read without blocking (the socket is in non-blocking mode).
  c->socket.async_wait(
      tcp::socket::wait_read, [self = weak_from_this(), c](boost::system::error_code ec) {
        auto s = self.lock();
        if (!s || c->closing) return;
        const bool current = c == s->conn_;
        if (!current && c != s->pending_) return;
        size_t n = 0;
        if (!ec) {
          uint8_t* buf = scratch();
          n = c->socket.read_some(asio::buffer(buf, kScratch), ec);
          if (ec == asio::error::would_block || ec == asio::error::try_again) {
            s->read_more(c);
            return;
          }
          if (!ec) c->rx.insert(c->rx.end(), buf, buf + n);
        }
        if (ec) {
          if (current) {
            s->counters_.last_error =
                ec == asio::error::eof ? "connection closed by peer" : "read: " + ec.message();
            s->handle(Event{EventType::kTcpConnectionFails, {}});
          } else {
            s->drop(c);
            s->pending_.reset();
          }
          return;
        }
        // Acknowledge at once rather than up to 40 ms later: a peer whose Nagle holds the last
        // segment of a table until our ACK would otherwise end every burst with that delay.
        // (Linux clears quick-ACK mode by itself, so it is set again after each read.)
        const int one = 1;
        ::setsockopt(c->socket.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
        s->on_bytes(c);
        if (c->socket.is_open() && !c->closing && (c == s->conn_ || c == s->pending_))
          s->read_more(c);
      });
}

void Session::on_bytes(const ConnectionPtr& c) {
  while (c == conn_ || c == pending_) {
    const ByteSpan avail = ByteSpan(c->rx).subspan(c->rx_used);
    auto h = frame(avail, c->ctx);
    if (!h) {
      counters_.last_error = to_string(h.error());
      if (c == conn_) handle(Event{EventType::kBgpHeaderErr, Notification::from_error(h.error())});
      return;
    }
    if (!h->has_value()) break;
    const size_t len = h->value().length;
    const MessageType type = h->value().type;
    auto m = decode(avail.first(len), c->ctx);
    c->rx_used += len;
    ++counters_.messages_in[static_cast<size_t>(type)];
    if (!m) {
      counters_.last_error = to_string(m.error());
      spdlog::warn("peer {}: {} (message {})", config_.name, counters_.last_error,
                   to_hex(avail.first(std::min<size_t>(len, 4096))));
      if (c != conn_) {
        drop(c);
        pending_.reset();
        return;
      }
      if (type == MessageType::kUpdate)
        ++counters_.update_errors[static_cast<size_t>(Action::kSessionReset)];
      const EventType e = type == MessageType::kOpen     ? EventType::kBgpOpenMsgErr
                          : type == MessageType::kUpdate ? EventType::kUpdateMsgErr
                                                         : EventType::kBgpHeaderErr;
      handle(Event{e, Notification::from_error(m.error())});
      return;
    }
    on_message(c, std::move(m).value());
  }
  // Free the buffer once it is all consumed (the usual case between bursts); otherwise compact
  // once it is mostly consumed, so it neither grows nor copies per message.
  if (c->rx_used == c->rx.size()) {
    Bytes().swap(c->rx);
    c->rx_used = 0;
  } else if (c->rx_used > 0 && c->rx_used * 2 >= c->rx.size()) {
    c->rx.erase(c->rx.begin(), c->rx.begin() + static_cast<long>(c->rx_used));
    c->rx_used = 0;
  }
}

void Session::on_message(const ConnectionPtr& c, Message&& m) {
  spdlog::debug("peer {}: {} on the {} connection{} in {}", config_.name,
                static_cast<int>(type_of(m)), c->outgoing ? "outgoing" : "incoming",
                c == pending_ ? " (in collision)" : "", to_string(state_));
  if (c == pending_) {
    if (auto* o = std::get_if<Open>(&m)) {
      on_pending_open(c, std::move(*o));
    } else {
      drop(c);
      pending_.reset();
    }
    return;
  }
  switch (type_of(m)) {
    case MessageType::kOpen: {
      auto& open = std::get<Open>(m);
      auto n = negotiate(config_.settings, open);
      if (!n) {
        counters_.last_error = to_string(n.error());
        spdlog::warn("peer {}: OPEN refused: {}", config_.name, counters_.last_error);
        handle(Event{EventType::kBgpOpenMsgErr, Notification::from_error(n.error())});
        return;
      }
      negotiated_ = std::move(n).value();
      c->ctx = negotiated_->codec;
      handle(Event{EventType::kBgpOpen, {}});
      return;
    }
    case MessageType::kKeepalive:
      handle(Event{EventType::kKeepAliveMsg, {}});
      return;
    case MessageType::kUpdate: {
      if (const auto a = std::get<Update>(m).action; a != Action::kNone)
        ++counters_.update_errors[static_cast<size_t>(a)];
      const State before = state_;
      handle(Event{EventType::kUpdateMsg, {}});
      if (before == State::kEstablished && state_ == State::kEstablished && on_update_)
        on_update_(*this, std::move(std::get<Update>(m)));
      return;
    }
    case MessageType::kRouteRefresh: {
      const auto sub = static_cast<uint8_t>(std::get<RouteRefresh>(m).subtype);
      if (sub > 2) return;  // RFC 7313 5: unknown subtypes are ignored
      const State before = state_;
      handle(Event{EventType::kRouteRefreshMsg, {}});
      if (before == State::kEstablished && state_ == State::kEstablished && on_refresh_)
        on_refresh_(*this, std::get<RouteRefresh>(m));
      return;
    }
    case MessageType::kNotification: {
      const auto& n = std::get<Notification>(m);
      counters_.last_received = n;
      if (!first_notification_) first_notification_ = n;
      std::string text = describe(n.code, n.subcode);
      if (auto s = n.shutdown_text()) text += " \"" + *s + "\"";
      counters_.last_error = "received " + text;
      spdlog::warn("peer {}: received NOTIFICATION {}", config_.name, text);
      const bool version = n.code == err::kOpen && n.subcode == err::kUnsupportedVersion;
      handle(Event{version ? EventType::kNotifMsgVerErr : EventType::kNotifMsg, {}});
      return;
    }
  }
}

void Session::on_pending_open(const ConnectionPtr& c, Open&& o) {
  // RFC 4271 6.8: the connection opened by the speaker with the higher identifier survives.
  const bool keep_current =
      conn_ && conn_->outgoing == locally_initiated_wins(config_.settings.router_id, o.bgp_id);
  const Notification collision{err::kCease, err::kCollisionResolution, {}};
  if (keep_current) {
    send_notification(c, collision);
    drop(c);
    pending_.reset();
    return;
  }
  spdlog::info("peer {}: connection collision, keeping the peer's connection", config_.name);
  if (conn_) {
    send_notification(conn_, collision);
    drop(conn_);
  }
  conn_ = c;
  pending_.reset();
  if (state_ != State::kOpenSent) change_state(State::kOpenSent);
  on_message(c, Message{std::move(o)});
}

void Session::send_notification(const ConnectionPtr& c, const Notification& n) {
  counters_.last_sent = n;
  if (c == conn_ && !first_notification_) first_notification_ = n;
  std::string text = describe(n.code, n.subcode);
  if (auto s = n.shutdown_text()) text += " \"" + *s + "\"";
  counters_.last_error = "sent " + text;
  spdlog::warn("peer {}: sending NOTIFICATION {}", config_.name, text);
  auto bytes = encode(Message{n}, c->ctx);
  if (bytes) write(c, std::move(bytes).value());
}

void Session::write(const ConnectionPtr& c, Bytes bytes) {
  write(c, std::make_shared<const Bytes>(std::move(bytes)));
}

void Session::write(const ConnectionPtr& c, std::shared_ptr<const Bytes> bytes) {
  if (!c->socket.is_open() || c->closing) return;
  const Bytes& b = *bytes;
  if (b.size() >= kHeaderSize) ++counters_.messages_out[b[18] <= 5 ? b[18] : 0];
  c->tx_bytes += b.size();
  c->tx.push_back(std::move(bytes));
  if (!c->writing) write_more(c);
}

void Session::write_more(const ConnectionPtr& c) {
  if (c->tx.empty()) {
    c->writing = false;
    c->send_hold.cancel();
    if (!c->closing && c == conn_ && on_drain_) {
      // Posted: the handler may queue more, which must not recurse into this write chain.
      asio::post(io_, [self = weak_from_this()] {
        auto s = self.lock();
        if (s && s->on_drain_ && s->state_ == State::kEstablished) s->on_drain_(*s);
      });
    }
    if (c->closing) {
      boost::system::error_code ec;
      c->socket.shutdown(tcp::socket::shutdown_both, ec);
      c->socket.close(ec);
    }
    return;
  }
  if (!c->writing && !c->closing) {  // once closing, drop()'s grace timer is in charge
    // RFC 9687: if nothing can be written for SendHoldTime, the peer is not reading.
    c->send_hold.expires_after(send_hold_time());
    c->send_hold.async_wait([self = weak_from_this(), c](const boost::system::error_code& ec) {
      auto s = self.lock();
      if (!s || ec || c != s->conn_ || c->tx.empty()) return;
      s->counters_.last_error = "send hold timer expired: peer stopped reading";
      s->handle(Event{EventType::kSendHoldTimerExpires, {}});
    });
  }
  c->writing = true;
  // What is queued goes out in one gather write, up to a bound: a table of many small UPDATEs
  // (one per attribute set) would otherwise cost a system call per message. Queued messages
  // stay put while it runs (a deque keeps its elements where they are when more are added).
  // A reflector's UPDATEs carry one route each (every client's route has its own next hop),
  // about 60 bytes: 256 of them still make only 15 KiB. IOV_MAX is 1024.
  constexpr size_t kBatchMessages = 256;
  constexpr size_t kBatchBytes = 64 * 1024;
  c->batch.clear();
  size_t bytes = 0;
  for (const auto& m : c->tx) {
    if (c->batch.size() == kBatchMessages || bytes >= kBatchBytes) break;
    c->batch.emplace_back(m->data(), m->size());
    bytes += m->size();
  }
  asio::async_write(c->socket, c->batch,
                    [self = weak_from_this(), c, n = c->batch.size(), bytes](
                        const boost::system::error_code& ec, size_t) {
                      auto s = self.lock();
                      if (!s) return;
                      if (ec) {
                        c->writing = false;
                        c->tx.clear();
                        c->tx_bytes = 0;
                        if (c == s->conn_ && !c->closing) {
                          s->counters_.last_error = "write: " + ec.message();
                          s->handle(Event{EventType::kTcpConnectionFails, {}});
                        }
                        return;
                      }
                      c->tx.erase(c->tx.begin(), c->tx.begin() + static_cast<long>(n));
                      c->tx_bytes -= bytes;
                      c->writing = false;  // progress: write_more re-arms the send hold timer
                      s->write_more(c);
                    });
}

void Session::drop(const ConnectionPtr& c) {
  c->closing = true;
  boost::system::error_code ec;
  if (c->writing || !c->tx.empty()) {
    // Let a queued NOTIFICATION go out, but never wait on a peer that does not read: the
    // socket is closed after a grace period either way.
    c->send_hold.expires_after(Millis(2000));
    c->send_hold.async_wait([c](const boost::system::error_code& e) {
      if (e) return;
      boost::system::error_code ignored;
      c->socket.close(ignored);
    });
    return;
  }
  c->send_hold.cancel();
  c->socket.shutdown(tcp::socket::shutdown_both, ec);
  c->socket.close(ec);
}

bool Session::send(const Message& m) {
  if (state_ != State::kEstablished || !conn_) return false;
  Bytes out;
  if (!encode(m, conn_->ctx, out)) return false;
  write(conn_, std::move(out));
  return true;
}

bool Session::send_encoded(std::shared_ptr<const Bytes> bytes) {
  if (state_ != State::kEstablished || !conn_) return false;
  write(conn_, std::move(bytes));
  return true;
}

size_t Session::queued_bytes() const {
  return conn_ ? conn_->tx_bytes : 0;
}

SessionSnapshot Session::snapshot() const {
  SessionSnapshot s;
  s.name = config_.name;
  s.remote = config_.remote.to_string();
  s.state = state_;
  s.since = since_;
  s.counters = counters_;
  s.negotiated = negotiated_;
  return s;
}

}  // namespace tern::bgp
