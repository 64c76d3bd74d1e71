// Graceful restart, the restarting side (RFC 4724 4.1), over loopback. Two Calico nodes that
// restart together each wait for the other's End-of-RIB before advertising when both defer
// (BIRD's minutes-long outage); a restarting tern advertises its table and End-of-RIB at once,
// to a peer that is restarting too and sends nothing. It sets the Restart State bit only until
// its restart is over: a later peer seeing it would not wait for our routes before pruning.

#include <gtest/gtest.h>

#include "tests/daemon/speaker_harness.hpp"

namespace tern {
namespace {

using namespace tern::testing;

bgp::GracefulRestartCap restart_capability(bool restarting) {
  bgp::GracefulRestartCap cap;
  cap.restarting = restarting;
  cap.restart_time = 120;
  cap.families.push_back({bgp::kIpv4Unicast, /*forwarding_preserved=*/true});
  return cap;
}

bgp::SessionConfig quick(bgp::SessionConfig s) {
  s.connect_delay = 0ms;
  s.connect_retry = 300ms;
  s.idle_hold_min = 100ms;
  s.idle_hold_max = 200ms;
  return s;
}

// Node a (127.0.0.31), just restarted, originating block 1 and waiting for b's connection; b
// (127.0.0.32) a bare session, restarting as well, that sends no UPDATE, not even End-of-RIB.
class RestartingSpeaker : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = make_node(io_, "127.0.0.31", 0);
    bgp::SessionConfig s;
    s.name = "Mesh_127_0_0_32";
    s.remote = asio::ip::make_address(b_ip_);
    s.local = asio::ip::make_address(a_->ip);
    s.passive = true;
    s.settings.local_as = s.settings.peer_as = 64512;
    s.settings.router_id = a_->id;
    s.settings.graceful_restart = restart_capability(true);
    rib::PeerPolicy p;
    p.local_address = *bgp::IpAddr::parse(a_->ip);
    a_->speaker->add_peer({quick(s), p, {}, {}, {}});
    a_->speaker->originate(pfx(block_of(1)), own_block());
    a_->speaker->start();

    bgp::SessionConfig b;
    b.name = "raw";
    b.remote = asio::ip::make_address(a_->ip);
    b.remote_port = a_->speaker->port();
    b.local = asio::ip::make_address(b_ip_);
    b.settings.local_as = b.settings.peer_as = 64512;
    b.settings.router_id = bgp::IpAddr::parse(b_ip_)->v4_value();
    b.settings.graceful_restart = restart_capability(true);
    b_ = std::make_shared<bgp::Session>(io_, quick(b));
    b_->on_update([this](bgp::Session&, bgp::Update&& u) {
      if (u.end_of_rib) ++end_of_ribs_;
      for (const auto& n : u.nlri)
        learned_.push_back(bgp::to_string(n.prefix));
    });
    b_->start();
  }
  void TearDown() override {
    b_->stop();
    a_->speaker->stop();
    run_for(io_, 200ms);
  }
  bool b_established() { return b_->state() == bgp::State::kEstablished; }
  // The Restart State bit of a's latest OPEN, as b read it.
  bool a_says_restarting() { return b_->negotiated()->peer_graceful_restart->restarting; }

  const std::string b_ip_ = "127.0.0.32";
  asio::io_context io_;
  std::unique_ptr<Node> a_;
  bgp::SessionPtr b_;
  std::vector<std::string> learned_;
  int end_of_ribs_ = 0;
};

TEST_F(RestartingSpeaker, AdvertisesToARestartingPeerWithoutWaitingForItsEndOfRib) {
  ASSERT_TRUE(run_until(io_, 5000ms, [&] { return end_of_ribs_ == 1; }))
      << "a sent its End-of-RIB although b sent none";
  EXPECT_EQ(learned_, std::vector<std::string>{block_of(1)});
  EXPECT_TRUE(a_says_restarting());
  EXPECT_TRUE(b_->negotiated()->peer_graceful_restart->families.at(0).forwarding_preserved);
}

TEST_F(RestartingSpeaker, SaysItIsRestartingOnlyUntilTheRestartIsDone) {
  ASSERT_TRUE(run_until(io_, 5000ms, [&] { return b_established(); }));
  EXPECT_TRUE(a_says_restarting());
  a_->speaker->restart_done();
  b_->stop("again");
  run_for(io_, 300ms);
  ASSERT_FALSE(b_established());
  b_->start();
  ASSERT_TRUE(run_until(io_, 5000ms, [&] { return b_established(); }));
  EXPECT_FALSE(a_says_restarting()) << "the R bit outlived the restart";
  // Forwarding state is still preserved across our restarts: the F bit stays.
  EXPECT_TRUE(b_->negotiated()->peer_graceful_restart->families.at(0).forwarding_preserved);
}

}  // namespace
}  // namespace tern
