// TCP MD5 (RFC 2385) between two speakers: Linux checks an incoming SYN against the keys of
// the listening socket, so the side that waits must have its peers' keys there.

#include <gtest/gtest.h>

#include "tests/daemon/speaker_harness.hpp"

namespace tern {
namespace {

using namespace tern::testing;

bool established(const Node& n) {
  const auto s = n.speaker->sessions();
  return !s.empty() && s.at(0).state == bgp::State::kEstablished;
}

TEST(SpeakerMd5, TheWaitingSideAcceptsItsKeyedPeer) {
  asio::io_context io;
  // 127.0.0.21 sorts first: it waits, 127.0.0.22 connects.
  auto a = make_node(io, "127.0.0.21", 0);
  auto b = make_node(io, "127.0.0.22", 0);
  peer(*a, *b, {.password = "mesh-secret"});
  peer(*b, *a, {.password = "mesh-secret"});
  a->speaker->start();
  b->speaker->start();
  EXPECT_TRUE(run_until(io, 5000ms, [&] { return established(*a) && established(*b); }));
  a->speaker->stop();
  b->speaker->stop();
  run_for(io, 300ms);
}

TEST(SpeakerMd5, TheListenerKeyFollowsThePeersConfiguration) {
  asio::io_context io;
  auto a = make_node(io, "127.0.0.23", 0);
  auto b = make_node(io, "127.0.0.24", 0);
  peer(*a, *b, {.password = "old"});
  peer(*b, *a, {.password = "new"});
  a->speaker->start();
  b->speaker->start();
  run_for(io, 1500ms);
  EXPECT_FALSE(established(*a)) << "different keys";
  // The waiting side is told the new key: its listener must drop the old one.
  a->speaker->remove_peer(a->peer_ids.at(b->ip));
  peer(*a, *b, {.password = "new"});
  EXPECT_TRUE(run_until(io, 5000ms, [&] { return established(*a) && established(*b); }));
  // Without a password the listener must not keep the key: the keyed peer cannot come back.
  a->speaker->remove_peer(a->peer_ids.at(b->ip));
  peer(*a, *b);
  run_for(io, 2000ms);
  EXPECT_FALSE(established(*a)) << "a keyed SYN was accepted by a listener that has no key";
  a->speaker->stop();
  b->speaker->stop();
  run_for(io, 300ms);
}

}  // namespace
}  // namespace tern
