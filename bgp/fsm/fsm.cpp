#include "bgp/fsm/fsm.hpp"

namespace tern::bgp {

namespace {

using A = ActionType;
using E = EventType;

Notification cease(uint8_t subcode) {
  return Notification{err::kCease, subcode, {}};
}
Notification fsm_error(State s) {
  // RFC 6608 subcodes: 1 OpenSent, 2 OpenConfirm, 3 Established.
  const uint8_t sub = s == State::kOpenSent ? 1 : s == State::kOpenConfirm ? 2 : 3;
  return Notification{err::kFsm, sub, {}};
}

// The common "something went wrong: tell the peer if we may, tear down, back off" path.
// `notify` is empty when no NOTIFICATION may be sent (the peer sent one, or TCP is gone).
Transition fail(State from, std::optional<Notification> notify, bool count_retry = true) {
  Transition t{State::kIdle, {}};
  if (notify) t.actions.push(A::kSendNotification, std::move(*notify));
  t.actions.push(A::kStopTimers);
  t.actions.push(A::kDropTcp);
  if (from == State::kEstablished) t.actions.push(A::kSessionDown);
  if (count_retry) t.actions.push(A::kIncrementRetryCounter);
  t.actions.push(A::kStartIdleHoldTimer);
  return t;
}

// A stop asked for by the operator: no back-off, counter reset, no automatic restart.
Transition stop(State from, const Event& e, bool manual) {
  Transition t{State::kIdle, {}};
  if (from == State::kOpenSent || from == State::kOpenConfirm || from == State::kEstablished) {
    t.actions.push(A::kSendNotification,
                   e.notification.code ? e.notification : cease(err::kAdminShutdown));
  }
  t.actions.push(A::kStopTimers);
  t.actions.push(A::kDropTcp);
  if (from == State::kEstablished) t.actions.push(A::kSessionDown);
  if (manual) {
    t.actions.push(A::kResetRetryCounter);
  } else {
    t.actions.push(A::kIncrementRetryCounter);
    t.actions.push(A::kStartIdleHoldTimer);
  }
  return t;
}

Transition stay(State s) {
  return Transition{s, {}};
}

Transition to(State next, std::initializer_list<ActionType> actions) {
  Transition t{next, {}};
  for (ActionType a : actions)
    t.actions.push(a);
  return t;
}

Transition start(bool passive) {
  Transition t{passive ? State::kActive : State::kConnect, {}};
  t.actions.push(A::kStartConnectRetryTimer);
  if (!passive) t.actions.push(A::kInitiateTcp);
  return t;
}

Transition connected() {
  Transition t{State::kOpenSent, {}};
  t.actions.push(A::kStopConnectRetryTimer);
  t.actions.push(A::kSendOpen);
  t.actions.push(A::kStartHoldTimerLarge);
  return t;
}

Transition from_idle(bool passive, const Event& e) {
  switch (e.type) {
    case E::kManualStart: {
      Transition t = start(passive);
      t.actions.push(A::kResetRetryCounter);
      return t;
    }
    case E::kManualStartPassive: {
      Transition t = start(true);
      t.actions.push(A::kResetRetryCounter);
      return t;
    }
    case E::kAutomaticStart:
    case E::kIdleHoldTimerExpires:
      return start(passive);
    case E::kAutomaticStartPassive:
      return start(true);
    default:
      return stay(State::kIdle);  // 8.2.2: other events in Idle are ignored
  }
}

// Once started, start events change nothing; a stop ends the session from any state.
std::optional<Transition> start_or_stop(State s, const Event& e) {
  switch (e.type) {
    case E::kManualStart:
    case E::kManualStartPassive:
    case E::kAutomaticStart:
    case E::kAutomaticStartPassive:
    case E::kIdleHoldTimerExpires:
      return stay(s);
    case E::kManualStop:
      return stop(s, e, true);
    case E::kAutomaticStop:
      return stop(s, e, false);
    default:
      return std::nullopt;
  }
}

// Connect and Active differ only in whether a connection attempt is in flight.
Transition from_connect_or_active(State s, bool passive, const Event& e) {
  if (auto t = start_or_stop(s, e)) return std::move(*t);
  switch (e.type) {
    case E::kConnectRetryTimerExpires: {
      Transition t{passive ? State::kActive : State::kConnect, {}};
      if (s == State::kConnect) t.actions.push(A::kDropTcp);  // abandon the attempt in flight
      t.actions.push(A::kStartConnectRetryTimer);
      if (!passive) t.actions.push(A::kInitiateTcp);
      return t;
    }
    case E::kTcpConnected:
      return connected();
    case E::kTcpConnectionFails:
      return to(State::kActive, {A::kDropTcp, A::kStartConnectRetryTimer});
    default:
      // 8.2.2 "any other event" in Connect/Active: no NOTIFICATION (no OPEN exchanged yet).
      return fail(s, std::nullopt);
  }
}

// Events that OpenSent, OpenConfirm and Established treat alike: an OPEN has been sent, so
// errors are notified, and the operator's stop is a Cease.
std::optional<Transition> after_open_sent(State s, const Event& e) {
  if (auto t = start_or_stop(s, e)) return t;
  switch (e.type) {
    case E::kHoldTimerExpires:
      return fail(s, Notification{err::kHoldTimer, 0, {}});
    case E::kSendHoldTimerExpires:
      return fail(s, Notification{err::kSendHoldTimer, 0, {}});
    case E::kBgpHeaderErr:
    case E::kBgpOpenMsgErr:
      return fail(s, e.notification);
    case E::kOpenCollisionDump:
      return fail(s, cease(err::kCollisionResolution));
    case E::kNotifMsgVerErr:
      return fail(s, std::nullopt, false);
    case E::kNotifMsg:
      return fail(s, std::nullopt);
    case E::kKeepaliveTimerExpires:
      if (s == State::kOpenSent) return std::nullopt;  // no keepalives before the OPEN
      return to(s, {A::kSendKeepalive, A::kStartKeepaliveTimer});
    default:
      return std::nullopt;
  }
}

Transition from_open_sent(const Event& e) {
  const State s = State::kOpenSent;
  if (auto t = after_open_sent(s, e)) return std::move(*t);
  switch (e.type) {
    case E::kTcpConnectionFails:
      return to(State::kActive, {A::kStopTimers, A::kDropTcp, A::kStartConnectRetryTimer});
    case E::kBgpOpen:
      return to(State::kOpenConfirm, {A::kStopConnectRetryTimer, A::kSendKeepalive,
                                      A::kStartKeepaliveTimer, A::kStartHoldTimer});
    default:
      return fail(s, fsm_error(s));
  }
}

Transition from_open_confirm(const Event& e) {
  const State s = State::kOpenConfirm;
  if (auto t = after_open_sent(s, e)) return std::move(*t);
  switch (e.type) {
    case E::kTcpConnectionFails:
      return fail(s, std::nullopt);
    case E::kKeepAliveMsg:
      return to(State::kEstablished, {A::kStartHoldTimer, A::kEstablished});
    default:
      return fail(s, fsm_error(s));
  }
}

Transition from_established(const Event& e) {
  const State s = State::kEstablished;
  if (auto t = after_open_sent(s, e)) return std::move(*t);
  switch (e.type) {
    case E::kKeepAliveMsg:
      return to(s, {A::kStartHoldTimer});
    case E::kUpdateMsg:
    case E::kRouteRefreshMsg:
      return to(s, {A::kStartHoldTimer, A::kProcessMessage});
    case E::kTcpConnectionFails:
      return fail(s, std::nullopt);
    case E::kUpdateMsgErr:
      return fail(s, e.notification);
    default:
      return fail(s, fsm_error(s));
  }
}

}  // namespace

bool Actions::contains(ActionType t) const {
  for (const auto& a : *this)
    if (a.type == t) return true;
  return false;
}

Transition fsm_step(State current, bool passive, const Event& e) {
  switch (current) {
    case State::kIdle:
      return from_idle(passive, e);
    case State::kConnect:
    case State::kActive:
      return from_connect_or_active(current, passive, e);
    case State::kOpenSent:
      return from_open_sent(e);
    case State::kOpenConfirm:
      return from_open_confirm(e);
    case State::kEstablished:
      return from_established(e);
  }
  return stay(current);
}

bool locally_initiated_wins(uint32_t local_id, uint32_t remote_id) {
  // Compared as host-order integers (RFC 6286 2.2 for the 4-octet identifier); equal ids
  // cannot happen between distinct speakers and are refused at OPEN time.
  return local_id > remote_id;
}

const char* to_string(State s) {
  static const char* const kNames[] = {"Idle",     "Connect",     "Active",
                                       "OpenSent", "OpenConfirm", "Established"};
  return kNames[static_cast<int>(s)];
}

const char* to_string(EventType e) {
  static const char* const kNames[] = {"ManualStart",
                                       "ManualStop",
                                       "AutomaticStart",
                                       "ManualStartPassive",
                                       "AutomaticStartPassive",
                                       "AutomaticStop",
                                       "ConnectRetryTimerExpires",
                                       "HoldTimerExpires",
                                       "KeepaliveTimerExpires",
                                       "IdleHoldTimerExpires",
                                       "TcpConnected",
                                       "TcpConnectionFails",
                                       "BgpOpen",
                                       "BgpHeaderErr",
                                       "BgpOpenMsgErr",
                                       "OpenCollisionDump",
                                       "NotifMsgVerErr",
                                       "NotifMsg",
                                       "KeepAliveMsg",
                                       "UpdateMsg",
                                       "UpdateMsgErr",
                                       "RouteRefreshMsg",
                                       "SendHoldTimerExpires"};
  static_assert(std::size(kNames) == kEventTypeCount);
  return kNames[static_cast<int>(e)];
}

const char* to_string(ActionType a) {
  static const char* const kNames[] = {"InitiateTcp",
                                       "DropTcp",
                                       "SendOpen",
                                       "SendKeepalive",
                                       "SendNotification",
                                       "StartConnectRetryTimer",
                                       "StopConnectRetryTimer",
                                       "StartHoldTimerLarge",
                                       "StartHoldTimer",
                                       "StartKeepaliveTimer",
                                       "StopTimers",
                                       "StartIdleHoldTimer",
                                       "ResetRetryCounter",
                                       "IncrementRetryCounter",
                                       "Established",
                                       "ProcessMessage",
                                       "SessionDown"};
  return kNames[static_cast<int>(a)];
}

}  // namespace tern::bgp
