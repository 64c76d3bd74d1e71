// The FSM as a table: every state x event pair, active and passive, then the actions that
// matter (what is sent, what the RIB is told, when we back off).

#include <gtest/gtest.h>

#include <string>

#include "bgp/fsm/fsm.hpp"

namespace tern::bgp {
namespace {

// Next state per event, in EventType order:
// MS MStop AS MSP ASP AStop CRTE HTE KTE IHTE TcpC TcpF Open Hdr OErr Coll NVer Notif Ka Upd UErr
// RR SHTE I=Idle C=Connect A=Active S=OpenSent F=OpenConfirm E=Established
const char* const kActive[kStateCount] = {
    /* Idle        */ "CICAAIIIICIIIIIIIIIIIII",
    /* Connect     */ "CICCCICIICSAIIIIIIIIIII",
    /* Active      */ "AIAAAICIIASAIIIIIIIIIII",
    /* OpenSent    */ "SISSSIIIISIAFIIIIIIIIII",
    /* OpenConfirm */ "FIFFFIIIFFIIIIIIIIEIIII",
    /* Established */ "EIEEEIIIEEIIIIIIIIEEIEI",
};
const char* const kPassive[kStateCount] = {
    /* Idle        */ "AIAAAIIIIAIIIIIIIIIIIII",
    /* Connect     */ "CICCCIAIICSAIIIIIIIIIII",
    /* Active      */ "AIAAAIAIIASAIIIIIIIIIII",
    /* OpenSent    */ "SISSSIIIISIAFIIIIIIIIII",
    /* OpenConfirm */ "FIFFFIIIFFIIIIIIIIEIIII",
    /* Established */ "EIEEEIIIEEIIIIIIIIEEIEI",
};

State letter(char c) {
  switch (c) {
    case 'C':
      return State::kConnect;
    case 'A':
      return State::kActive;
    case 'S':
      return State::kOpenSent;
    case 'F':
      return State::kOpenConfirm;
    case 'E':
      return State::kEstablished;
    default:
      return State::kIdle;
  }
}

Event ev(EventType t) {
  Event e{t, {}};
  if (t == EventType::kBgpHeaderErr)
    e.notification = {err::kHeader, err::kBadMessageLength, {0, 18}};
  if (t == EventType::kBgpOpenMsgErr) e.notification = {err::kOpen, err::kBadPeerAs, {}};
  if (t == EventType::kUpdateMsgErr)
    e.notification = {err::kUpdate, err::kMalformedAttributeList, {}};
  return e;
}

void check_table(const char* const* table, bool passive) {
  for (int s = 0; s < kStateCount; ++s) {
    ASSERT_EQ(std::string(table[s]).size(), static_cast<size_t>(kEventTypeCount));
    for (int e = 0; e < kEventTypeCount; ++e) {
      const auto st = static_cast<State>(s);
      const auto et = static_cast<EventType>(e);
      const Transition t = fsm_step(st, passive, ev(et));
      EXPECT_EQ(to_string(t.next), std::string(to_string(letter(table[s][e]))))
          << to_string(st) << " + " << to_string(et) << (passive ? " (passive)" : "");
    }
  }
}

template <class F>
void for_every_pair(F&& f) {
  for (bool passive : {false, true})
    for (int s = 0; s < kStateCount; ++s)
      for (int e = 0; e < kEventTypeCount; ++e)
        f(static_cast<State>(s), static_cast<EventType>(e), passive);
}

TEST(Fsm, EveryStateAndEventActive) {
  check_table(kActive, false);
}
TEST(Fsm, EveryStateAndEventPassive) {
  check_table(kPassive, true);
}

TEST(Fsm, PassivePeersNeverInitiate) {
  for_every_pair([](State s, EventType e, bool passive) {
    if (!passive) return;
    EXPECT_FALSE(fsm_step(s, true, ev(e)).actions.contains(ActionType::kInitiateTcp))
        << to_string(s) << " + " << to_string(e);
  });
}

TEST(Fsm, NeverAnswerANotificationWithANotification) {
  for_every_pair([](State s, EventType e, bool passive) {
    if (e != EventType::kNotifMsg && e != EventType::kNotifMsgVerErr) return;
    EXPECT_FALSE(fsm_step(s, passive, ev(e)).actions.contains(ActionType::kSendNotification))
        << to_string(s);
  });
}

TEST(Fsm, NoNotificationBeforeAnOpenWasSent) {
  for_every_pair([](State s, EventType e, bool passive) {
    if (s != State::kIdle && s != State::kConnect && s != State::kActive) return;
    EXPECT_FALSE(fsm_step(s, passive, ev(e)).actions.contains(ActionType::kSendNotification))
        << to_string(s) << " + " << to_string(e);
  });
}

TEST(Fsm, OnlyLeavingEstablishedReportsSessionDown) {
  for_every_pair([](State s, EventType e, bool passive) {
    const Transition t = fsm_step(s, passive, ev(e));
    const bool left = s == State::kEstablished && t.next != State::kEstablished;
    EXPECT_EQ(t.actions.contains(ActionType::kSessionDown), left)
        << to_string(s) << " + " << to_string(e);
  });
}

TEST(Fsm, FailuresBackOffButManualStopDoesNot) {
  for_every_pair([](State s, EventType e, bool passive) {
    const Transition t = fsm_step(s, passive, ev(e));
    if (s == State::kIdle || t.next != State::kIdle) return;
    const bool manual = e == EventType::kManualStop;
    EXPECT_EQ(t.actions.contains(ActionType::kStartIdleHoldTimer), !manual)
        << to_string(s) << " + " << to_string(e);
    EXPECT_TRUE(t.actions.contains(ActionType::kDropTcp));
    EXPECT_TRUE(t.actions.contains(ActionType::kStopTimers));
  });
}

TEST(Fsm, HoldTimerExpiryIsNotified) {
  for (State s : {State::kOpenSent, State::kOpenConfirm, State::kEstablished}) {
    const Transition t = fsm_step(s, false, ev(EventType::kHoldTimerExpires));
    ASSERT_EQ(t.actions[0].type, ActionType::kSendNotification);
    EXPECT_EQ(t.actions[0].notification, (Notification{4, 0, {}}));
  }
}

TEST(Fsm, SendHoldTimerExpiryIsNotifiedRfc9687) {
  const Transition t = fsm_step(State::kEstablished, false, ev(EventType::kSendHoldTimerExpires));
  EXPECT_EQ(t.actions[0].notification, (Notification{8, 0, {}}));
}

TEST(Fsm, UnexpectedMessagesUseRfc6608Subcodes) {
  EXPECT_EQ(fsm_step(State::kOpenSent, false, ev(EventType::kKeepAliveMsg)).actions[0].notification,
            (Notification{5, 1, {}}));
  EXPECT_EQ(fsm_step(State::kOpenConfirm, false, ev(EventType::kUpdateMsg)).actions[0].notification,
            (Notification{5, 2, {}}));
  EXPECT_EQ(fsm_step(State::kEstablished, false, ev(EventType::kBgpOpen)).actions[0].notification,
            (Notification{5, 3, {}}));
}

TEST(Fsm, DecodeErrorsSendTheirOwnNotification) {
  for (State s : {State::kOpenSent, State::kOpenConfirm, State::kEstablished}) {
    const Transition t = fsm_step(s, false, ev(EventType::kBgpHeaderErr));
    EXPECT_EQ(t.actions[0].notification, (Notification{1, 2, {0, 18}}));
  }
  const Transition t = fsm_step(State::kEstablished, false, ev(EventType::kUpdateMsgErr));
  EXPECT_EQ(t.actions[0].notification, (Notification{3, 1, {}}));
}

TEST(Fsm, ManualStopSendsAdministrativeShutdownOrTheGivenText) {
  Transition t = fsm_step(State::kEstablished, false, ev(EventType::kManualStop));
  EXPECT_EQ(t.actions[0].notification, (Notification{6, 2, {}}));
  EXPECT_TRUE(t.actions.contains(ActionType::kResetRetryCounter));
  Event e{EventType::kManualStop, Notification::shutdown(err::kAdminShutdown, "draining")};
  t = fsm_step(State::kEstablished, false, e);
  EXPECT_EQ(t.actions[0].notification.shutdown_text(), "draining");
}

TEST(Fsm, CollisionLoserSendsCease7) {
  const Transition t = fsm_step(State::kOpenConfirm, false, ev(EventType::kOpenCollisionDump));
  EXPECT_EQ(t.actions[0].notification, (Notification{6, 7, {}}));
}

TEST(Fsm, HappyPathActions) {
  Transition t = fsm_step(State::kIdle, false, ev(EventType::kManualStart));
  EXPECT_TRUE(t.actions.contains(ActionType::kInitiateTcp));
  t = fsm_step(State::kConnect, false, ev(EventType::kTcpConnected));
  EXPECT_TRUE(t.actions.contains(ActionType::kSendOpen));
  EXPECT_TRUE(t.actions.contains(ActionType::kStartHoldTimerLarge));
  t = fsm_step(State::kOpenSent, false, ev(EventType::kBgpOpen));
  EXPECT_TRUE(t.actions.contains(ActionType::kSendKeepalive));
  EXPECT_TRUE(t.actions.contains(ActionType::kStartHoldTimer));
  t = fsm_step(State::kOpenConfirm, false, ev(EventType::kKeepAliveMsg));
  EXPECT_TRUE(t.actions.contains(ActionType::kEstablished));
  t = fsm_step(State::kEstablished, false, ev(EventType::kUpdateMsg));
  ASSERT_EQ(t.actions.size(), 2u);
  EXPECT_EQ(t.actions[0].type, ActionType::kStartHoldTimer);
  EXPECT_EQ(t.actions[1].type, ActionType::kProcessMessage);
}

TEST(Fsm, CollisionHigherIdentifierKeepsItsOwnConnection) {
  // RFC 4271 6.8: compare identifiers as unsigned integers.
  EXPECT_TRUE(locally_initiated_wins(0x0a000002, 0x0a000001));
  EXPECT_FALSE(locally_initiated_wins(0x0a000001, 0x0a000002));
  EXPECT_TRUE(locally_initiated_wins(0xc0a80001, 0x0a000001));
}

}  // namespace
}  // namespace tern::bgp
