#pragma once
// Several tern speakers in one process over loopback addresses (127.0.0.x), peered the Calico
// way. Shared by the speaker tests.

#include <gtest/gtest.h>

#include <map>

#include "daemon/speaker.hpp"

namespace tern::testing {

using namespace std::chrono_literals;
namespace asio = bgp::asio;

inline bgp::Prefix pfx(const std::string& s) {
  return *bgp::Prefix::parse(s);
}

inline bgp::PathAttributes own_block() {
  bgp::PathAttributes a;
  a.origin = bgp::Origin::kIgp;
  a.as_path = bgp::AsPath{};
  return a;
}

struct Node {
  std::string ip;
  uint32_t id;
  std::unique_ptr<Speaker> speaker;
  std::map<std::string, rib::PeerId> peer_ids;  // by peer address
};

template <class F>
bool run_until(asio::io_context& io, std::chrono::milliseconds limit, F&& done) {
  const auto end = bgp::Clock::now() + limit;
  while (bgp::Clock::now() < end) {
    if (done()) return true;
    io.restart();
    io.run_for(20ms);
  }
  return done();
}

inline void run_for(asio::io_context& io, std::chrono::milliseconds d) {
  run_until(io, d, [] { return false; });
}

inline std::unique_ptr<Node> make_node(asio::io_context& io, const std::string& ip,
                                       uint32_t cluster, uint16_t port = 0) {
  auto n = std::make_unique<Node>();
  n->ip = ip;
  n->id = bgp::IpAddr::parse(ip)->v4_value();
  n->speaker = std::make_unique<Speaker>(io, rib::LocalIdentity{64512, n->id, cluster});
  EXPECT_EQ(n->speaker->listen({asio::ip::make_address(ip), port}), "");
  return n;
}

// What a test may change about one peering.
struct PeerOptions {
  bool client = false;  // b is a's route-reflector client
  std::optional<bgp::GracefulRestartCap> graceful_restart;
  std::optional<bgp::AddPathMode> add_path;
  rib::RouteFilter import_filter;
  rib::RouteFilter export_filter;
  uint16_t port = 0;     // b's port when b is not running yet
  std::string password;  // TCP MD5 key
  PeerLimits limits;
};

// Peers `a` with `b` the Calico way: the side whose address sorts first as a string listens.
inline void peer(Node& a, Node& b, PeerOptions o = {}) {
  bgp::SessionConfig s;
  s.name = "Mesh_" + b.ip;
  s.remote = asio::ip::make_address(b.ip);
  s.remote_port = o.port ? o.port : b.speaker->port();
  s.local = asio::ip::make_address(a.ip);
  s.passive = a.ip < b.ip;
  s.connect_delay = 0ms;
  s.connect_retry = 300ms;
  s.idle_hold_min = 100ms;
  s.idle_hold_max = 200ms;
  s.settings.local_as = 64512;
  s.settings.peer_as = 64512;
  s.settings.router_id = a.id;
  s.settings.graceful_restart = o.graceful_restart;
  s.settings.add_path[0] = o.add_path;
  s.md5_password = o.password;
  rib::PeerPolicy p;
  p.rr_client = o.client;
  p.local_address = *bgp::IpAddr::parse(a.ip);
  a.peer_ids[b.ip] =
      a.speaker->add_peer({s, p, std::move(o.import_filter), std::move(o.export_filter), o.limits});
}

inline std::string block_of(int i) {
  return "10.244." + std::to_string(i) + ".0/26";
}

// The prefix's routes at `n` when it has a usable one, else null.
inline const rib::RouteEntry* route(const Node& n, const std::string& prefix) {
  const rib::RouteEntry* e = n.speaker->rib(bgp::kIpv4Unicast).find(pfx(prefix));
  return e && e->best() ? e : nullptr;
}

// A route reflector at `rr_ip` (cluster id `cluster`) and `n` clients at `client_base` + 1..n
// (e.g. "127.0.1."), each peered with it both ways; nothing started yet.
struct Reflector {
  std::unique_ptr<Node> rr;
  std::vector<std::unique_ptr<Node>> clients;

  // Every client originates its block (block_of(1..n)); all start, the reflector last.
  void start_with_blocks() {
    for (size_t i = 0; i < clients.size(); ++i) {
      clients[i]->speaker->originate(pfx(block_of(static_cast<int>(i) + 1)), own_block());
      clients[i]->speaker->start();
    }
    rr->speaker->start();
  }

  bool every_client_holds(size_t routes) const {
    for (const auto& c : clients)
      if (c->speaker->rib(bgp::kIpv4Unicast).size() != routes) return false;
    return true;
  }

  void stop(asio::io_context& io) {
    for (auto& c : clients)
      c->speaker->stop();
    rr->speaker->stop();
    run_for(io, 300ms);
  }
};

inline Reflector make_reflector(asio::io_context& io, const std::string& rr_ip, uint32_t cluster,
                                const std::string& client_base, int n) {
  Reflector r;
  r.rr = make_node(io, rr_ip, cluster);
  for (int i = 1; i <= n; ++i)
    r.clients.push_back(make_node(io, client_base + std::to_string(i), 0));
  for (auto& c : r.clients) {
    peer(*r.rr, *c, {.client = true});
    peer(*c, *r.rr);
  }
  return r;
}

}  // namespace tern::testing
