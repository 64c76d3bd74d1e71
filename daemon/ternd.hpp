#pragma once
// ternd's composition root: the intent (store and --intent manifests), the planner, the BGP
// speaker and the FIB writer, on one io_context. Every intent change goes the same way:
// validate -> persist -> plan -> apply the difference. The FIB writer runs on its own thread
// behind its queue; everything else here runs on the loop.

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/tern.pb.h"
#include "daemon/peering.hpp"
#include "daemon/plan/planner.hpp"
#include "daemon/readiness.hpp"
#include "daemon/route_feed.hpp"
#include "daemon/speaker.hpp"
#include "fib/workload_monitor.hpp"
#include "fib/writer.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>

namespace tern {

namespace intent {
class IntentStore;
}

struct TerndOptions {
  std::string node_name;
  plan::Backend backend = plan::Backend::kBird;
  std::string intent_file;  // Calico manifests loaded at start and on SIGHUP
  std::string store_path = "/var/lib/tern/intent.pb";
  std::string status_path;  // JSON status written every second (empty: none)
  bool fib = true;          // write kernel routes
  fib::WriterOptions writer;
  std::string tunnel_device = "tunl0";
  bool agent_owns_tunnels = false;  // Felix programs IPIP routes (Calico v3.33 default)
  PeerLimits peer_limits;           // every session's prefix limit, unknown attributes
  uint16_t min_hold_time = 3;       // the smallest hold time a peer may ask for
  bgp::Millis send_hold{0};         // RFC 9687 send hold time; 0: max(8 min, 2 x hold time)
};

struct TerndStatus {
  std::string node_name;
  std::string backend;
  bool node_known = false;
  bool bgp_enabled = false;
  bool bgp_needed = false;
  uint64_t intent_revision = 0;
  Readiness readiness;
  std::vector<bgp::SessionSnapshot> sessions;
  std::vector<std::string> notes;
  std::string last_error;  // the latest refused intent change
  std::shared_ptr<const fib::FibStatus> fib;
  size_t routes_v4 = 0, routes_v6 = 0;
};

class Ternd {
 public:
  Ternd(bgp::asio::io_context& io, TerndOptions options);
  ~Ternd();

  // Opens the store, loads --intent, starts the FIB writer and BGP. An error text when it
  // cannot (a corrupt store, a bad manifest at start): ternd then exits.
  std::string start();
  // Re-reads --intent (SIGHUP). An error text when refused; the running intent stays.
  std::string reload();
  // Validates, persists and applies a whole new intent; an error text when refused.
  std::string apply_intent(api::Intent next);
  // Routes stay in the kernel. graceful: sessions are dropped without NOTIFICATION, so peers
  // keep our routes as graceful restart helpers; hard: Cease to every peer first.
  void stop(bool hard);

  TerndStatus status() const;
  const api::Intent& intent() const;
  const plan::Plan& current_plan() const { return plan_; }
  // The plan an intent would give this node (with what it learned from the kernel).
  plan::Plan plan_for(const api::Intent& intent) const;
  const Speaker* speaker() const { return speaker_.get(); }
  // The speaker's id of a planned session (0: not running).
  rib::PeerId peer_id(const std::string& name) const { return peering_ ? peering_->id(name) : 0; }
  fib::FibWriter* writer() const { return writer_.get(); }
  std::chrono::system_clock::time_point started() const { return started_; }

  // Hooks for the API's event streams; they survive the speaker being rebuilt.
  std::function<void(const bgp::Session&, bgp::State from, bgp::State to)> on_session_change;
  std::function<void(const rib::BestChange&)> on_route_change;

 private:
  // The planner's plan plus the borrowed addresses learned from workload routes.
  plan::Plan with_learned(plan::Plan p) const;
  void apply_plan(plan::Plan next);
  fib::EncapConfig encap_for(const plan::Plan& p) const;
  void start_learning();
  void wait_learned();
  // `delay_since`: where the new sessions' connect delay counts from (unset: their own start).
  void start_bgp(std::optional<bgp::Clock::time_point> delay_since = {});
  void stop_bgp(bool hard);
  void replay_rib();
  void check_initial_sync();
  void tick();
  void write_status() const;

  bgp::asio::io_context& io_;
  TerndOptions options_;
  std::unique_ptr<intent::IntentStore> store_;
  plan::Plan base_plan_;     // as the planner made it
  plan::Plan plan_;          // what runs: base_plan_ with_learned()
  bool restarting_ = false;  // the store held an intent: we come back from a restart
  std::unique_ptr<fib::FibWriter> writer_;
  std::unique_ptr<RouteFeed> feed_;
  std::unique_ptr<Speaker> speaker_;
  std::unique_ptr<Peering> peering_;
  std::chrono::steady_clock::time_point bgp_started_;
  // Before the intent is read: the sessions ternd starts with count their connect delay from
  // here, as BIRD's count from its start.
  const bgp::Clock::time_point constructed_ = bgp::Clock::now();
  bool initial_sync_sent_ = false;
  // Prefixes a previous speaker had sent to the FIB: withdrawn unless the new one wants them
  // once its initial exchange is done (the identity changed, all sessions restarted).
  std::set<bgp::Prefix> leftovers_;
  std::string last_error_;
  std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
  bgp::asio::steady_timer timer_;
  // Host routes on workload interfaces (Felix's cali*), like BIRD's kernel `learn`.
  std::unique_ptr<fib::WorkloadMonitor> monitor_;
  std::unique_ptr<boost::asio::posix::stream_descriptor> monitor_fd_;
  std::set<bgp::Prefix> learned_;
};

}  // namespace tern
