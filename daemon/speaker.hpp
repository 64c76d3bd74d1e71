#pragma once
// The BGP speaker: sessions, the Loc-RIB per family and one Adj-RIB-Out per peer and family,
// wired together on one io_context. Received UPDATEs pass the import checks into the RIB;
// every best-path change is transformed per peer by the export rules and queued; sessions
// that reach Established get the whole table and an End-of-RIB.
//
// Not yet here (see the RIB issue): update groups shared by several peers, graceful-restart
// timers driving LocRib::mark_stale/sweep_stale, route refresh, operator filters.

#include <functional>
#include <map>
#include <memory>

#include "bgp/session/listener.hpp"
#include "bgp/session/session.hpp"
#include "rib/adj_rib_out.hpp"
#include "rib/loc_rib.hpp"
#include "rib/policy.hpp"

namespace tern {

struct SpeakerPeer {
  bgp::SessionConfig session;
  rib::PeerPolicy policy;
};

class Speaker {
 public:
  Speaker(bgp::asio::io_context& io, rib::LocalIdentity me, rib::DecisionOptions options = {});

  // Listens for peers on `at` (port 0 picks one; see port()).
  std::string listen(const bgp::asio::ip::tcp::endpoint& at);
  uint16_t port() const { return listener_.port(); }

  void add_peer(SpeakerPeer peer);
  void start();
  void stop();

  // Routes this node originates (its blocks, borrowed /32s).
  void originate(const bgp::Prefix& p, bgp::PathAttributes attrs);
  void withdraw_local(const bgp::Prefix& p);

  const rib::LocRib& rib(bgp::Family f) const { return *ribs_[bgp::family_index(f)]; }
  std::vector<bgp::SessionSnapshot> sessions() const;

  // Every change of a prefix's best path or multipath set (the FIB's input).
  std::function<void(const rib::BestChange&)> on_best_change;

 private:
  struct Peer {
    rib::PeerId id;
    bgp::SessionPtr session;
    rib::PeerPolicy policy;
    std::array<std::unique_ptr<rib::AdjRibOut>, bgp::kFamilyCount> out;
  };

  void on_update(Peer& from, bgp::Update&& u);
  void on_state(Peer& p, bgp::State before, bgp::State now);
  void learn(Peer& from, bgp::Family f, const std::vector<bgp::Nlri>& nlri,
             const bgp::PathAttributes* attrs);
  void changed(bgp::Family f, const rib::BestChange& c);
  void export_to(Peer& to, bgp::Family f, const bgp::Prefix& p, const rib::RouteEntry* e);
  void flush(Peer& p);
  void flush_all();

  bgp::asio::io_context& io_;
  rib::LocalIdentity me_;
  rib::AttrPool pool_;
  std::array<std::unique_ptr<rib::LocRib>, bgp::kFamilyCount> ribs_;
  std::map<rib::PeerId, std::unique_ptr<Peer>> peers_;
  bgp::Listener listener_;
  rib::PeerId next_id_ = 1;
};

}  // namespace tern
