#pragma once
// The BGP speaker: sessions, one Loc-RIB per family and the update groups, wired together on
// one io_context.
//
// Inbound: a received UPDATE passes the BGP import checks and the peer's import filter into
// the Loc-RIB. Outbound: every best-path change is offered to each update group (peers with
// the same export treatment), which queues the prefix when what it would send changes; the
// group's queue is pulled into UPDATEs, encoded once and written to every member, as their
// sockets drain. A newly established or refreshing peer gets a queue of its own holding the
// whole table, then End-of-RIB, then joins its group; a member that cannot keep up is split
// off the same way instead of holding the others back.
//
// Graceful restart (helper side), route refresh both ways (RFC 2918, RFC 7313) and ADD-PATH
// send of the multipath set are handled here; the rules themselves live in rib/.

#include <functional>
#include <map>
#include <memory>

#include "bgp/session/listener.hpp"
#include "bgp/session/session.hpp"
#include "daemon/export_cache.hpp"
#include "rib/adj_rib_out.hpp"
#include "rib/filter.hpp"
#include "rib/graceful_restart.hpp"
#include "rib/loc_rib.hpp"
#include "rib/policy.hpp"

namespace tern {

// What a peer may send before it is cut off.
struct PeerLimits {
  // More paths than this in one family (refused ones count: they are kept) end the session
  // with Cease/Maximum Number of Prefixes Reached (RFC 4486); 0: no limit.
  uint32_t max_prefixes = 0;
  // When a session ended that way starts again; zero: not before it is reconfigured.
  bgp::Millis restart_after{std::chrono::seconds(60)};
  // Optional transitive attributes tern does not know are passed on by RFC 4271, which is
  // how one malformed attribute has reset sessions across the internet (reference: the 2023
  // attribute 28 incidents); by default they are dropped on receipt.
  bool keep_unknown_attributes = false;
};

struct SpeakerPeer {
  bgp::SessionConfig session;
  rib::PeerPolicy policy;
  rib::RouteFilter import_filter;
  rib::RouteFilter export_filter;
  PeerLimits limits;
};

class Speaker {
 public:
  Speaker(bgp::asio::io_context& io, rib::LocalIdentity me, rib::DecisionOptions options = {});
  ~Speaker();

  // Listens for peers on `at` (port 0 picks one; see port()).
  std::string listen(const bgp::asio::ip::tcp::endpoint& at);
  uint16_t port() const { return listener_.port(); }

  // Peers are added before or after start(); a peer added after start() starts at once.
  // Returns its id (0 when 65,535 peers exist already).
  rib::PeerId add_peer(SpeakerPeer peer);
  // Closes the session (Cease, administrative shutdown) and forgets the peer's routes.
  void remove_peer(rib::PeerId id);
  void start();
  void stop();
  // Our own restart is over: sessions opened from now on no longer say we are restarting.
  void restart_done();

  // Routes this node originates (its blocks, borrowed /32s).
  void originate(const bgp::Prefix& p, bgp::PathAttributes attrs);
  void withdraw_local(const bgp::Prefix& p);

  // Asks the peer to send its routes of `f` again (inbound soft reset, RFC 2918); false when
  // it is not Established or did not offer route refresh.
  bool request_refresh(rib::PeerId id, bgp::Family f);

  // New import and export filters for a running peer, without resetting its session (what
  // BIRD does on `configure` with a changed filter). The peer gets the table again under the
  // new export filter, which withdraws what no longer passes, framed by BoRR/EoRR where it
  // agreed to enhanced route refresh (RFC 7313); it is asked to send its routes again for
  // the new import filter. False when that is impossible without a reset: the import filter
  // changed on an Established session without route refresh.
  bool set_filters(rib::PeerId id, rib::RouteFilter import_filter, rib::RouteFilter export_filter);

  const rib::LocRib& rib(bgp::Family f) const { return *ribs_[bgp::family_index(f)]; }
  std::vector<bgp::SessionSnapshot> sessions() const;
  // Whether every configured peer has come up and sent End-of-RIB for every family of its
  // latest session: the FIB sweeps stale kernel routes after a restart once this holds (or
  // its deferral timer runs out, for peers that never come).
  bool initial_exchange_done() const;
  // Every End-of-RIB received: the peer and the family.
  std::function<void(rib::PeerId, bgp::Family)> on_end_of_rib;

  // Update groups of `f` in use, and how many peers each has (tests, status).
  std::vector<size_t> update_groups(bgp::Family f) const;

  // Every change of a prefix's best path or multipath set (the FIB's input). It must not call
  // back into the speaker.
  std::function<void(const rib::BestChange&)> on_best_change;
  // Every session state change (events for the API), before the speaker acts on it.
  std::function<void(const bgp::Session&, bgp::State from, bgp::State to)> on_session_change;
  // The session name of a peer ("local" for kLocalPeer, "" when unknown).
  std::string peer_name(rib::PeerId id) const;

 private:
  struct Group;
  enum class Finish : uint8_t { kNothing, kEndOfRib, kEndOfRefresh };

  struct Peer {
    explicit Peer(bgp::asio::io_context& io) : gr_timer(io) {}
    rib::PeerId id = 0;
    bgp::SessionPtr session;
    rib::PeerPolicy policy;
    rib::RouteFilter import_filter;
    rib::RouteFilter export_filter;
    PeerLimits limits;
    // Over its prefix limit: what it sends is ignored until the session is down.
    bool over_limit = false;
    std::array<Group*, bgp::kFamilyCount> group{};
    // What to send once the peer's catch-up queue has drained.
    std::array<Finish, bgp::kFamilyCount> finish{};
    // Waiting for a free queue slot to start its catch-up.
    std::array<bool, bgp::kFamilyCount> waiting{};
    std::array<bool, bgp::kFamilyCount> families{};  // negotiated, while Established
    // The families of the latest session, and which of them End-of-RIB was received for.
    std::array<bool, bgp::kFamilyCount> expect_eor{};
    std::array<bool, bgp::kFamilyCount> end_of_rib{};
    bool ever_established = false;
    // Its BGP identifier from the latest session; kept while it is down, since its stale
    // routes are still reflected with it as ORIGINATOR_ID.
    uint32_t router_id = 0;
    rib::GrHelper gr;
    bgp::asio::steady_timer gr_timer;
  };

  // What makes two peers' outbound treatment identical.
  struct GroupKey {
    bool ebgp = false;
    uint32_t peer_as = 0;  // eBGP only: a path through the peer's AS is not sent to it
    uint32_t local_as = 0;
    bool rr_client = false;
    bool next_hop_self = false;
    bool keep_next_hop = false;
    bgp::IpAddr local_address;
    rib::RouteFilter filter;
    bool four_octet_as = false;
    bool add_path = false;
    bool extended_message = false;
    bool operator==(const GroupKey&) const = default;
  };

  struct Group {
    GroupKey key;
    rib::PeerPolicy policy;  // the export side of the members' policy, for this family
    std::unique_ptr<rib::AdjRibOut> out;
    std::vector<Peer*> members;
    // The one group of its key that catch-up and split-off groups merge into when drained.
    bool steady = false;
    // A catch-up group that has not sent anything yet: a peer of the same key that needs the
    // whole table too joins it, so sessions coming up together share one catch-up.
    bool fresh = false;
    // What paths are exported as (source set, source peer, community rules that apply).
    ExportCache exports;
  };

  void on_update(Peer& from, bgp::Update&& u);
  void on_state(Peer& p, bgp::State before, bgp::State now);
  void on_refresh(Peer& p, const bgp::RouteRefresh& r);
  void learn(Peer& from, bgp::Family f, const std::vector<bgp::Nlri>& nlri,
             const bgp::PathAttributes* attrs);
  // Ends the session of a peer that went over its prefix limit in `f`.
  void over_limit(Peer& p, bgp::Family f);
  void changed(bgp::Family f, const rib::BestChange& c);
  void changed(bgp::Family f, const std::vector<rib::BestChange>& cs);
  void apply(Peer& p, const rib::GrHelper::Actions& a);
  void arm_gr_timer(Peer& p);

  rib::PeerId free_id() const;
  // Installs on the listening socket the MD5 key of the peers at `remote` (none: removes it):
  // Linux checks an incoming SYN against the listener's keys, so a passive peer with a
  // password is unreachable without it.
  void key_listener(const bgp::asio::ip::address& remote);
  GroupKey key_for(const Peer& p, int family) const;
  rib::AttrRef export_path(Group& g, const bgp::Prefix& p, const rib::Path& path);
  // Whether `path` is sent to the group at all (export_path() is not null), without building
  // what it is sent as.
  bool sends(const Group& g, const bgp::Prefix& p, const rib::Path& path) const;
  // The checks before the attributes: not back to a lone member that sent it, the export
  // filter (whose verdict names the communities to add).
  bool passes(const Group& g, const bgp::Prefix& p, const rib::Path& path,
              rib::RouteFilter::Verdict& verdict) const;
  bool loops_back(const Group& g, const bgp::PathAttributes& a) const;
  rib::PathOrigin origin_of(const rib::Path& path) const;
  // Forgets what paths were exported as (membership or policy changed).
  void forget_exports(Group& g);
  // Starts sending `p` the whole table of family `f` from a queue of its own.
  void catch_up(Peer& p, int family, Finish finish);
  Group* new_group(int family, const GroupKey& key, const rib::PeerPolicy& policy);
  void leave_group(Peer& p, int family);
  void destroy(Group& g);
  void drained(Group& g);
  void flush(Group& g);
  void flush(Peer& p);
  void flush_all();
  void schedule_flush();

  bgp::asio::io_context& io_;
  rib::LocalIdentity me_;
  rib::AttrPool pool_;
  std::array<std::unique_ptr<rib::LocRib>, bgp::kFamilyCount> ribs_;
  std::array<std::vector<std::unique_ptr<Group>>, bgp::kFamilyCount> groups_;
  std::array<uint32_t, bgp::kFamilyCount> slots_used_{};
  std::map<rib::PeerId, std::unique_ptr<Peer>> peers_;
  bgp::Listener listener_;
  bool listening_ = false;
  bool started_ = false;
  bool flush_posted_ = false;
  // Work posted to the loop checks this is still alive: the speaker may be gone by then.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tern
