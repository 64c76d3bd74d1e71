#pragma once
// The BGP finite state machine of RFC 4271 section 8 as one pure transition function: given
// a state and an event it returns the next state and the actions the session must carry out,
// in order. No sockets, no timers, no clock: the session owns those and feeds their expiry
// back as events, which is what makes every state x event pair unit-testable.
//
// Deliberate departures from the letter of section 8.2.2, each in the spirit of 8.1.1's
// optional attributes and of what deployed speakers do:
// - no DelayOpen and no peer oscillation damping timers (events 6, 7, 12, 20);
// - a failed outgoing connect moves Connect -> Active and waits ConnectRetryTime (the RFC's
//   DelayOpen branch) instead of dropping to Idle, so a peer that is not up yet is retried;
// - every drop to Idle after a failure arms the IdleHoldTimer; its expiry is the automatic
//   (re)start, so retries back off in the session rather than spin;
// - a NOTIFICATION is never answered with a NOTIFICATION (section 6.4), even where 8.2.2's
//   "any other event" row would send an FSM error;
// - SendHoldTimer_Expires (RFC 9687) and ROUTE-REFRESH are events of their own.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "bgp/wire/message.hpp"

namespace tern::bgp {

enum class State : uint8_t { kIdle, kConnect, kActive, kOpenSent, kOpenConfirm, kEstablished };
inline constexpr int kStateCount = 6;
const char* to_string(State s);

// RFC 4271 8.1 event numbers in comments.
enum class EventType : uint8_t {
  kManualStart,               // 1
  kManualStop,                // 2
  kAutomaticStart,            // 3
  kManualStartPassive,        // 4
  kAutomaticStartPassive,     // 5
  kAutomaticStop,             // 8
  kConnectRetryTimerExpires,  // 9
  kHoldTimerExpires,          // 10
  kKeepaliveTimerExpires,     // 11
  kIdleHoldTimerExpires,      // 13
  kTcpConnected,              // 16/17: our connect completed, or we accepted one
  kTcpConnectionFails,        // 18
  kBgpOpen,                   // 19: a valid OPEN, negotiation succeeded
  kBgpHeaderErr,              // 21
  kBgpOpenMsgErr,             // 22 (includes negotiation failures)
  kOpenCollisionDump,         // 23
  kNotifMsgVerErr,            // 24
  kNotifMsg,                  // 25
  kKeepAliveMsg,              // 26
  kUpdateMsg,                 // 27
  kUpdateMsgErr,              // 28
  kRouteRefreshMsg,           // RFC 2918
  kSendHoldTimerExpires,      // RFC 9687
};
inline constexpr int kEventTypeCount = 23;
const char* to_string(EventType e);

struct Event {
  EventType type;
  // For the error events: the NOTIFICATION to send. For ManualStop/AutomaticStop: an
  // optional Cease to send instead of the default (e.g. with an RFC 9003 text).
  Notification notification{};
};

enum class ActionType : uint8_t {
  kInitiateTcp,  // start an outgoing connection
  kDropTcp,      // close the connection (after flushing a NOTIFICATION)
  kSendOpen,
  kSendKeepalive,
  kSendNotification,        // FsmAction::notification
  kStartConnectRetryTimer,  // (re)start with ConnectRetryTime
  kStopConnectRetryTimer,
  kStartHoldTimerLarge,  // RFC 4271 8.2.2: 4 minutes while waiting for OPEN
  kStartHoldTimer,       // (re)start with the negotiated hold time (not if it is 0)
  kStartKeepaliveTimer,  // (re)start with the negotiated keepalive time
  kStopTimers,           // every timer of this connection
  kStartIdleHoldTimer,   // back-off before the automatic restart
  kResetRetryCounter,
  kIncrementRetryCounter,
  kEstablished,     // tell the RIB the session is up (send the initial table)
  kProcessMessage,  // hand the UPDATE/ROUTE-REFRESH to the RIB
  kSessionDown,     // tell the RIB the session went down (it decides about GR)
};
const char* to_string(ActionType a);

struct FsmAction {
  ActionType type;
  Notification notification{};
  bool operator==(const FsmAction&) const = default;
};

// Fixed capacity: no transition needs more than a handful of actions, and this keeps the hot
// Established + UpdateMsg path free of allocation.
class Actions {
 public:
  void push(ActionType t) { items_[n_++] = FsmAction{t, {}}; }
  void push(ActionType t, Notification n) { items_[n_++] = FsmAction{t, std::move(n)}; }
  size_t size() const { return n_; }
  const FsmAction* begin() const { return items_.data(); }
  const FsmAction* end() const { return items_.data() + n_; }
  const FsmAction& operator[](size_t i) const { return items_[i]; }
  bool contains(ActionType t) const;

 private:
  std::array<FsmAction, 10> items_{};
  size_t n_ = 0;
};

struct Transition {
  State next;
  Actions actions;
};

// passive: the peer is configured never to initiate (RFC 4271 PassiveTcpEstablishment); it
// only matters where a timer would otherwise make us connect.
Transition fsm_step(State current, bool passive, const Event& e);

// RFC 4271 6.8: of two connections to the same peer, the one initiated by the speaker with
// the higher BGP Identifier survives. Returns true when the connection we initiated wins.
bool locally_initiated_wins(uint32_t local_id, uint32_t remote_id);

}  // namespace tern::bgp
